#include "api/visit_service.h"

#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/principal.h"
#include "api/request_replay.h"
#include "api/unary.h"
#include "api/visit_convert.h"
#include "document/visit_report_pdf.h"
#include "domain/order_commands.h"
#include "domain/text_rules.h"
#include "domain/visit_commands.h"
#include "domain/visit_scripts.h"

namespace homevisit::api {
namespace {

void RequireMessage(bool present, const char* field) {
  if (present) return;
  domain::Violations v;
  v.Add(field, "is required");
  v.ThrowIfAny();
}

}  // namespace

// Every step: one write, run at most once per request id (WriteOnce), guarded by the request's
// optional etag (the step functions check it), the state machine and the write's version check;
// recorded at the request's observe_time when it has one (the domain checks it is plausible).
template <typename Request, typename Step>
grpc::ServerUnaryReactor* VisitServiceImpl::Serve(grpc::CallbackServerContext* context, const char* method,
                                                  const Request* request, v1::ServiceOrder* response, Step step) {
  return ServeWrite(context, pool_, method, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    const std::optional<absl::Time> observed =
        request->has_observe_time()
            // Microseconds, as the database keeps every time.
            ? std::optional<absl::Time>(absl::FromUnixMicros(
                  absl::ToUnixMicros(FromProto(request->observe_time(), true, "observe_time"))))
            : std::nullopt;
    domain::Actor actor = CurrentActor(context);
    WriteOnce(db_, actor, request->request_id(), *request, response, [&](domain::UnitOfWork& work) {
      const absl::Time now = absl::Now();
      domain::ServiceOrder order = step(work, id, actor, domain::StepTime{now, observed.value_or(now)});
      ToProto(order, response);
    });
  });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordConfirmationCall(grpc::CallbackServerContext* context,
                                                                   const v1::RecordConfirmationCallRequest* request,
                                                                   v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor, const domain::StepTime& at) {
                 return domain::RecordConfirmationCall(work, id, static_cast<domain::CallResult>(request->result()),
                                                       request->note(), request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordFollowUpCall(grpc::CallbackServerContext* context,
                                                               const v1::RecordFollowUpCallRequest* request,
                                                               v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request, this](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor,
                               const domain::StepTime& at) {
                 return domain::RecordFollowUpCall(work, id, request->technician_present(), request->note(), policy_,
                                                   request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::CheckIn(grpc::CallbackServerContext* context,
                                                    const v1::CheckInRequest* request, v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor, const domain::StepTime& at) {
                 domain::CheckInInput input;
                 input.greeting_given = request->greeting_given();
                 input.vest_worn = request->vest_worn();
                 input.official_id_type = request->official_id_type();
                 input.reason_explained = request->reason_explained();
                 return domain::RecordCheckIn(work, id, input, request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordDiagnosis(grpc::CallbackServerContext* context,
                                                            const v1::RecordDiagnosisRequest* request,
                                                            v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request, this](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor,
                               const domain::StepTime& at) {
                 RequireMessage(request->has_diagnosis(), "diagnosis");
                 return domain::RecordDiagnosis(work, id, DiagnosisFromProto(request->diagnosis()),
                                                ChecklistFromProto(request->checklist()), policy_, request->etag(), actor,
                                                at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RequestEscalation(grpc::CallbackServerContext* context,
                                                              const v1::RequestEscalationRequest* request,
                                                              v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor, const domain::StepTime& at) {
                 return domain::RequestEscalation(work, id, static_cast<domain::PhoneUsed>(request->phone_used()),
                                                  request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordConference(grpc::CallbackServerContext* context,
                                                             const v1::RecordConferenceRequest* request,
                                                             v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor, const domain::StepTime& at) {
                 return domain::RecordConference(work, id, request->support_agent(), request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordHandOver(grpc::CallbackServerContext* context,
                                                           const v1::RecordHandOverRequest* request,
                                                           v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor, const domain::StepTime& at) {
                 return domain::RecordHandOver(work, id, request->note(), request->etag(), actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RecordOutcome(grpc::CallbackServerContext* context,
                                                          const v1::RecordOutcomeRequest* request,
                                                          v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request, this](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor,
                               const domain::StepTime& at) {
                 RequireMessage(request->has_outcome(), "outcome");
                 return domain::RecordOutcome(work, id, OutcomeFromProto(request->outcome()), policy_, request->etag(), actor,
                                              at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::CaptureSignature(grpc::CallbackServerContext* context,
                                                             const v1::CaptureSignatureRequest* request,
                                                             v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [request, this](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor,
                               const domain::StepTime& at) {
                 RequireMessage(request->has_signature(), "signature");
                 return domain::CaptureSignature(work, id, SignatureFromProto(request->signature()), policy_, request->etag(),
                                                 actor, at);
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::CompleteVisit(grpc::CallbackServerContext* context,
                                                          const v1::CompleteVisitRequest* request,
                                                          v1::ServiceOrder* response) {
  return Serve(context, __func__, request, response,
               [this, request](domain::UnitOfWork& work, const std::string& id, const domain::Actor& actor,
                               const domain::StepTime& at) {
                 return domain::CompleteVisit(work, id, request->note(), request->etag(), actor, at,
                                              [this](const domain::ServiceOrder& report, const std::string& sha256) {
                                                return document::RenderVisitReportPdf(
                                                    report, {policy_.time_zone, policy_.time_zone.name(), sha256});
                                              });
               });
}

grpc::ServerUnaryReactor* VisitServiceImpl::RenderScript(grpc::CallbackServerContext* context,
                                                         const v1::RenderScriptRequest* request,
                                                         v1::RenderScriptResponse* response) {
  return ServeShortRead(context, pool_, __func__, [=, this] {
    std::string id = IdFromName(request->service_order(), "serviceOrders", "service_order");
    int script = request->script();
    if (script < 1 || script > domain::kMaxScript) {
      domain::Violations v;
      v.Add("script", "must be GREETING, ESCALATION_ANNOUNCEMENT, FAREWELL_ESCALATED or FAREWELL_RESOLVED");
      v.ThrowIfAny();
    }
    domain::Actor actor = CurrentActor(context);
    domain::ServiceOrder order =
        db_.Read([&](domain::UnitOfWork& work) { return domain::GetOrder(work, id, actor); });
    response->set_text(
        domain::RenderScript(order, static_cast<domain::Script>(script), policy_.time_zone, absl::Now()));
  });
}

grpc::ServerUnaryReactor* VisitServiceImpl::GetChecklistTemplate(grpc::CallbackServerContext* context,
                                                                 const v1::GetChecklistTemplateRequest*,
                                                                 v1::ChecklistTemplate* response) {
  // The server's configured checklist: no database, but admitted like every call.
  return ServeShortRead(context, pool_, __func__, [=, this] {
    for (const domain::ChecklistItem& item : policy_.checklist) {
      v1::ChecklistTemplate::Item* out = response->add_items();
      out->set_item_id(item.item_id);
      out->set_label(item.label);
      out->set_service_item(item.service_item);
    }
  });
}

}  // namespace homevisit::api
