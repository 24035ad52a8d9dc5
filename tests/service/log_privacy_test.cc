// The access log, and no personal data in any log: a whole visit (and a refused request quoting
// the data) through the real homevisitd with verbose gRPC logging; every call must have left
// exactly one JSON line saying what it was, and no line the process printed may hold the
// subscriber's name, email, address or phone.
#include <gmock/gmock.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "daemon.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "homevisit/v1/visit_report.grpc.pb.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

const char* const kPersonal[] = {"Zacarías", "Quintanilla", "zq.privado@example.com", "Privada Xochitl",
                                 "Olivar de los Padres", "5598761234", "Hermenegildo"};

v1::ServiceOrder PersonalOrder() {
  v1::ServiceOrder o = ValidOrder(1);
  o.mutable_subscriber()->set_given_name("Zacarías");
  o.mutable_subscriber()->set_family_name("Quintanilla");
  o.mutable_subscriber()->set_email("zq.privado@example.com");
  o.mutable_address()->set_street("Privada Xochitl");
  o.mutable_address()->set_colonia("Olivar de los Padres");
  o.mutable_address()->set_postal_code("01780");
  o.mutable_receiver()->set_name("Hermenegildo Quintanilla");
  o.mutable_receiver()->set_phone("5598761234");
  // Tomorrow 10:00-12:00 in Mexico City (UTC-6 all year).
  absl::TimeZone zone = absl::FixedTimeZone(-6 * 3600);
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone) + 1;
  absl::Time start = absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10), zone);
  api::ToProto(start, o.mutable_requested_window()->mutable_start_time());
  api::ToProto(start + absl::Hours(2), o.mutable_requested_window()->mutable_end_time());
  return o;
}

