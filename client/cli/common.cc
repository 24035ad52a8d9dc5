#include "common.h"

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"

ABSL_DECLARE_FLAG(std::string, request_id);

namespace homevisit::cli {

int Usage(const std::string& message) {
  std::cerr << "homevisit: " << message << " (see homevisit --help)\n";
  return 2;
}

int Failed(const std::string& what, const client::Error& error) {
  PrintError(std::cerr, what, error);
  return error.unimplemented() ? 3 : 1;
}

std::string ResourceName(const std::string& collection, const std::string& id_or_name) {
  if (id_or_name.empty() || absl::StartsWith(id_or_name, collection + "/")) return id_or_name;
  return collection + "/" + id_or_name;
}

std::string RequestIdOrNew() {
  std::string id = absl::GetFlag(FLAGS_request_id);
  return id.empty() ? client::NewRequestId() : id;
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
  out->set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(out->seconds())) / absl::Nanoseconds(1)));
}

}  // namespace homevisit::cli
