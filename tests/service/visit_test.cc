// The visit procedure [B1-B11] as DOT and a technician walk it, through a real client against a
// real database: every ending, every guard out of order, the events, the report, the scripts,
// and the late alert.
#include <gmock/gmock.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "domain/errors.h"
#include "visit_fixture.h"

namespace homevisit::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using Type = v1::Event;

TEST_F(VisitTest, TheChecklistTemplateIsWhatTheDiagnosisAnswers) {
  grpc::ClientContext context;
  v1::ChecklistTemplate checklist;
  ASSERT_TRUE(Visits().GetChecklistTemplate(&context, v1::GetChecklistTemplateRequest(), &checklist).ok());
  std::vector<std::string> ids;
  for (const auto& item : checklist.items()) {
    ids.push_back(item.item_id());
    EXPECT_FALSE(item.label().empty()) << item.item_id();
  }
  EXPECT_THAT(ids, ElementsAre("modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test",
                               "wifi_test_near_modem", "modem_restart", "area_outage"));
  EXPECT_EQ(checklist.items(0).label(), "Encendido y luces del módem");
  EXPECT_TRUE(checklist.items(0).service_item());
  // Answering exactly the template's items is a complete internet-related diagnosis.
  std::string name = Booked();
  ArriveAt(name);
  v1::RecordDiagnosisRequest request = DiagnosisRequest(name, true);
  request.clear_checklist();
  for (const auto& item : checklist.items()) {
    auto* answer = request.add_checklist();
    answer->set_item_id(item.item_id());
    answer->set_result(v1::ChecklistAnswer::RESULT_PASS);
  }
  v1::ServiceOrder out;
  ASSERT_TRUE(Diagnose(request, &out).ok());
  EXPECT_EQ(out.visit().checklist_size(), checklist.items_size());
}

