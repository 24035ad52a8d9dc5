#pragma once
// The shape of every unary handler: admit the call (authenticate its bearer token, authorize its
// role for `method`), run the body with the principal in scope, turn any exception into the
// mapped status, and finish the reactor. The admission and the body share one database session
// (Database::CallSession), leased once for the whole call.
#include <grpcpp/grpcpp.h>

#include <optional>

#include "api/call_gate.h"
#include "api/principal.h"
#include "api/status_mapping.h"
#include "api/worker_pool.h"

namespace homevisit::api {

// Where a handler body runs.
// - kPool: on the worker pool. For everything that may wait: writes (SQLite's write lock,
//   PostgreSQL's row locks, fsync) and heavy reads; gRPC's callback threads must not block.
// - kInline: a short read (a few indexed lookups) runs where gRPC delivered it, which saves the
//   hand-off to the pool (about five context switches per call), but only if a database session
//   is free at once; otherwise it goes to the pool like the rest, so it never waits there.
enum class Dispatch { kPool, kInline };

namespace internal {

template <typename Body>
grpc::Status AdmitAndRun(const CallGate* gate, grpc::CallbackServerContext* context, const char* method,
                         Body& body) {
  try {
    if (!gate) throw domain::DomainError(domain::ErrorKind::kInternal, "NO_CALL_GATE", "server misconfigured");
    domain::Actor actor = gate->Admit(context, method);
    ScopedActor scope(actor);
    body();
  } catch (...) {
    return CurrentExceptionToStatus();
  }
  return grpc::Status::OK;
}

}  // namespace internal

// `method` is the RPC's short name; handlers pass __func__, which is exactly that.
template <typename Body>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context, WorkerPool& pool, const char* method,
                                     Body&& body, Dispatch dispatch = Dispatch::kPool) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const CallGate* gate = pool.call_gate();
  if (dispatch == Dispatch::kInline && gate) {
    grpc::Status status;
    {
      storage::Database::CallSession session(gate->database());
      if (session.TryAcquireNow()) status = internal::AdmitAndRun(gate, context, method, body);
      else dispatch = Dispatch::kPool;
    }
    if (dispatch == Dispatch::kInline) {
      reactor->Finish(status);
      return reactor;
    }
  }
  bool queued = pool.TrySubmit([reactor, context, gate, method, body = std::forward<Body>(body)]() mutable {
    grpc::Status status;
    {
      std::optional<storage::Database::CallSession> session;
      if (gate) session.emplace(gate->database());
      status = internal::AdmitAndRun(gate, context, method, body);
    }  // the session goes back to the pool before the reply is sent
    reactor->Finish(status);
  });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(domain::DomainError(domain::ErrorKind::kResourceExhausted, "SERVER_BUSY",
                                                     "the server is busy: retry with backoff")));
  }
  return reactor;
}

// ServeUnary for a write. On SQLite the caller is admitted where gRPC delivered the call (a refused
// call never reaches the writer); the body — the handler's unit of work (a nested savepoint there)
// and the response — runs on the group commit's writer thread as one unit of its next batch, and
// the writer sends the reply after that batch's COMMIT: no pool thread waits for the writer, and
// a call costs two thread hand-offs instead of four (8.3 -> 5.0 context switches per intake).
// What a body may do there: CPU work and its own unit of work; nothing that waits for long (every
// other write waits behind it) and nothing that must follow the COMMIT (a cache to clear). A body
// that writes twice commits or fails as one. Elsewhere (PostgreSQL) it is ServeUnary.
template <typename Body>
grpc::ServerUnaryReactor* ServeWrite(grpc::CallbackServerContext* context, WorkerPool& pool, const char* method,
                                     Body&& body) {
  const CallGate* gate = pool.call_gate();
  if (!gate || !gate->database().has_writer()) return ServeUnary(context, pool, method, std::forward<Body>(body));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Admission first, where gRPC delivered the call, as a short read does (a credential missing
  // from the cache is read with a reader session, only if one is free at once): a call refused
  // here never takes the writer's time, and the writer's serial work per call is smaller.
  std::optional<domain::Actor> admitted;
  std::optional<grpc::Status> refused;
  {
    storage::Database::CallSession session(gate->database());
    if (session.TryAcquireNow()) {
      try {
        admitted = gate->Admit(context, method);
      } catch (...) {
        refused = CurrentExceptionToStatus();
      }
    }
  }  // the session goes back to the pool before the reply is sent
  if (refused) {
    reactor->Finish(*refused);
    return reactor;
  }
  const bool queued = gate->database().TrySubmitWrite(
      [context, gate, method, admitted = std::move(admitted),
       body = std::forward<Body>(body)](domain::UnitOfWork&) mutable {
        storage::Database::CallSession session(gate->database());  // the body's reads, if any
        domain::Actor actor = admitted ? std::move(*admitted) : gate->Admit(context, method);
        ScopedActor scope(actor);
        body();
      },
      [reactor](std::exception_ptr error) {
        grpc::Status status;
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (...) {
            status = CurrentExceptionToStatus();
          }
        }
        reactor->Finish(status);
      },
      pool.max_queued());
  if (!queued) {
    reactor->Finish(ToGrpcStatus(domain::DomainError(domain::ErrorKind::kResourceExhausted, "SERVER_BUSY",
                                                     "the server is busy: retry with backoff")));
  }
  return reactor;
}

// ServeUnary for a short read: inline when a database session is free (see Dispatch::kInline).
template <typename Body>
grpc::ServerUnaryReactor* ServeShortRead(grpc::CallbackServerContext* context, WorkerPool& pool, const char* method,
                                         Body&& body) {
  return ServeUnary(context, pool, method, std::forward<Body>(body), Dispatch::kInline);
}

}  // namespace homevisit::api
