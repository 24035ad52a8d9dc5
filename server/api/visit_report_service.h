#pragma once
#include "api/worker_pool.h"
#include "homevisit/v1/visit_report.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The subscriber's file: filed visit reports [G1, G5]. Adapts protos to the domain; no rules here.
class VisitReportServiceImpl final : public v1::VisitReportService::CallbackService {
 public:
  VisitReportServiceImpl(storage::Database& db, WorkerPool& pool) : db_(db), pool_(pool) {}

  grpc::ServerUnaryReactor* GetVisitReport(grpc::CallbackServerContext* context,
                                           const v1::GetVisitReportRequest* request,
                                           v1::VisitReport* response) override;
  grpc::ServerUnaryReactor* ListVisitReports(grpc::CallbackServerContext* context,
                                             const v1::ListVisitReportsRequest* request,
                                             v1::ListVisitReportsResponse* response) override;
  grpc::ServerUnaryReactor* GetVisitReportDocument(grpc::CallbackServerContext* context,
                                                   const v1::GetVisitReportDocumentRequest* request,
                                                   v1::VisitReportDocument* response) override;

 private:
  storage::Database& db_;
  WorkerPool& pool_;
};

}  // namespace homevisit::api