TEST_F(VisitTest, ResolvedVisitFromConfirmationToFiledReport) {
  std::string name = Booked();
  v1::ServiceOrder out;

  ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_CONFIRMED, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_CONFIRMED);
  EXPECT_EQ(out.visit().confirmation_call().result(), v1::ConfirmationCall::RESULT_CONFIRMED);
  EXPECT_EQ(out.visit().confirmation_call().actor(), "test-dot-supervisor");  // the authenticated principal

  ASSERT_TRUE(FollowUp(name, true, &out).ok());
  EXPECT_TRUE(out.visit().follow_up_call().technician_present());
  EXPECT_FALSE(out.visit().has_late_alert_time());

  std::string greeting;
  ASSERT_TRUE(Script(name, v1::RenderScriptRequest::SCRIPT_GREETING, &greeting).ok());
  EXPECT_THAT(greeting, HasSubstr("mi nombre es Rosa Aguilar de su servicio izzi Dr. Wifi"));

  absl::Time before = absl::Now();
  ASSERT_TRUE(CheckIn(name, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_ON_SITE);
  const v1::CheckIn& check_in = out.visit().check_in();
  EXPECT_GE(api::FromProto(check_in.arrival_time(), true), before - absl::Seconds(1));
  EXPECT_EQ(check_in.punctuality(), v1::CheckIn::PUNCTUALITY_EARLY);  // the window is two days ahead
  EXPECT_EQ(check_in.official_id_type(), v1::OFFICIAL_ID_TYPE_INE);
  EXPECT_TRUE(check_in.vest_worn());

  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true), &out).ok());
  ASSERT_EQ(out.visit().checklist_size(), 7);
  EXPECT_EQ(out.visit().checklist(3).item_id(), "wired_speed_test");
  EXPECT_EQ(out.visit().checklist(3).measured_value(), "95/10 Mbps, 12 ms");
  EXPECT_EQ(out.visit().checklist(0).label(), "Encendido y luces del módem");
  EXPECT_TRUE(out.visit().checklist(0).service_item());

  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_OUTCOME_RECORDED);
  std::string farewell;
  ASSERT_TRUE(Script(name, v1::RenderScriptRequest::SCRIPT_FAREWELL_RESOLVED, &farewell).ok());
  EXPECT_THAT(farewell, StartsWith("Sr/Srita López, su problema ha quedado resuelto."));

  ASSERT_TRUE(Sign(name, Signed(), &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SIGNED);
  EXPECT_EQ(out.visit().signature().image_png(), Png());
  EXPECT_TRUE(out.visit().signature().has_sign_time());

  ASSERT_TRUE(Complete(name, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_COMPLETED);

  EXPECT_THAT(TypesOf(name), ElementsAre(Type::TYPE_ORDER_CREATED, Type::TYPE_CALL_RECORDED, Type::TYPE_CALL_RECORDED,
                                         Type::TYPE_CHECKED_IN, Type::TYPE_DIAGNOSIS_RECORDED,
                                         Type::TYPE_OUTCOME_RECORDED, Type::TYPE_SIGNED, Type::TYPE_COMPLETED));
  auto events = EventsOf(name);
  EXPECT_EQ(events[1].attributes().at("result"), "CONFIRMED");
  EXPECT_EQ(events[3].attributes().at("punctuality"), "EARLY");
  EXPECT_EQ(events[7].attributes().at("state"), "COMPLETED");

  // The stored order shows the whole visit, read back from the database.
  v1::ServiceOrder stored = Get(name);
  EXPECT_EQ(stored.visit().checklist_size(), 7);
  EXPECT_EQ(stored.visit().outcome().result(), v1::Outcome::RESULT_RESOLVED);
  EXPECT_EQ(stored.visit().signature().image_png(), Png());
  EXPECT_EQ(stored.etag(), out.etag());

  v1::VisitReport report;
  ASSERT_TRUE(Report(name, &report).ok());
  EXPECT_EQ(report.name(), name + "/visitReport");
  EXPECT_EQ(report.service_order().visit().check_in().punctuality(), v1::CheckIn::PUNCTUALITY_EARLY);
  EXPECT_EQ(report.service_order().appointment().technician_display_name(), "Rosa Aguilar");
  EXPECT_EQ(api::FromProto(report.file_time(), true),
            api::FromProto(report.service_order().visit().completion().complete_time(), true));
  EXPECT_EQ(report.service_order().visit().completion().note(), "Trabajos concluidos");

  // After completion every step is refused, naming the state.
  ExpectRefused(CheckIn(name, &out), "COMPLETED", "WRONG_STATE");
  ExpectRefused(Complete(name, &out), "COMPLETED", "WRONG_STATE");
}

TEST_F(VisitTest, NotResolvedNeedsACategoryAndAClearReason) {
  std::string name = Booked();
  ArriveAt(name);
  v1::ServiceOrder out;
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, false), &out).ok());
  EXPECT_EQ(out.visit().checklist_size(), 0);

  grpc::Status missing = Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED), &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(missing), ElementsAre("outcome.reason_category", "outcome.reason_text"));

  v1::RecordOutcomeRequest blank = OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED);
  blank.mutable_outcome()->clear_problem();
  blank.mutable_outcome()->clear_diagnosis();
  blank.mutable_outcome()->set_actions_performed("  ");
  EXPECT_THAT(ViolatedFields(Outcome(blank, &out)),
              ElementsAre("outcome.problem", "outcome.diagnosis", "outcome.actions_performed"));

  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED,
                                     v1::Outcome::REASON_CATEGORY_NEEDS_EQUIPMENT,
                                     "El módem requiere reemplazo; se solicitará un equipo nuevo."),
                      &out)
                  .ok());
  EXPECT_EQ(out.visit().outcome().reason_category(), v1::Outcome::REASON_CATEGORY_NEEDS_EQUIPMENT);

  ExpectRefused(Complete(name, &out), "OUTCOME_RECORDED", "SIGNATURE_MISSING");
  EXPECT_THAT(ViolatedFields(Sign(name, Refused(""), &out)), ElementsAre("signature.refusal_reason"));
  ASSERT_TRUE(Sign(name, Refused("No está de acuerdo con el resultado"), &out).ok());
  EXPECT_TRUE(out.visit().signature().refused());
  ASSERT_TRUE(Complete(name, &out).ok());
  EXPECT_THAT(TypesOf(name), ElementsAre(Type::TYPE_ORDER_CREATED, Type::TYPE_CALL_RECORDED, Type::TYPE_CHECKED_IN,
                                         Type::TYPE_DIAGNOSIS_RECORDED, Type::TYPE_OUTCOME_RECORDED, Type::TYPE_SIGNED,
                                         Type::TYPE_COMPLETED));
  v1::VisitReport report;
  ASSERT_TRUE(Report(name, &report).ok());
  EXPECT_EQ(report.service_order().visit().outcome().reason_text(),
            "El módem requiere reemplazo; se solicitará un equipo nuevo.");
  EXPECT_EQ(report.service_order().visit().signature().refusal_reason(), "No está de acuerdo con el resultado");
}

