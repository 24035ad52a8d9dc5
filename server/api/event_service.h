#pragma once
#include "api/event_watch.h"
#include "api/worker_pool.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The event log: a paged list for audits and catch-up, and the live, resumable watch.
class EventServiceImpl final : public v1::EventService::CallbackService {
 public:
  EventServiceImpl(storage::Database& db, WorkerPool& pool, WatchOptions watch_options)
      : db_(db), pool_(pool), read_wait_(watch_options.read_your_writes_wait), watches_(db, pool, watch_options) {}

  // Ends every live watch (graceful shutdown): call before the server's own Shutdown.
  void StopWatches() { watches_.StopAll(); }
  size_t open_watches() const { return watches_.open(); }

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context, const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchEventsResponse>* WatchEvents(grpc::CallbackServerContext* context,
                                                                 const v1::WatchEventsRequest* request) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
  absl::Duration read_wait_;
  WatchHub watches_;
};

}  // namespace homevisit::api
