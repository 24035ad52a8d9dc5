#pragma once
#include "absl/time/time.h"
#include "api/worker_pool.h"
#include "homevisit/v1/reporting_service.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The contract figures (issue 19). Adapts protos to domain::ComputeProgramMetrics; no rules here.
class ReportingServiceImpl final : public v1::ReportingService::CallbackService {
 public:
  ReportingServiceImpl(storage::Database& db, WorkerPool& pool, absl::TimeZone time_zone)
      : db_(db), pool_(pool), time_zone_(time_zone) {}

  grpc::ServerUnaryReactor* GetProgramMetrics(grpc::CallbackServerContext* context,
                                              const v1::GetProgramMetricsRequest* request,
                                              v1::ProgramMetrics* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
  absl::TimeZone time_zone_;
};

}  // namespace homevisit::api