TEST_F(VisitTest, FailedServiceItemForcesTheEscalationPath) {
  std::string name = Booked();
  ArriveAt(name);
  v1::ServiceOrder out;
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true, "modem_signal_levels"), &out).ok());

  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out), "ON_SITE", "ESCALATION_REQUIRED");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_ESCALATED), &out), "ON_SITE", "WRONG_STATE");
  ExpectRefused(Conference(name, &out), "ON_SITE", "WRONG_STATE");

  std::string announcement;
  ASSERT_TRUE(Script(name, v1::RenderScriptRequest::SCRIPT_ESCALATION_ANNOUNCEMENT, &announcement).ok());
  EXPECT_THAT(announcement, StartsWith("Sr/Srita López, le comento que después del diagnóstico"));

  ASSERT_TRUE(Escalate(name, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_ESCALATING);
  EXPECT_EQ(out.visit().escalation().phone_used(), v1::Escalation::PHONE_USED_TECHNICIAN_MOBILE);
  ExpectRefused(Escalate(name, &out), "ESCALATING", "WRONG_STATE");

  // [B6.c.i] The technician may not finish before the conference, nor before the hand-over.
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_ESCALATED), &out), "ESCALATING", "CONFERENCE_MISSING");
  ExpectRefused(HandOver(name, &out), "ESCALATING", "CONFERENCE_MISSING");
  ASSERT_TRUE(Conference(name, &out).ok());
  EXPECT_EQ(out.visit().escalation().support_agent(), "Jorge Ruiz (soporte izzi)");
  EXPECT_TRUE(out.visit().escalation().has_conference_time());
  ExpectRefused(Conference(name, &out), "ESCALATING", "CONFERENCE_ALREADY_SET_UP");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_ESCALATED), &out), "ESCALATING", "HAND_OVER_MISSING");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out), "ESCALATING",
                "ESCALATION_IN_PROGRESS");

  std::string farewell;
  ASSERT_TRUE(Script(name, v1::RenderScriptRequest::SCRIPT_FAREWELL_ESCALATED, &farewell).ok());
  EXPECT_EQ(farewell,
            "Sr/Srita López, por mi parte ha sido todo, lo dejo con mi compañero de soporte técnico izzi, para que "
            "continuemos atendiéndolo.");
  ASSERT_TRUE(HandOver(name, &out).ok());
  EXPECT_TRUE(out.visit().escalation().has_hand_over_time());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_ESCALATED), &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_OUTCOME_RECORDED);
  ASSERT_TRUE(Sign(name, Signed(), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());

  EXPECT_THAT(TypesOf(name),
              ElementsAre(Type::TYPE_ORDER_CREATED, Type::TYPE_CALL_RECORDED, Type::TYPE_CHECKED_IN,
                          Type::TYPE_DIAGNOSIS_RECORDED, Type::TYPE_ESCALATION_REQUESTED, Type::TYPE_CONFERENCE_SET_UP,
                          Type::TYPE_HANDED_OVER, Type::TYPE_OUTCOME_RECORDED, Type::TYPE_SIGNED,
                          Type::TYPE_COMPLETED));
  auto events = EventsOf(name);
  EXPECT_EQ(events[3].attributes().at("failed_service_items"), "modem_signal_levels");
  EXPECT_EQ(events[4].attributes().at("phone_used"), "TECHNICIAN_MOBILE");
  EXPECT_EQ(events[7].attributes().at("result"), "ESCALATED");

  // DOT supervisors learn of escalations from the event feed, filtered by type.
  grpc::ClientContext context;
  v1::ListEventsRequest request;
  request.add_types(Type::TYPE_ESCALATION_REQUESTED);
  v1::ListEventsResponse response;
  ASSERT_TRUE(events_->ListEvents(&context, request, &response).ok());
  ASSERT_EQ(response.events_size(), 1);
  EXPECT_EQ(response.events(0).service_order(), name);

  v1::VisitReport report;
  ASSERT_TRUE(Report(name, &report).ok());
  EXPECT_EQ(report.service_order().visit().escalation().hand_over_note(),
            "Niveles de señal fuera de rango; módem reiniciado sin mejora.");
}

TEST_F(VisitTest, AbsentSubscriberIsNotResolvedWithoutDiagnosis) {
  std::string name = Booked();
  v1::ServiceOrder out;
  // DOT could not reach the subscriber: the order stays SCHEDULED and the technician goes anyway.
  ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_NOT_REACHABLE, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SCHEDULED);
  ASSERT_TRUE(CheckIn(name, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_ON_SITE);

  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED, v1::Outcome::REASON_CATEGORY_OTHER,
                                       "No se pudo revisar"),
                        &out),
                "ON_SITE", "DIAGNOSIS_MISSING");
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED,
                                     v1::Outcome::REASON_CATEGORY_SUBSCRIBER_ABSENT,
                                     "Nadie abrió tras tocar 15 minutos; se dejó aviso con el vigilante."),
                      &out)
                  .ok());
  EXPECT_FALSE(out.visit().has_diagnosis());
  ASSERT_TRUE(Sign(name, Refused("Suscriptor ausente"), &out).ok());
  ASSERT_TRUE(Complete(name, &out).ok());
  auto events = EventsOf(name);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[3].attributes().at("result"), "NOT_RESOLVED");
  EXPECT_EQ(events[3].attributes().at("reason_category"), "1");
  EXPECT_EQ(events[5].type(), Type::TYPE_COMPLETED);
}

