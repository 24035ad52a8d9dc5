#pragma once
#include "api/worker_pool.h"
#include "domain/visit.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "storage/database.h"

namespace homevisit::api {

// The visit procedure [B1-B11]. Adapts protos to domain/visit_commands.h; no rules here.
class VisitServiceImpl final : public v1::VisitService::CallbackService {
 public:
  VisitServiceImpl(storage::Database& db, WorkerPool& pool, domain::VisitPolicy policy)
      : db_(db), pool_(pool), policy_(std::move(policy)) {}

  grpc::ServerUnaryReactor* RecordConfirmationCall(grpc::CallbackServerContext* context,
                                                   const v1::RecordConfirmationCallRequest* request,
                                                   v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RecordFollowUpCall(grpc::CallbackServerContext* context,
                                               const v1::RecordFollowUpCallRequest* request,
                                               v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context, const v1::CheckInRequest* request,
                                    v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RecordDiagnosis(grpc::CallbackServerContext* context,
                                            const v1::RecordDiagnosisRequest* request,
                                            v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RequestEscalation(grpc::CallbackServerContext* context,
                                              const v1::RequestEscalationRequest* request,
                                              v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RecordConference(grpc::CallbackServerContext* context,
                                             const v1::RecordConferenceRequest* request,
                                             v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RecordHandOver(grpc::CallbackServerContext* context,
                                           const v1::RecordHandOverRequest* request,
                                           v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RecordOutcome(grpc::CallbackServerContext* context,
                                          const v1::RecordOutcomeRequest* request,
                                          v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* CaptureSignature(grpc::CallbackServerContext* context,
                                             const v1::CaptureSignatureRequest* request,
                                             v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* CompleteVisit(grpc::CallbackServerContext* context,
                                          const v1::CompleteVisitRequest* request,
                                          v1::ServiceOrder* response) override;
  grpc::ServerUnaryReactor* RenderScript(grpc::CallbackServerContext* context,
                                         const v1::RenderScriptRequest* request,
                                         v1::RenderScriptResponse* response) override;
  grpc::ServerUnaryReactor* GetChecklistTemplate(grpc::CallbackServerContext* context,
                                                 const v1::GetChecklistTemplateRequest* request,
                                                 v1::ChecklistTemplate* response) override;

 private:
  // The common shape of a step: the order's id from the request's `service_order`, one write
  // transaction running `step(work, id, actor, now)` at most once per request id, the updated
  // order back.
  template <typename Request, typename Step>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, const char* method, const Request* request,
                                  v1::ServiceOrder* response, Step step);

  storage::Database& db_;
  WorkerPool& pool_;
  const domain::VisitPolicy policy_;
};

}  // namespace homevisit::api
