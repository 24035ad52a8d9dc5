#include "api/call_gate.h"

#include "absl/time/clock.h"
#include "api/authorization.h"
#include "api/principal.h"
#include "domain/credential_commands.h"
#include "domain/tokens.h"

namespace homevisit::api {

domain::Actor CallGate::Admit(const grpc::CallbackServerContext* context, absl::string_view method) const {
  std::string token = BearerToken(context);
  domain::RequireToken(token);
  std::string hash = domain::HashToken(token);
  uint64_t generation = credentials_.generation();
  absl::Time read_start = absl::Now();
  std::optional<domain::Actor> actor = credentials_.Find(hash, read_start);
  if (!actor) {
    // One indexed lookup: no transaction needed around it.
    actor = db_.Lookup([&](domain::UnitOfWork& work) { return domain::AuthenticateHash(work, hash); });
    credentials_.Put(hash, *actor, read_start, generation);
  }
  Authorize(method, *actor);
  return *actor;
}

}  // namespace homevisit::api