TEST_F(VisitTest, CancelledAfterTheConfirmationCall) {
  std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_CONFIRMED, &out).ok());
  ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_CHANGE_REQUESTED, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_EQ(out.visit().confirmation_call().result(), v1::ConfirmationCall::RESULT_CHANGE_REQUESTED);

  grpc::ClientContext context;
  v1::CancelServiceOrderRequest cancel;
  cancel.set_name(name);
  cancel.set_reason("El suscriptor ya no necesita la visita");
  cancel.set_etag(out.etag());
  ASSERT_TRUE(orders_->CancelServiceOrder(&context, cancel, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_CANCELLED);
  EXPECT_EQ(out.visit().confirmation_call().note(), "Llamada de confirmación");

  ExpectRefused(CheckIn(name, &out), "CANCELLED", "WRONG_STATE");
  ExpectRefused(Confirm(name, v1::ConfirmationCall::RESULT_CONFIRMED, &out), "CANCELLED", "WRONG_STATE");
  ExpectRefused(FollowUp(name, false, &out), "CANCELLED", "WRONG_STATE");
  v1::VisitReport report;
  EXPECT_EQ(Report(name, &report).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(TypesOf(name), ElementsAre(Type::TYPE_ORDER_CREATED, Type::TYPE_CALL_RECORDED, Type::TYPE_CALL_RECORDED,
                                         Type::TYPE_CANCELLED));
}

TEST_F(VisitTest, EveryStepOutOfOrderIsRefusedNamingTheState) {
  v1::ServiceOrder out;
  // Not booked yet.
  std::string requested = CreateOk(ValidOrder(), "req-unbooked").name();
  ExpectRefused(Confirm(requested, v1::ConfirmationCall::RESULT_CONFIRMED, &out), "REQUESTED", "WRONG_STATE");
  // Nobody is assigned yet, so no technician can even see the order.
  EXPECT_EQ(CheckIn(requested, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  std::string text;
  ExpectRefused(Script(requested, v1::RenderScriptRequest::SCRIPT_GREETING, &text), "REQUESTED", "NO_TECHNICIAN");

  // Booked, technician not there yet.
  std::string name = Booked();
  ExpectRefused(Diagnose(DiagnosisRequest(name, true), &out), "SCHEDULED", "WRONG_STATE");
  ExpectRefused(Escalate(name, &out), "SCHEDULED", "WRONG_STATE");
  ExpectRefused(HandOver(name, &out), "SCHEDULED", "WRONG_STATE");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out), "SCHEDULED", "WRONG_STATE");
  ExpectRefused(Sign(name, Signed(), &out), "SCHEDULED", "WRONG_STATE");
  ExpectRefused(Complete(name, &out), "SCHEDULED", "WRONG_STATE");

  // Bad input is INVALID_ARGUMENT naming the field, whatever the state.
  EXPECT_THAT(ViolatedFields(Confirm(name, v1::ConfirmationCall::RESULT_UNSPECIFIED, &out)), ElementsAre("result"));
  EXPECT_THAT(ViolatedFields(CheckIn(name, &out, v1::OFFICIAL_ID_TYPE_UNSPECIFIED)), ElementsAre("official_id_type"));
  // Unconfirmed: check-in only after DOT tried and could not reach the subscriber.
  ExpectRefused(CheckIn(name, &out), "SCHEDULED", "NOT_CONFIRMED");
  ASSERT_TRUE(Confirm(name, v1::ConfirmationCall::RESULT_CHANGE_REQUESTED, &out).ok());
  ExpectRefused(CheckIn(name, &out), "SCHEDULED", "NOT_CONFIRMED");
  ArriveAt(name);
  ExpectRefused(CheckIn(name, &out), "ON_SITE", "WRONG_STATE");

  // On site: the diagnosis and its checklist come before an outcome or an escalation.
  ExpectRefused(Escalate(name, &out), "ON_SITE", "DIAGNOSIS_MISSING");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out), "ON_SITE", "DIAGNOSIS_MISSING");
  ExpectRefused(Sign(name, Signed(), &out), "ON_SITE", "WRONG_STATE");
  ExpectRefused(Complete(name, &out), "ON_SITE", "WRONG_STATE");

  v1::RecordDiagnosisRequest incomplete = DiagnosisRequest(name, true);
  incomplete.mutable_checklist()->RemoveLast();
  grpc::Status status = Diagnose(incomplete, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("checklist"));
  EXPECT_THAT(status.error_details(), HasSubstr("area_outage"));

  v1::RecordDiagnosisRequest unknown = DiagnosisRequest(name, true);
  unknown.mutable_checklist(2)->set_item_id("router_color");
  unknown.mutable_checklist(4)->set_result(v1::ChecklistAnswer::RESULT_UNSPECIFIED);
  EXPECT_THAT(ViolatedFields(Diagnose(unknown, &out)),
              ElementsAre("checklist[2].item_id", "checklist[4].result", "checklist"));
  v1::RecordDiagnosisRequest twice = DiagnosisRequest(name, true);
  *twice.add_checklist() = twice.checklist(0);
  EXPECT_THAT(ViolatedFields(Diagnose(twice, &out)), ElementsAre("checklist[7].item_id"));
  v1::RecordDiagnosisRequest no_diagnosis;
  no_diagnosis.set_service_order(name);
  EXPECT_THAT(ViolatedFields(Diagnose(no_diagnosis, &out)), ElementsAre("diagnosis"));
  EXPECT_EQ(TypesOf(name).back(), Type::TYPE_CHECKED_IN);  // nothing refused left a trace

  // The last diagnosis counts; the outcome then goes through.
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true, "modem_restart"), &out).ok());
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, true), &out).ok());
  EXPECT_EQ(out.visit().checklist(5).result(), v1::ChecklistAnswer::RESULT_PASS);
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out).ok());
  ExpectRefused(Diagnose(DiagnosisRequest(name, true), &out), "OUTCOME_RECORDED", "WRONG_STATE");
  ExpectRefused(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out), "OUTCOME_RECORDED", "WRONG_STATE");

  v1::ServiceOrder unknown_order;
  EXPECT_EQ(CheckIn("serviceOrders/does-not-exist", &unknown_order).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(ViolatedFields(CheckIn("orders/x", &unknown_order)), ElementsAre("service_order"));
}

