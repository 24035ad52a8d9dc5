#pragma once
// The visit procedure's fixture: an in-process server, a booked order and one helper per step,
// shared by the visit suites (visit_test.cc, visit_document_test.cc).
#include <gmock/gmock.h>

#include <functional>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "domain/errors.h"
#include "domain/order_commands.h"
#include "domain/png_image.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "homevisit/v1/visit_report.grpc.pb.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {

// A real signature image (libpng decodes it), plus `padding` bytes to test the size cap.
inline std::string Png(size_t padding = 0) { return domain::MakeGrayPng(320, 120) + std::string(padding, '\0'); }

class VisitTest : public ServiceTest {
 protected:
  v1::VisitService::Stub& Visits() {
    if (!visits_ || visits_channel_ != channel_) {
      visits_ = v1::VisitService::NewStub(channel_);
      reports_ = v1::VisitReportService::NewStub(channel_);
      visits_channel_ = channel_;
    }
    return *visits_;
  }
  v1::VisitReportService::Stub& Reports() {
    Visits();
    return *reports_;
  }

  // Restarts the in-process server on the same database with changed options.
  void RestartWith(const std::function<void(api::ServerOptions&)>& change) {
    StopServer();
    server_ = api::Server::Start(Options(change));
    channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
    orders_ = v1::ServiceOrderService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
  }
  api::ServerOptions Options(const std::function<void(api::ServerOptions&)>& change) {
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.database.url = db_->url();
    options.database.pool_size = 4;
    options.time_zone = absl::FixedTimeZone(-6 * 3600);
    options.worker_threads = 4;
    change(options);
    return options;
  }

  // An order booked with technician "Rosa Aguilar" for `window` (default: the requested one).
  // Booking is the scheduling service's job; here the appointment is written through the
  // repository so a window may lie in the past (intake refuses past windows).
  std::string Booked(const v1::ServiceOrder& intake = ValidOrder(),
                     std::optional<domain::TimeWindow> window = std::nullopt) {
    v1::ServiceOrder created = CreateOk(intake, "req-" + UniqueSuffix());
    std::string id = created.name().substr(created.name().find('/') + 1);
    server_->database().Write([&](domain::UnitOfWork& work) {
      if (!work.technicians().Find("tech-rosa")) {
        domain::Technician t;
        t.id = "tech-rosa";
        t.display_name = "Rosa Aguilar";
        t.employee_number = "DRW-2001";
        t.official_id_type = 1;
        t.mobile_phone = "5587654321";
        t.create_time = t.update_time = absl::Now();
        work.technicians().Insert(t);
      }
      domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      int expected = order.version;
      order.state = domain::OrderState::kScheduled;
      order.appointment =
          domain::Appointment{"tech-rosa", "", window ? *window : order.intake.requested_window, absl::Now()};
      ++order.version;
      work.orders().Update(order, expected);
    });
    return created.name();
  }

