#pragma once
// What every command file of the CLI shares: the exits for bad usage and failed calls, resource
// names, request ids, enum flags, timestamps and the output of a call's result.
#include <google/protobuf/timestamp.pb.h>

#include <iostream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "commands.h"
#include "format.h"

namespace homevisit::cli {

// Bad usage: the message on stderr; exit code 2.
int Usage(const std::string& message);
// A failed call: the error on stderr; exit code 1, or 3 when the server does not serve the call.
int Failed(const std::string& what, const client::Error& error);
// "ID" or "collection/ID" as "collection/ID" (serviceOrders, holds, technicians).
std::string ResourceName(const std::string& collection, const std::string& id_or_name);
// --request_id, else a fresh UUID: the write is then safe to retry.
std::string RequestIdOrNew();
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);

// An enum value from a flag: case-insensitive, with or without its prefix ("ine" or
// "OFFICIAL_ID_TYPE_INE"). False for an empty or unknown value.
template <typename E>
bool ParseEnum(const std::string& text, const std::string& prefix, bool (*parse)(const std::string&, E*), E* out) {
  std::string value = absl::AsciiStrToUpper(text);
  if (!absl::StartsWith(value, prefix)) value = prefix + value;
  return !text.empty() && parse(value, out);
}

// A call's result: the error (see Failed), or the response as JSON with --json, else as `human`
// prints it; then 0.
template <typename Response, typename Human>
int Answer(const Context& ctx, const std::string& what, const client::Result<Response>& result, Human human) {
  if (!result.ok()) return Failed(what, result.error());
  if (ctx.json) {
    std::cout << ToJson(*result) << "\n";
  } else {
    human(*result);
  }
  return 0;
}

}  // namespace homevisit::cli