TEST_F(VisitTest, SignatureMustBeASizeLimitedPng) {
  std::string name = Booked();
  ArriveAt(name);
  v1::ServiceOrder out;
  ASSERT_TRUE(Diagnose(DiagnosisRequest(name, false), &out).ok());
  ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_RESOLVED), &out).ok());

  v1::Signature jpeg = Signed();
  jpeg.set_image_png(std::string("\xff\xd8\xff\xe0", 4) + std::string(100, 'x'));
  EXPECT_THAT(ViolatedFields(Sign(name, jpeg, &out)), ElementsAre("signature.image_png"));
  v1::Signature no_ihdr = Signed();
  std::string bytes = Png();
  bytes.replace(12, 4, "IDAT");
  no_ihdr.set_image_png(bytes);
  EXPECT_THAT(ViolatedFields(Sign(name, no_ihdr, &out)), ElementsAre("signature.image_png"));
  v1::Signature header_then_garbage = Signed();  // what a sniffing check used to accept
  header_then_garbage.set_image_png(Png().substr(0, 33) + std::string(2000, 'x'));
  EXPECT_THAT(ViolatedFields(Sign(name, header_then_garbage, &out)), ElementsAre("signature.image_png"));
  v1::Signature too_big = Signed();
  too_big.set_image_png(Png(256 * 1024));
  grpc::Status big = Sign(name, too_big, &out);
  EXPECT_THAT(ViolatedFields(big), ElementsAre("signature.image_png"));
  EXPECT_THAT(big.error_details(), HasSubstr("262144"));
  v1::Signature anonymous = Signed();
  anonymous.clear_signer_name();
  anonymous.clear_image_png();
  EXPECT_THAT(ViolatedFields(Sign(name, anonymous, &out)),
              ElementsAre("signature.signer_name", "signature.image_png"));

  v1::Signature largest = Signed();
  largest.set_image_png(Png(256 * 1024 - Png().size()));
  ASSERT_EQ(largest.image_png().size(), 256u * 1024u);
  ASSERT_TRUE(Sign(name, largest, &out).ok());
  EXPECT_EQ(Get(name).visit().signature().image_png(), largest.image_png());
  EXPECT_EQ(Get(name).visit().signature().signer_name(), "Ana López");
}

