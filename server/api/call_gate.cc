#include "api/call_gate.h"

#include "absl/time/clock.h"
#include "api/authorization.h"
#include "api/principal.h"
#include "domain/credential_commands.h"
#include "domain/errors.h"
#include "domain/tokens.h"

namespace homevisit::api {

domain::Actor CallGate::Admit(grpc::CallbackServerContext* context, absl::string_view method) const {
  std::string token = BearerToken(context);
  domain::RequireToken(token);
  domain::Actor actor = Verify(domain::HashToken(token));
  context->AddTrailingMetadata(kCallerMetadataKey, actor.principal);  // noted even if refused below
  Authorize(method, actor);
  return actor;
}

domain::Actor CallGate::Verify(const std::string& token_hash) const {
  uint64_t generation = credentials_.generation();
  absl::Time read_start = absl::Now();
  if (std::optional<domain::Actor> cached = credentials_.Find(token_hash, read_start)) return *cached;
  // One indexed lookup: no transaction needed around it.
  domain::Actor actor = db_.Lookup([&](domain::UnitOfWork& work) { return domain::AuthenticateHash(work, token_hash); });
  credentials_.Put(token_hash, actor, read_start, generation);
  return actor;
}

std::string CallGate::TokenHashOf(const grpc::CallbackServerContext* context) {
  std::string token = BearerToken(context);
  return token.empty() ? "" : domain::HashToken(token);
}

bool CallGate::StillActive(const std::string& token_hash) const {
  if (token_hash.empty()) return false;
  try {
    Verify(token_hash);
    return true;
  } catch (const domain::DomainError& e) {
    if (e.kind() == domain::ErrorKind::kUnauthenticated) return false;
    throw;  // the database is unreachable: that says nothing about the credential
  }
}

}  // namespace homevisit::api
