#include "api/call_gate.h"

#include "api/authorization.h"
#include "api/principal.h"
#include "domain/credential_commands.h"

namespace homevisit::api {

domain::Actor CallGate::Admit(const grpc::CallbackServerContext* context, absl::string_view method) const {
  std::string token = BearerToken(context);
  domain::Actor actor = db_.Read([&](domain::UnitOfWork& work) { return domain::Authenticate(work, token); });
  Authorize(method, actor);
  return actor;
}

}  // namespace homevisit::api
