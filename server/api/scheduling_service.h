#pragma once
#include "api/arena_allocator.h"
#include "api/worker_pool.h"
#include "domain/scheduling.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// Availability, holds and booking [S2-S4]. Adapts protos to domain/scheduling.h; no rules here.
class SchedulingServiceImpl final : public v1::SchedulingService::CallbackService {
 public:
  // `calendars` (may be null) is where CheckAvailability reads calendars first.
  SchedulingServiceImpl(storage::Database& db, WorkerPool& pool, domain::SchedulingSettings settings,
                        domain::CalendarSource* calendars = nullptr)
      : db_(db), pool_(pool), settings_(std::move(settings)), calendars_(calendars) {
    SetMessageAllocatorFor_CheckAvailability(&availability_messages_);
    SetMessageAllocatorFor_BookAppointment(&book_messages_);
  }

  grpc::ServerUnaryReactor* CheckAvailability(grpc::CallbackServerContext* context,
                                              const v1::CheckAvailabilityRequest* request,
                                              v1::CheckAvailabilityResponse* response) override;
  grpc::ServerUnaryReactor* CreateHold(grpc::CallbackServerContext* context, const v1::CreateHoldRequest* request,
                                       v1::Hold* response) override;
  grpc::ServerUnaryReactor* ListHolds(grpc::CallbackServerContext* context, const v1::ListHoldsRequest* request,
                                      v1::ListHoldsResponse* response) override;
  grpc::ServerUnaryReactor* ReleaseHold(grpc::CallbackServerContext* context, const v1::ReleaseHoldRequest* request,
                                        v1::Hold* response) override;
  grpc::ServerUnaryReactor* GetHold(grpc::CallbackServerContext* context, const v1::GetHoldRequest* request,
                                    v1::Hold* response) override;
  grpc::ServerUnaryReactor* BookAppointment(grpc::CallbackServerContext* context,
                                            const v1::BookAppointmentRequest* request,
                                            v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RescheduleAppointment(grpc::CallbackServerContext* context,
                                                  const v1::RescheduleAppointmentRequest* request,
                                                  v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* ReassignAppointment(grpc::CallbackServerContext* context,
                                                const v1::ReassignAppointmentRequest* request,
                                                v1::ServiceOrder* response) override;

 private:
  // Runs `write` (a write that claims a slot); a lost race comes out as ABORTED "SLOT_TAKEN" whose
  // message lists fresh alternatives around `start` (the order's requested start when not given).
  template <typename Fn>
  auto ClaimingWrite(const std::string& order_id, std::optional<absl::Time> start, Fn&& write);

  storage::Database& db_;
  WorkerPool& pool_;
  const domain::SchedulingSettings settings_;
  domain::CalendarSource* const calendars_;
  // The busiest calls' messages live on an arena per call (arena_allocator.h).
  ArenaMessageAllocator<v1::CheckAvailabilityRequest, v1::CheckAvailabilityResponse> availability_messages_;
  ArenaMessageAllocator<v1::BookAppointmentRequest, v1::ServiceOrder> book_messages_;
};

}  // namespace homevisit::api
