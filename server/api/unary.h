#pragma once
// The shape of every unary handler: on the worker pool, admit the call (authenticate its
// bearer token, authorize its role for `method`), run the body with the principal in scope,
// turn any exception into the mapped status, and finish the reactor from the worker.
#include <grpcpp/grpcpp.h>

#include "api/call_gate.h"
#include "api/principal.h"
#include "api/status_mapping.h"
#include "api/worker_pool.h"

namespace homevisit::api {

// `method` is the RPC's short name; handlers pass __func__, which is exactly that.
template <typename Body>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context, WorkerPool& pool, const char* method,
                                     Body&& body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const CallGate* gate = pool.call_gate();
  bool queued = pool.TrySubmit([reactor, context, gate, method, body = std::forward<Body>(body)]() mutable {
    grpc::Status status;
    try {
      if (!gate) throw domain::DomainError(domain::ErrorKind::kInternal, "NO_CALL_GATE", "server misconfigured");
      domain::Actor actor = gate->Admit(context, method);
      ScopedActor scope(actor);
      body();
    } catch (...) {
      status = CurrentExceptionToStatus();
    }
    reactor->Finish(status);
  });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(domain::DomainError(domain::ErrorKind::kResourceExhausted, "SERVER_BUSY",
                                                     "the server is busy: retry with backoff")));
  }
  return reactor;
}

}  // namespace homevisit::api
