#pragma once
#include "api/worker_pool.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The event log for audits and catch-up. WatchEvents (the live feed) is not served yet.
class EventServiceImpl final : public v1::EventService::CallbackService {
 public:
  EventServiceImpl(storage::Database& db, WorkerPool& pool) : db_(db), pool_(pool) {}

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context, const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
};

}  // namespace homevisit::api
