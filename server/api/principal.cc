#include "api/principal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "domain/errors.h"

namespace homevisit::api {
namespace {
thread_local const domain::Actor* current_actor = nullptr;
}  // namespace

std::string BearerToken(const grpc::CallbackServerContext* context) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  std::string value(it->second.data(), it->second.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() || !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) return "";
  return std::string(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
}

domain::Actor CurrentActor(const grpc::CallbackServerContext* /*context*/) {
  if (!current_actor) {
    throw domain::DomainError(domain::ErrorKind::kInternal, "NO_PRINCIPAL", "call not authenticated");
  }
  return *current_actor;
}

ScopedActor::ScopedActor(const domain::Actor& actor) { current_actor = &actor; }
ScopedActor::~ScopedActor() { current_actor = nullptr; }

}  // namespace homevisit::api