TEST_F(VisitTest, ReportsOfAFileNewestFirstAndPaginated) {
  v1::ServiceOrder intake = ValidOrder();
  std::vector<std::string> completed;
  for (int i = 0; i < 3; ++i) {
    std::string name = Booked(intake);
    ArriveAt(name);
    v1::ServiceOrder out;
    ASSERT_TRUE(Outcome(OutcomeRequest(name, v1::Outcome::RESULT_NOT_RESOLVED,
                                       v1::Outcome::REASON_CATEGORY_SUBSCRIBER_ABSENT, "Nadie en casa"),
                        &out)
                    .ok());
    ASSERT_TRUE(Sign(name, Refused("Ausente"), &out).ok());
    ASSERT_TRUE(Complete(name, &out).ok());
    completed.push_back(name);
  }
  std::string open = Booked(intake);  // same file, not completed: no report
  v1::ServiceOrder other = ValidOrder();
  std::string elsewhere = Booked(other);
  ArriveAt(elsewhere);

  std::vector<std::string> names;
  v1::ListVisitReportsRequest request;
  request.set_file_number(intake.file_number());
  request.set_page_size(2);
  std::vector<int> page_sizes;
  for (int guard = 0; guard < 10; ++guard) {
    grpc::ClientContext context;
    v1::ListVisitReportsResponse response;
    grpc::Status status = Reports().ListVisitReports(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(response.visit_reports_size());
    for (const auto& report : response.visit_reports()) {
      names.push_back(report.service_order().name());
      EXPECT_EQ(report.name(), report.service_order().name() + "/visitReport");
      EXPECT_TRUE(report.has_file_time());
    }
    if (response.next_page_token().empty()) break;
    // A token belongs to its file number.
    grpc::ClientContext other_context;
    v1::ListVisitReportsRequest mixed;
    mixed.set_file_number(other.file_number());
    mixed.set_page_token(response.next_page_token());
    v1::ListVisitReportsResponse ignored;
    EXPECT_THAT(ViolatedFields(Reports().ListVisitReports(&other_context, mixed, &ignored)), ElementsAre("page_token"));
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(2, 1));
  EXPECT_THAT(names, ElementsAre(completed[2], completed[1], completed[0]));

  grpc::ClientContext context;
  v1::ListVisitReportsRequest no_file;
  v1::ListVisitReportsResponse response;
  EXPECT_THAT(ViolatedFields(Reports().ListVisitReports(&context, no_file, &response)), ElementsAre("file_number"));
  v1::VisitReport report;
  EXPECT_EQ(Report(open, &report).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext bad_name_context;
  v1::GetVisitReportRequest bad_name;
  bad_name.set_name(open);  // the order's name, not its report's
  EXPECT_THAT(ViolatedFields(Reports().GetVisitReport(&bad_name_context, bad_name, &report)), ElementsAre("name"));

  // Listing orders shows their visits too (checklists loaded for the whole page).
  v1::ListServiceOrdersRequest list;
  list.set_file_number(intake.file_number());
  auto orders = ListAll(list);
  ASSERT_EQ(orders.size(), 4u);
  EXPECT_EQ(orders[1].visit().outcome().reason_category(), v1::Outcome::REASON_CATEGORY_SUBSCRIBER_ABSENT);
  EXPECT_FALSE(orders[0].has_visit());
}

TEST_F(VisitTest, LateTechnicianRaisesOneAlertAcrossReplicas) {
  RestartWith([](api::ServerOptions& o) {
    o.visit.late_tolerance = absl::ZeroDuration();
    o.late_sweep_interval = absl::ZeroDuration();  // swept by hand below
  });
  auto replica = api::Server::Start(Options([](api::ServerOptions& o) {
    o.visit.late_tolerance = absl::ZeroDuration();
    o.late_sweep_interval = absl::ZeroDuration();
  }));
  absl::Time now = absl::Now();
  std::string late = Booked(ValidOrder(), domain::TimeWindow{now - absl::Minutes(30), now + absl::Minutes(90)});
  std::string future = Booked();  // its window has not started: no alert

  // Both replicas sweep at once, repeatedly: one alert.
  int raised = 0;
  std::atomic<int> raised_by_replica{0};
  std::thread other([&] {
    for (int i = 0; i < 5; ++i) raised_by_replica += replica->SweepLateAlerts();
  });
  for (int i = 0; i < 5; ++i) raised += server_->SweepLateAlerts();
  other.join();
  EXPECT_EQ(raised + raised_by_replica, 1);
  EXPECT_EQ(CountOf(late, Type::TYPE_TECHNICIAN_LATE), 1);
  EXPECT_EQ(CountOf(future, Type::TYPE_TECHNICIAN_LATE), 0);
  v1::ServiceOrder order = Get(late);
  EXPECT_TRUE(order.visit().has_late_alert_time());
  EXPECT_EQ(order.etag(), "v3");  // booked (v2), alert (v3)

  // DOT's follow-up finds the technician absent: the alert is not raised twice.
  v1::ServiceOrder out;
  ASSERT_TRUE(FollowUp(late, false, &out).ok());
  EXPECT_EQ(CountOf(late, Type::TYPE_TECHNICIAN_LATE), 1);
  ASSERT_TRUE(Confirm(late, v1::ConfirmationCall::RESULT_NOT_REACHABLE, &out).ok());
  ASSERT_TRUE(CheckIn(late, &out).ok());
  EXPECT_EQ(out.visit().check_in().punctuality(), v1::CheckIn::PUNCTUALITY_ON_TIME);
  EXPECT_EQ(server_->SweepLateAlerts(), 0);
  auto events = EventsOf(late);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[1].type(), Type::TYPE_TECHNICIAN_LATE);
  EXPECT_EQ(events[1].actor(), "homevisitd");
  EXPECT_EQ(events[1].attributes().at("technician"), "tech-rosa");
  replica->Shutdown(absl::Seconds(1));
}

TEST_F(VisitTest, FollowUpCallWithoutTechnicianRaisesTheAlertAtOnce) {
  RestartWith([](api::ServerOptions& o) {
    o.visit.late_tolerance = absl::Minutes(10);
    o.late_sweep_interval = absl::ZeroDuration();
  });
  absl::Time now = absl::Now();
  std::string overdue = Booked(ValidOrder(), domain::TimeWindow{now - absl::Minutes(11), now + absl::Minutes(109)});
  std::string within = Booked(ValidOrder(), domain::TimeWindow{now - absl::Minutes(5), now + absl::Minutes(115)});
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(overdue, v1::ConfirmationCall::RESULT_CONFIRMED, &out).ok());
  ASSERT_TRUE(FollowUp(overdue, false, &out).ok());
  EXPECT_TRUE(out.visit().has_late_alert_time());
  EXPECT_EQ(out.etag(), Get(overdue).etag());
  EXPECT_THAT(TypesOf(overdue), ElementsAre(Type::TYPE_ORDER_CREATED, Type::TYPE_CALL_RECORDED,
                                            Type::TYPE_CALL_RECORDED, Type::TYPE_TECHNICIAN_LATE));
  ASSERT_TRUE(FollowUp(within, false, &out).ok());
  EXPECT_FALSE(out.visit().has_late_alert_time());
  EXPECT_EQ(server_->SweepLateAlerts(), 0);  // the overdue one is raised already, the other is within tolerance
}