  grpc::Status Confirm(const std::string& name, v1::ConfirmationCall::Result result, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RecordConfirmationCallRequest request;
    request.set_service_order(name);
    request.set_result(result);
    request.set_note("Llamada de confirmación");
    return Visits().RecordConfirmationCall(&context, request, out);
  }
  grpc::Status FollowUp(const std::string& name, bool present, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RecordFollowUpCallRequest request;
    request.set_service_order(name);
    request.set_technician_present(present);
    return Visits().RecordFollowUpCall(&context, request, out);
  }
  grpc::Status CheckIn(const std::string& name, v1::ServiceOrder* out,
                       v1::OfficialIdType id_type = v1::OFFICIAL_ID_TYPE_INE) {
    grpc::ClientContext context;
    v1::CheckInRequest request;
    request.set_service_order(name);
    request.set_greeting_given(true);
    request.set_vest_worn(true);
    request.set_official_id_type(id_type);
    request.set_reason_explained(true);
    return Visits().CheckIn(&context, request, out);
  }
  v1::RecordDiagnosisRequest DiagnosisRequest(const std::string& name, bool internet_related,
                                              const std::string& failing_item = "") {
    v1::RecordDiagnosisRequest request;
    request.set_service_order(name);
    request.mutable_diagnosis()->set_internet_related(internet_related);
    request.mutable_diagnosis()->set_summary("Desconexiones cada hora; se revisa módem y cableado.");
    if (!internet_related) return request;
    for (const char* id : {"modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test",
                           "wifi_test_near_modem", "modem_restart", "area_outage"}) {
      auto* a = request.add_checklist();
      a->set_item_id(id);
      a->set_result(id == failing_item ? v1::ChecklistAnswer::RESULT_FAIL : v1::ChecklistAnswer::RESULT_PASS);
      if (std::string(id) == "wired_speed_test") a->set_measured_value("95/10 Mbps, 12 ms");
    }
    return request;
  }
  grpc::Status Diagnose(const v1::RecordDiagnosisRequest& request, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    return Visits().RecordDiagnosis(&context, request, out);
  }
  grpc::Status Escalate(const std::string& name, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RequestEscalationRequest request;
    request.set_service_order(name);
    request.set_phone_used(v1::Escalation::PHONE_USED_TECHNICIAN_MOBILE);
    return Visits().RequestEscalation(&context, request, out);
  }
  grpc::Status Conference(const std::string& name, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RecordConferenceRequest request;
    request.set_service_order(name);
    request.set_support_agent("Jorge Ruiz (soporte izzi)");
    return Visits().RecordConference(&context, request, out);
  }
  grpc::Status HandOver(const std::string& name, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RecordHandOverRequest request;
    request.set_service_order(name);
    request.set_note("Niveles de señal fuera de rango; módem reiniciado sin mejora.");
    return Visits().RecordHandOver(&context, request, out);
  }
  v1::RecordOutcomeRequest OutcomeRequest(
      const std::string& name, v1::Outcome::Result result,
      v1::Outcome::ReasonCategory category = v1::Outcome::REASON_CATEGORY_UNSPECIFIED,
      const std::string& reason = "") {
    v1::RecordOutcomeRequest request;
    request.set_service_order(name);
    auto* o = request.mutable_outcome();
    o->set_result(result);
    o->set_problem("El internet se desconecta cada hora.");
    o->set_diagnosis("Conector coaxial flojo.");
    o->set_actions_performed("Se reemplazó el conector y se probó la conexión.");
    o->set_reason_category(category);
    o->set_reason_text(reason);
    return request;
  }
  grpc::Status Outcome(const v1::RecordOutcomeRequest& request, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    return Visits().RecordOutcome(&context, request, out);
  }
  grpc::Status Sign(const std::string& name, const v1::Signature& signature, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::CaptureSignatureRequest request;
    request.set_service_order(name);
    *request.mutable_signature() = signature;
    return Visits().CaptureSignature(&context, request, out);
  }
  v1::Signature Signed() {
    v1::Signature s;
    s.set_signer_name("Ana López");
    s.set_image_png(Png());
    return s;
  }
  v1::Signature Refused(const std::string& reason) {
    v1::Signature s;
    s.set_refused(true);
    s.set_refusal_reason(reason);
    return s;
  }
  grpc::Status Complete(const std::string& name, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::CompleteVisitRequest request;
    request.set_service_order(name);
    request.set_note("Trabajos concluidos");
    return Visits().CompleteVisit(&context, request, out);
  }
  grpc::Status Script(const std::string& name, v1::RenderScriptRequest::Script script, std::string* text) {
    grpc::ClientContext context;
    v1::RenderScriptRequest request;
    request.set_service_order(name);
    request.set_script(script);
    v1::RenderScriptResponse response;
    grpc::Status status = Visits().RenderScript(&context, request, &response);
    *text = response.text();
    return status;
  }
  grpc::Status Report(const std::string& order_name, v1::VisitReport* out) {
    grpc::ClientContext context;
    v1::GetVisitReportRequest request;
    request.set_name(order_name + "/visitReport");
    return Reports().GetVisitReport(&context, request, out);
  }
  std::vector<v1::Event::Type> TypesOf(const std::string& name) {
    std::vector<v1::Event::Type> types;
    for (const auto& e : EventsOf(name)) types.push_back(e.type());
    return types;
  }
  int CountOf(const std::string& name, v1::Event::Type type) {
    int n = 0;
    for (const auto& e : EventsOf(name)) n += e.type() == type ? 1 : 0;
    return n;
  }

  // A wrong state or broken guard: FAILED_PRECONDITION whose message names `state`.
  static void ExpectRefused(const grpc::Status& status, const std::string& state, const std::string& reason = "") {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr(state));
    if (!reason.empty()) {
      EXPECT_EQ(ErrorReason(status), reason);
    }
  }

  // Walks a booked order through confirmation, follow-up and check-in.
  void ArriveAt(const std::string& name) {
    v1::ServiceOrder out;
    ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_CONFIRMED, &out).ok());
    ASSERT_TRUE(CheckIn(name, &out).ok());
  }

  std::shared_ptr<grpc::Channel> visits_channel_;
  std::unique_ptr<v1::VisitService::Stub> visits_;
  std::unique_ptr<v1::VisitReportService::Stub> reports_;
};

}  // namespace homevisit::testing
