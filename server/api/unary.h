#pragma once
// The shape of every unary handler: run the body on the worker pool, turn any exception into
// the mapped status, finish the reactor from the worker.
#include <grpcpp/grpcpp.h>

#include "api/status_mapping.h"
#include "api/worker_pool.h"

namespace homevisit::api {

template <typename Body>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context, WorkerPool& pool, Body&& body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool queued = pool.TrySubmit([reactor, body = std::forward<Body>(body)]() mutable {
    grpc::Status status;
    try {
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