TEST_F(VisitTest, BackgroundSweepRaisesTheAlertByItself) {
  RestartWith([](api::ServerOptions& o) {
    o.visit.late_tolerance = absl::ZeroDuration();
    o.late_sweep_interval = absl::Milliseconds(50);
  });
  absl::Time now = absl::Now();
  std::string late = Booked(ValidOrder(), domain::TimeWindow{now - absl::Minutes(1), now + absl::Minutes(119)});
  for (int i = 0; i < 200 && CountOf(late, Type::TYPE_TECHNICIAN_LATE) == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(CountOf(late, Type::TYPE_TECHNICIAN_LATE), 1);
  absl::SleepFor(absl::Milliseconds(200));  // a few more sweeps
  EXPECT_EQ(CountOf(late, Type::TYPE_TECHNICIAN_LATE), 1);
}

// Deactivation revokes the technician's credentials at once (here; other replicas within the
// credential cache's second), except while one of their visits is under way: that visit is
// finished first, by the technician who is there.
TEST_F(VisitTest, DeactivatingATechnicianRevokesTheirAccessButNeverMidVisit) {
  std::string booked = Booked();
  std::string on_site = Booked(ValidOrder(3));
  std::string token = IssueToken(db_->url(), domain::Role::kTechnician, "tech-rosa");
  auto phone = v1::VisitService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), token));
  auto phone_orders =
      v1::ServiceOrderService::NewStub(TokenChannel(absl::StrCat("127.0.0.1:", server_->port()), token));
  auto technicians = v1::TechnicianService::NewStub(channel_);  // a dispatcher's (auto) credential
  auto deactivate = [&] {
    grpc::ClientContext context;
    v1::DeactivateTechnicianRequest request;
    request.set_name("technicians/tech-rosa");
    v1::Technician out;
    return technicians->DeactivateTechnician(&context, request, &out);
  };
  auto read = [&](const std::string& name) {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(name);
    v1::ServiceOrder out;
    return phone_orders->GetServiceOrder(&context, request, &out);
  };
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(on_site, v1::ConfirmationCall::RESULT_CONFIRMED, &out).ok());
  {
    grpc::ClientContext context;
    v1::CheckInRequest request;
    request.set_service_order(on_site);
    request.set_greeting_given(true);
    request.set_vest_worn(true);
    request.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    request.set_reason_explained(true);
    ASSERT_TRUE(phone->CheckIn(&context, request, &out).ok());
  }
  grpc::Status refused = deactivate();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(refused), "VISIT_IN_PROGRESS");
  EXPECT_TRUE(read(booked).ok()) << "refused deactivation left the credential working";

  // The visit ends (no internet problem: resolved, refused signature, completed)...
  server_->database().Write([&](domain::UnitOfWork& work) {
    domain::ServiceOrder order = domain::GetOrder(work, on_site.substr(on_site.find('/') + 1), domain::SystemActor());
    int expected = order.version;
    order.state = domain::OrderState::kCompleted;
    ++order.version;
    work.orders().Update(order, expected);
  });
  // ...then deactivation goes through and the phone's token stops working at once.
  ASSERT_TRUE(deactivate().ok());
  EXPECT_EQ(read(booked).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {
    grpc::ClientContext context;
    v1::CheckInRequest request;
    request.set_service_order(booked);
    EXPECT_EQ(phone->CheckIn(&context, request, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  // No new credential can be issued for them either.
  EXPECT_THROW(IssueToken(db_->url(), domain::Role::kTechnician, "tech-rosa"), domain::DomainError);
}

// Lists leave signature images out unless asked (AIP-157) and end a page early rather than pass
// the message limit: 17 signed visits with 256 KiB images used to break a default page.
TEST_F(VisitTest, ListsOfSignedVisitsStayWithinTheMessageLimitInEveryView) {
  v1::ServiceOrder intake = ValidOrder();
  intake.set_file_number("EXP-SIGNED");
  const std::string image = Png(256 * 1024 - Png().size());
  std::vector<std::string> names;
  for (int i = 0; i < 17; ++i) {
    names.push_back(Booked(intake));
    std::string id = names.back().substr(names.back().find('/') + 1);
    server_->database().Write([&](domain::UnitOfWork& work) {
      domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      order.visit.signature = domain::Signature{"Ana López", image, absl::Now(), false, ""};
      order.visit.completion = domain::Completion{absl::Now(), "Trabajos concluidos"};
      work.visits().Save(id, order.visit);
      int expected = order.version;
      order.state = domain::OrderState::kCompleted;
      ++order.version;
      work.orders().Update(order, expected);
    });
  }
  auto list = [&](v1::ServiceOrderView view, int page_size) {
    std::vector<v1::ServiceOrder> all;
    int pages = 0;
    v1::ListServiceOrdersRequest request;
    request.set_file_number("EXP-SIGNED");
    request.set_view(view);
    request.set_page_size(page_size);
    do {
      grpc::ClientContext context;
      v1::ListServiceOrdersResponse page;
      grpc::Status status = orders_->ListServiceOrders(&context, request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      ++pages;
      for (const auto& o : page.service_orders()) all.push_back(o);
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return std::make_pair(all, pages);
  };
  auto [basic, basic_pages] = list(v1::SERVICE_ORDER_VIEW_UNSPECIFIED, 0);
  ASSERT_EQ(basic.size(), 17u);
  EXPECT_EQ(basic_pages, 1);
  for (const auto& o : basic) {
    EXPECT_TRUE(o.visit().signature().image_png().empty());
    EXPECT_EQ(o.visit().signature().signer_name(), "Ana López");
  }
  auto [full, full_pages] = list(v1::SERVICE_ORDER_VIEW_FULL, 500);
  ASSERT_EQ(full.size(), 17u) << "every order, across pages";
  EXPECT_GT(full_pages, 1) << "17 x 256 KiB cannot fit one page";
  for (const auto& o : full) EXPECT_EQ(o.visit().signature().image_png(), image);

  // One order: FULL by default, BASIC on request.
  {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(names[0]);
    v1::ServiceOrder out;
    ASSERT_TRUE(orders_->GetServiceOrder(&context, request, &out).ok());
    EXPECT_EQ(out.visit().signature().image_png(), image);
  }
  {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(names[0]);
    request.set_view(v1::SERVICE_ORDER_VIEW_BASIC);
    v1::ServiceOrder out;
    ASSERT_TRUE(orders_->GetServiceOrder(&context, request, &out).ok());
    EXPECT_TRUE(out.visit().signature().image_png().empty());
  }
  {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(names[0]);
    request.set_view(static_cast<v1::ServiceOrderView>(7));
    v1::ServiceOrder out;
    EXPECT_THAT(ViolatedFields(orders_->GetServiceOrder(&context, request, &out)), ElementsAre("view"));
  }
  // The file's reports: the same rules.
  for (v1::ServiceOrderView view : {v1::SERVICE_ORDER_VIEW_UNSPECIFIED, v1::SERVICE_ORDER_VIEW_FULL}) {
    size_t reports = 0;
    v1::ListVisitReportsRequest request;
    request.set_file_number("EXP-SIGNED");
    request.set_page_size(200);
    request.set_view(view);
    do {
      grpc::ClientContext context;
      v1::ListVisitReportsResponse page;
      grpc::Status status = Reports().ListVisitReports(&context, request, &page);
      ASSERT_TRUE(status.ok()) << status.error_message();
      for (const auto& r : page.visit_reports()) {
        EXPECT_EQ(r.service_order().visit().signature().image_png().empty(), view != v1::SERVICE_ORDER_VIEW_FULL);
        ++reports;
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    EXPECT_EQ(reports, 17u);
  }
}

}  // namespace
}  // namespace homevisit::testing