TEST(LogPrivacyTest, AWholeVisitLeavesOneLinePerCallAndNoPersonalData) {
  TestDatabase db;
  setenv("GRPC_VERBOSITY", "debug", 1);  // the child inherits it: gRPC's own logging at its loudest
  Daemon daemon({"--listen", "127.0.0.1:0", "--db", db.url(), "--admin_token_file", ""}, /*capture_stderr=*/true);
  unsetenv("GRPC_VERBOSITY");
  int port = daemon.WaitForPort();
  ASSERT_GT(port, 0);
  auto channel = AutoTokenChannel(absl::StrCat("127.0.0.1:", port), db.url());
  auto technicians = v1::TechnicianService::NewStub(channel);
  auto orders = v1::ServiceOrderService::NewStub(channel);
  auto scheduling = v1::SchedulingService::NewStub(channel);
  auto visits = v1::VisitService::NewStub(channel);
  auto reports = v1::VisitReportService::NewStub(channel);

  v1::Technician technician;
  {
    v1::CreateTechnicianRequest r;
    auto* t = r.mutable_technician();
    t->set_display_name("Técnico de Prueba");
    t->set_employee_number("DRW-LOG-1");
    t->set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    t->set_mobile_phone("5511112222");
    t->add_postal_codes("01780");
    for (auto day : {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY, google::type::THURSDAY,
                     google::type::FRIDAY, google::type::SATURDAY, google::type::SUNDAY}) {
      auto* w = t->add_working_hours();
      w->set_day_of_week(day);
      w->mutable_start_time()->set_hours(8);
      w->mutable_end_time()->set_hours(20);
    }
    grpc::ClientContext c;
    ASSERT_TRUE(technicians->CreateTechnician(&c, r, &technician).ok());
  }
  v1::ServiceOrder order;
  {
    // Refused first: the bad email quotes the name, and must not be echoed into the logs.
    v1::CreateServiceOrderRequest bad;
    *bad.mutable_service_order() = PersonalOrder();
    bad.mutable_service_order()->mutable_subscriber()->set_email("Zacarías Quintanilla <zq@>");
    bad.set_request_id("log-bad");
    grpc::ClientContext c1;
    EXPECT_EQ(orders->CreateServiceOrder(&c1, bad, &order).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    v1::CreateServiceOrderRequest r;
    *r.mutable_service_order() = PersonalOrder();
    r.set_request_id("log-1");
    grpc::ClientContext c2;
    ASSERT_TRUE(orders->CreateServiceOrder(&c2, r, &order).ok());
  }
  v1::CheckAvailabilityResponse availability;
  {
    v1::CheckAvailabilityRequest r;
    r.set_service_order(order.name());
    grpc::ClientContext c;
    ASSERT_TRUE(scheduling->CheckAvailability(&c, r, &availability).ok());
    ASSERT_TRUE(availability.requested_available()) << availability.DebugString();
  }
  auto step = [&](const char* what, const grpc::Status& status) {
    EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
  };
  {
    v1::BookAppointmentRequest r;
    r.set_service_order(order.name());
    *r.mutable_option() = availability.requested();
    grpc::ClientContext c;
    step("book", scheduling->BookAppointment(&c, r, &order));
  }
  {
    v1::RecordConfirmationCallRequest r;
    r.set_service_order(order.name());
    r.set_result(v1::ConfirmationCall::RESULT_CONFIRMED);
    r.set_note("Confirmó Hermenegildo Quintanilla al 5598761234");
    grpc::ClientContext c;
    step("confirm", visits->RecordConfirmationCall(&c, r, &order));
  }
  {
    v1::CheckInRequest r;
    r.set_service_order(order.name());
    r.set_greeting_given(true);
    r.set_vest_worn(true);
    r.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    r.set_reason_explained(true);
    grpc::ClientContext c;
    step("check in", visits->CheckIn(&c, r, &order));
  }
  {
    v1::RenderScriptRequest r;
    r.set_service_order(order.name());
    r.set_script(v1::RenderScriptRequest::SCRIPT_GREETING);
    v1::RenderScriptResponse text;
    grpc::ClientContext c;
    step("script", visits->RenderScript(&c, r, &text));
  }
  {
    v1::RecordDiagnosisRequest r;
    r.set_service_order(order.name());
    r.mutable_diagnosis()->set_internet_related(false);
    r.mutable_diagnosis()->set_summary("El televisor de Zacarías no enciende; no es del servicio.");
    grpc::ClientContext c;
    step("diagnosis", visits->RecordDiagnosis(&c, r, &order));
  }
  {
    v1::RecordOutcomeRequest r;
    r.set_service_order(order.name());
    auto* o = r.mutable_outcome();
    o->set_result(v1::Outcome::RESULT_RESOLVED);
    o->set_problem("Quintanilla reporta desconexiones");
    o->set_diagnosis("Conector flojo");
    o->set_actions_performed("Se reemplazó el conector");
    grpc::ClientContext c;
    step("outcome", visits->RecordOutcome(&c, r, &order));
  }
  {
    v1::CaptureSignatureRequest r;
    r.set_service_order(order.name());
    r.mutable_signature()->set_refused(true);
    r.mutable_signature()->set_refusal_reason("Zacarías prefirió no firmar");
    grpc::ClientContext c;
    step("signature", visits->CaptureSignature(&c, r, &order));
  }
  {
    v1::CompleteVisitRequest r;
    r.set_service_order(order.name());
    grpc::ClientContext c;
    step("complete", visits->CompleteVisit(&c, r, &order));
  }
  EXPECT_EQ(order.state(), v1::ServiceOrder::STATE_COMPLETED);
  {
    v1::GetVisitReportRequest r;
    r.set_name(order.name() + "/visitReport");
    v1::VisitReport report;
    grpc::ClientContext c;
    step("report", reports->GetVisitReport(&c, r, &report));
    EXPECT_EQ(report.service_order().subscriber().family_name(), "Quintanilla");  // the data is there...
  }
  EXPECT_EQ(daemon.Stop(), 0);
  std::string logs = daemon.ReadRest();
  EXPECT_THAT(logs, ::testing::HasSubstr("listening on"));  // ...and the logs were captured
  for (const char* personal : kPersonal) {
    EXPECT_EQ(logs.find(personal), std::string::npos) << "'" << personal << "' appears in the logs";
  }

  // The access log: one line per call, in order, with what an operator needs and nothing more.
  std::vector<nlohmann::json> calls;
  std::istringstream lines(logs);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;  // gRPC's own debug lines, the port line
    nlohmann::json entry = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(entry.is_discarded()) << "not JSON: " << line;
    ASSERT_TRUE(entry.contains("time") && entry.contains("level") && entry.contains("event")) << line;
    if (entry["event"] == "call") calls.push_back(entry);
  }
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"/homevisit.v1.TechnicianService/CreateTechnician", "OK"},
      {"/homevisit.v1.ServiceOrderService/CreateServiceOrder", "INVALID_ARGUMENT"},
      {"/homevisit.v1.ServiceOrderService/CreateServiceOrder", "OK"},
      {"/homevisit.v1.SchedulingService/CheckAvailability", "OK"},
      {"/homevisit.v1.SchedulingService/BookAppointment", "OK"},
      {"/homevisit.v1.VisitService/RecordConfirmationCall", "OK"},
      {"/homevisit.v1.VisitService/CheckIn", "OK"},
      {"/homevisit.v1.VisitService/RenderScript", "OK"},
      {"/homevisit.v1.VisitService/RecordDiagnosis", "OK"},
      {"/homevisit.v1.VisitService/RecordOutcome", "OK"},
      {"/homevisit.v1.VisitService/CaptureSignature", "OK"},
      {"/homevisit.v1.VisitService/CompleteVisit", "OK"},
      {"/homevisit.v1.VisitReportService/GetVisitReport", "OK"},
  };
  ASSERT_EQ(calls.size(), expected.size()) << "one line per call";
  for (size_t i = 0; i < calls.size(); ++i) {
    const nlohmann::json& call = calls[i];
    SCOPED_TRACE(call.dump());
    EXPECT_EQ(call["method"], expected[i].first);
    EXPECT_EQ(call["code"], expected[i].second);
    EXPECT_EQ(call["level"], "info");
    EXPECT_GE(call["duration_ms"].get<double>(), 0.0);
    EXPECT_THAT(call["peer"].get<std::string>(), ::testing::StartsWith("ipv4:127.0.0.1:"));
    EXPECT_FALSE(call.value("principal", "").empty()) << "every call here was admitted";
    if (i >= 2) {
      // The order the call was about (its report is a sub-resource).
      EXPECT_THAT(call["resource"].get<std::string>(), ::testing::StartsWith(order.name()));
    }
  }
  EXPECT_EQ(calls[1]["reason"], "INVALID_FIELDS") << "the ErrorInfo reason of the refusal";
  EXPECT_EQ(calls[1]["request_id"], "log-bad");
  EXPECT_EQ(calls[2]["request_id"], "log-1");
  EXPECT_EQ(calls[0]["resource"].get<std::string>().rfind("technicians/", 0), 0u) << "the created technician";
}

}  // namespace
}  // namespace homevisit::testing
