#pragma once
// Who is calling. ServeUnary authenticates every call (bearer token -> credential) and
// authorizes it against the role table before the handler body runs, then exposes the
// principal to that body through CurrentActor. The principal always comes from the verified
// credential, never from anything the client says about itself.
#include <grpcpp/grpcpp.h>

#include "domain/service_order.h"

namespace homevisit::api {

// The bearer token of a call's `authorization` metadata, or "".
std::string BearerToken(const grpc::CallbackServerContext* context);

// The principal of the call whose handler body runs on this thread; throws INTERNAL outside one
// (a handler that bypassed ServeUnary, which the authorization matrix test would catch).
domain::Actor CurrentActor(const grpc::CallbackServerContext* context);

// Sets the current principal for the lifetime of the scope (used by ServeUnary).
class ScopedActor {
 public:
  explicit ScopedActor(const domain::Actor& actor);
  ~ScopedActor();
  ScopedActor(const ScopedActor&) = delete;
  ScopedActor& operator=(const ScopedActor&) = delete;
};

}  // namespace homevisit::api
