#pragma once
// Who is calling. Until credentials exist (issue 7) every caller is one unauthenticated
// principal; this is the single place that will read the verified token instead.
#include <grpcpp/grpcpp.h>

#include "domain/service_order.h"

namespace homevisit::api {

inline domain::Actor CurrentActor(const grpc::CallbackServerContext* /*context*/) {
  return {"unauthenticated", domain::Role::kUnspecified};
}

}  // namespace homevisit::api
