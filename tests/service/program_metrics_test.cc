// GetProgramMetrics (issue 19): a scripted December of visits with known outcomes — every ending,
// late arrivals, refusals, cancellations, a repeat order on the same file, orders just outside
// the period — gives exactly the expected figures on SQLite and PostgreSQL, and every grouping
// adds back up to the totals.
#include <gmock/gmock.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "api/convert.h"
#include "domain/order_commands.h"
#include "domain/png_image.h"
#include "domain/scheduling.h"
#include "domain/visit_commands.h"
#include "homevisit/v1/reporting_service.grpc.pb.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);  // the test server's service time zone

// Local time in December 2025 (or another month).
absl::Time L(int day, int hour, int minute = 0, int month = 12, int year = 2025) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), kZone);
}

const domain::Actor kDot{"dot-1", domain::Role::kDotOperator, ""};
const domain::Actor kSupervisor{"dot-supervisor-1", domain::Role::kDotSupervisor, ""};
const domain::Actor kDispatcher{"dispatch-1", domain::Role::kDispatcher, ""};

domain::Actor Technician(const std::string& id) { return {"tech-" + id, domain::Role::kTechnician, id}; }

domain::StepTime At(absl::Time t) { return domain::StepTime::At(t); }

int64_t Minutes(const google::protobuf::Duration& d) { return d.seconds() / 60; }

class ProgramMetricsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    // No background late sweep: the script raises its alerts at its own times.
    StopServer();
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.database.url = db_->url();
    options.database.pool_size = 4;
    options.time_zone = kZone;
    options.worker_threads = 4;
    options.late_sweep_interval = absl::ZeroDuration();
    server_ = api::Server::Start(options);
    channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
    reporting_ = v1::ReportingService::NewStub(channel_);
    visits_ = v1::VisitService::NewStub(channel_);
    settings_.policy.time_zone = kZone;
    policy_.time_zone = kZone;
    server_->database().Write([](domain::UnitOfWork& work) {
      work.technicians().Insert(FullTimeTechnician("ana", {"03100", "04000"}));
      work.technicians().Insert(FullTimeTechnician("beto", {"03100", "04000"}));
    });
  }

  // Takes an order in at `at` asking for 10:00-12:00 two days later.
  std::string Intake(absl::Time at, const std::string& file, const std::string& delegacion, bool charged) {
    v1::ServiceOrder proto = ValidOrder();
    proto.set_file_number(file);
    proto.mutable_address()->set_delegacion(delegacion);
    proto.mutable_address()->set_postal_code(delegacion == "Coyoacán" ? "04000" : "03100");
    proto.set_charge(charged ? v1::ServiceOrder::CHARGE_CHARGED : v1::ServiceOrder::CHARGE_FREE);
    domain::OrderIntake intake = api::IntakeFromProto(proto);
    const absl::CivilDay day = absl::ToCivilDay(at, kZone) + 2;
    intake.requested_window = {absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10), kZone),
                               absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 12), kZone)};
    return server_->database().Write([&](domain::UnitOfWork& work) {
      return domain::CreateOrder(work, intake, "req-" + UniqueSuffix(), kDot, at).order.id;
    });
  }

  // Runs one order's script in one unit of work, so that nothing else sees it half way.
  void Script(const std::function<void(domain::UnitOfWork&)>& steps) { server_->database().Write(steps); }

  void Book(domain::UnitOfWork& work, const std::string& id, const std::string& technician, absl::Time start,
            absl::Time now) {
    domain::BookingSource source;
    source.choice = {technician, start};
    domain::BookAppointment(work, id, source, "", settings_, kDispatcher, now);
  }
  void Confirm(domain::UnitOfWork& work, const std::string& id, domain::CallResult result, absl::Time now) {
    domain::RecordConfirmationCall(work, id, result, "", "", kDot, At(now));
  }
  // Check-in and a diagnosis that is not internet related.
  void Arrive(domain::UnitOfWork& work, const std::string& id, const std::string& technician,
              const domain::StepTime& at) {
    domain::CheckInInput in{true, true, 1, true};
    domain::RecordCheckIn(work, id, in, "", Technician(technician), at);
    domain::Diagnosis diagnosis{false, "El módem no enciende.", {}};
    domain::RecordDiagnosis(work, id, diagnosis, {}, policy_, "", Technician(technician), At(at.now + absl::Minutes(1)));
  }
  // Outcome and signature, ending `complete` (the completion itself: Complete).
  void Finish(domain::UnitOfWork& work, const std::string& id, const std::string& technician,
              domain::OutcomeResult result, domain::ReasonCategory category, bool refused, absl::Time complete) {
    const domain::Actor tech = Technician(technician);
    domain::Outcome outcome;
    outcome.result = result;
    outcome.problem = "Sin internet";
    outcome.diagnosis = "Módem dañado";
    outcome.actions_performed = "Revisión";
    outcome.reason_category = category;
    if (result == domain::OutcomeResult::kNotResolved) outcome.reason_text = "Se explicó al suscriptor.";
    domain::RecordOutcome(work, id, outcome, policy_, "", tech, At(complete - absl::Minutes(4)));
    domain::Signature signature;
    if (refused) {
      signature.refused = true;
      signature.refusal_reason = "No quiso firmar";
    } else {
      signature.signer_name = "Laura Méndez";
      signature.image_png = domain::MakeGrayPng(320, 120);
    }
    domain::CaptureSignature(work, id, signature, policy_, "", tech, At(complete - absl::Minutes(2)));
  }
  // The completion goes through the RPC (the channel picks the order's technician), sent late
  // with the scripted time as its observe_time: the time the metrics must use.
  void Complete(const std::string& id, absl::Time complete) {
    v1::CompleteVisitRequest request;
    request.set_service_order(api::OrderName(id));
    request.mutable_observe_time()->set_seconds(absl::ToUnixSeconds(complete));
    v1::ServiceOrder out;
    grpc::ClientContext context;
    grpc::Status status = visits_->CompleteVisit(&context, request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The month of the tests: see each order's comment for its part in the figures.
  void ScriptDecember() {
    using R = domain::OutcomeResult;
    using C = domain::ReasonCategory;
    // O1 ana, Benito Juárez, free: requested window granted, confirmed, on time, resolved; its
    // file asks again on Dec 10 (O4), so it is a repeat within 30 days (but not within 5).
    std::string o1 = Intake(L(1, 9), "EXP-1", "Benito Juárez", false);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o1, "ana", L(3, 10), L(1, 9, 10));
      Confirm(w, o1, domain::CallResult::kConfirmed, L(2, 12));
      Arrive(w, o1, "ana", At(L(3, 10, 30)));
      Finish(w, o1, "ana", R::kResolved, C::kUnspecified, false, L(3, 11, 30));
    });
    Complete(o1, L(3, 11, 30));
    // O2 ana, Benito Juárez, charged: an alternative window (14:00-16:00), unreachable then
    // confirmed, late alert, 30 min late, not resolved (needs equipment), signature refused.
    std::string o2 = Intake(L(2, 9), "EXP-2", "Benito Juárez", true);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o2, "ana", L(4, 14), L(2, 9, 10));
      Confirm(w, o2, domain::CallResult::kNotReachable, L(3, 12));
      Confirm(w, o2, domain::CallResult::kConfirmed, L(3, 13));
      EXPECT_EQ(domain::RaiseLateAlerts(w, policy_, domain::SystemActor(), L(4, 14, 20)), 1);
      Arrive(w, o2, "ana", At(L(4, 16, 30)));
      Finish(w, o2, "ana", R::kNotResolved, C::kNeedsEquipment, true, L(4, 17, 15));
    });
    Complete(o2, L(4, 17, 15));
    // O3 beto, Coyoacán, free: granted, confirmation call not reachable, late alert, check-in
    // sent late by the device (observed 12:45, 45 min late), escalated to izzi support.
    std::string o3 = Intake(L(5, 9), "EXP-3", "Coyoacán", false);
    Script([&](domain::UnitOfWork& w) {
      const domain::Actor tech = Technician("beto");
      Book(w, o3, "beto", L(7, 10), L(5, 9, 10));
      Confirm(w, o3, domain::CallResult::kNotReachable, L(6, 12));
      EXPECT_EQ(domain::RaiseLateAlerts(w, policy_, domain::SystemActor(), L(7, 10, 20)), 1);
      Arrive(w, o3, "beto", domain::StepTime{L(7, 12, 50), L(7, 12, 45)});
      domain::RequestEscalation(w, o3, domain::PhoneUsed::kTechnicianMobile, "", tech, At(L(7, 13)));
      domain::RecordConference(w, o3, "Agente izzi 42", "", kSupervisor, At(L(7, 13, 10)));
      domain::RecordHandOver(w, o3, "Se explicó la falla", "", tech, At(L(7, 13, 30)));
      Finish(w, o3, "beto", R::kEscalated, C::kUnspecified, false, L(7, 14, 45));
    });
    Complete(o3, L(7, 14, 45));
    // O11 beto, Benito Juárez, charged: an alternative window (16:00), confirmed (like O4 and
    // O8: a technician checks in only after DOT's call), on time, resolved, no
    // new order on its file: resolved on the first visit.
    std::string o11 = Intake(L(8, 9), "EXP-11", "Benito Juárez", true);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o11, "beto", L(10, 16), L(8, 9, 10));
      Confirm(w, o11, domain::CallResult::kConfirmed, L(9, 12));
      Arrive(w, o11, "beto", At(L(10, 16, 10)));
      Finish(w, o11, "beto", R::kResolved, C::kUnspecified, false, L(10, 16, 40));
    });
    Complete(o11, L(10, 16, 40));
    // O4 beto, Coyoacán, free, the same file as O1: early (on time), subscriber absent.
    std::string o4 = Intake(L(10, 9), "EXP-1", "Coyoacán", false);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o4, "beto", L(12, 10), L(10, 9, 10));
      Confirm(w, o4, domain::CallResult::kConfirmed, L(11, 12));
      Arrive(w, o4, "beto", At(L(12, 9, 50)));
      Finish(w, o4, "beto", R::kNotResolved, C::kSubscriberAbsent, false, L(12, 10, 10));
    });
    Complete(o4, L(12, 10, 10));
    // O5 ana, Benito Juárez, charged: booked, the subscriber asked for a change, then cancelled.
    std::string o5 = Intake(L(15, 9), "EXP-5", "Benito Juárez", true);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o5, "ana", L(17, 10), L(15, 9, 10));
      Confirm(w, o5, domain::CallResult::kChangeRequested, L(16, 12));
      domain::CancelOrder(w, o5, "Cliente ya no requiere la visita", "", kDot, L(16, 12, 5));
    });
    // O6 and O7: cancelled before booking.
    std::string o6 = Intake(L(20, 9), "EXP-6", "Benito Juárez", false);
    Script([&](domain::UnitOfWork& w) {
      domain::CancelOrder(w, o6, "Cliente ya no requiere la visita", "", kDot, L(20, 10));
    });
    std::string o7 = Intake(L(28, 9), "EXP-7", "Coyoacán", false);
    Script([&](domain::UnitOfWork& w) { domain::CancelOrder(w, o7, "Duplicado", "", kDot, L(28, 10)); });
    // O8 ana, Coyoacán, free: on time, resolved; its file asks again on Jan 1 (O10).
    std::string o8 = Intake(L(22, 9), "EXP-8", "Coyoacán", false);
    Script([&](domain::UnitOfWork& w) {
      Book(w, o8, "ana", L(24, 10), L(22, 9, 10));
      Confirm(w, o8, domain::CallResult::kConfirmed, L(23, 12));
      Arrive(w, o8, "ana", At(L(24, 10, 5)));
      Finish(w, o8, "ana", R::kResolved, C::kUnspecified, false, L(24, 11, 35));
    });
    Complete(o8, L(24, 11, 35));
    // Outside the period in local time: O9 at 23:30 on Nov 30 (already Dec 1 in UTC), O10 at
    // 00:10 on Jan 1.
    Intake(L(30, 23, 30, 11), "EXP-9", "Benito Juárez", false);
    Intake(L(1, 0, 10, 1, 2026), "EXP-8", "Coyoacán", false);
  }

  v1::ProgramMetrics Metrics(v1::MetricsGrouping grouping = v1::METRICS_GROUPING_UNSPECIFIED,
                             v1::ServiceOrder::Charge charge = v1::ServiceOrder::CHARGE_UNSPECIFIED,
                             int window_days = 0) {
    v1::GetProgramMetricsRequest request = Request(grouping);
    request.set_charge(charge);
    request.set_first_visit_window_days(window_days);
    v1::ProgramMetrics response;
    grpc::ClientContext context;
    grpc::Status status = reporting_->GetProgramMetrics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static v1::GetProgramMetricsRequest Request(v1::MetricsGrouping grouping = v1::METRICS_GROUPING_UNSPECIFIED) {
    v1::GetProgramMetricsRequest request;
    request.mutable_start_date()->set_year(2025);
    request.mutable_start_date()->set_month(12);
    request.mutable_start_date()->set_day(1);
    request.mutable_end_date()->set_year(2025);
    request.mutable_end_date()->set_month(12);
    request.mutable_end_date()->set_day(31);
    request.set_grouping(grouping);
    return request;
  }

  // Every count of `groups` summed field by field (reasons by reason): what the total must be.
  static v1::MetricFigures SumOfCounts(const v1::ProgramMetrics& metrics) {
    v1::MetricFigures sum;
    const auto* descriptor = v1::MetricFigures::descriptor();
    const auto* reflection = v1::MetricFigures::GetReflection();
    std::map<std::string, int64_t> reasons;
    std::map<int, int64_t> categories;
    for (const v1::MetricGroup& g : metrics.groups()) {
      for (int i = 0; i < descriptor->field_count(); ++i) {
        const auto* field = descriptor->field(i);
        if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64 || field->is_repeated()) continue;
        reflection->SetInt64(&sum, field, reflection->GetInt64(sum, field) + reflection->GetInt64(g.figures(), field));
      }
      for (const auto& r : g.figures().cancellations_by_reason()) reasons[r.reason()] += r.count();
      for (const auto& r : g.figures().not_resolved_by_reason()) categories[r.category()] += r.count();
    }
    for (const auto& [reason, count] : reasons) {
      auto* r = sum.add_cancellations_by_reason();
      r->set_reason(reason);
      r->set_count(count);
    }
    for (const auto& [category, count] : categories) {
      auto* r = sum.add_not_resolved_by_reason();
      r->set_category(static_cast<v1::Outcome::ReasonCategory>(category));
      r->set_count(count);
    }
    return sum;
  }

  // The total's counts only (durations cleared), reasons in the order SumOfCounts builds them.
  static v1::MetricFigures CountsOf(v1::MetricFigures f) {
    f.clear_lead_time_p50();
    f.clear_lead_time_p90();
    f.clear_average_lateness();
    f.clear_time_on_site_p50();
    f.clear_time_on_site_p90();
    std::sort(f.mutable_cancellations_by_reason()->begin(), f.mutable_cancellations_by_reason()->end(),
              [](const auto& a, const auto& b) { return a.reason() < b.reason(); });
    return f;
  }

  std::unique_ptr<v1::ReportingService::Stub> reporting_;
  std::unique_ptr<v1::VisitService::Stub> visits_;
  domain::SchedulingSettings settings_;
  domain::VisitPolicy policy_;
};

TEST_F(ProgramMetricsTest, ScriptedMonthGivesTheExpectedFigures) {
  ScriptDecember();
  v1::ProgramMetrics m = Metrics();
  EXPECT_EQ(m.time_zone(), kZone.name());
  EXPECT_EQ(m.first_visit_window_days(), 30);
  EXPECT_TRUE(m.groups().empty());
  const v1::MetricFigures& t = m.total();
  EXPECT_EQ(t.orders_requested(), 9);  // O1-O8, O11; not O9 (Nov 30 local) nor O10 (Jan 1)
  EXPECT_EQ(t.orders_booked(), 7);
  EXPECT_EQ(t.orders_cancelled(), 3);
  ASSERT_EQ(t.cancellations_by_reason_size(), 2);
  EXPECT_EQ(t.cancellations_by_reason(0).reason(), "Cliente ya no requiere la visita");
  EXPECT_EQ(t.cancellations_by_reason(0).count(), 2);
  EXPECT_EQ(t.cancellations_by_reason(1).reason(), "Duplicado");
  EXPECT_EQ(t.cancellations_by_reason(1).count(), 1);
  EXPECT_EQ(t.orders_completed(), 6);
  EXPECT_EQ(t.requested_window_granted(), 5);
  EXPECT_EQ(t.alternative_window_taken(), 2);
  // Lead times (min): 2930 2945 2970 3105 3310 3330; nearest rank 3 and 6.
  EXPECT_EQ(Minutes(t.lead_time_p50()), 49 * 60 + 30);
  EXPECT_EQ(Minutes(t.lead_time_p90()), 55 * 60 + 30);
  EXPECT_EQ(t.confirmation_calls_made(), 7);     // all booked orders
  EXPECT_EQ(t.confirmation_calls_reached(), 6);  // all but O3
  EXPECT_EQ(t.arrivals(), 6);
  EXPECT_EQ(t.arrivals_on_time(), 4);
  EXPECT_EQ(t.arrivals_late(), 2);
  EXPECT_EQ(t.average_lateness().seconds(), (30 + 45) * 60 / 2);  // from the observed check-in
  EXPECT_EQ(t.late_alerts(), 2);
  // Time on site (min): 20 30 45 60 90 120.
  EXPECT_EQ(Minutes(t.time_on_site_p50()), 45);
  EXPECT_EQ(Minutes(t.time_on_site_p90()), 120);
  EXPECT_EQ(t.visits_resolved(), 3);
  EXPECT_EQ(t.visits_not_resolved(), 2);
  ASSERT_EQ(t.not_resolved_by_reason_size(), 2);
  EXPECT_EQ(t.not_resolved_by_reason(0).category(), v1::Outcome::REASON_CATEGORY_SUBSCRIBER_ABSENT);
  EXPECT_EQ(t.not_resolved_by_reason(0).count(), 1);
  EXPECT_EQ(t.not_resolved_by_reason(1).category(), v1::Outcome::REASON_CATEGORY_NEEDS_EQUIPMENT);
  EXPECT_EQ(t.not_resolved_by_reason(1).count(), 1);
  EXPECT_EQ(t.visits_escalated(), 1);
  EXPECT_EQ(t.first_visit_resolved(), 1);        // O11
  EXPECT_EQ(t.resolved_with_repeat_order(), 2);  // O1 (O4 on Dec 10), O8 (O10 on Jan 1)
  EXPECT_EQ(t.signatures_recorded(), 6);
  EXPECT_EQ(t.signature_refusals(), 1);
  EXPECT_EQ(t.orders_charged(), 3);
  EXPECT_EQ(t.orders_free(), 6);

  // A 5-day window: O4 came 6.9 days after O1, O10 7.5 days after O8.
  v1::ProgramMetrics five = Metrics(v1::METRICS_GROUPING_UNSPECIFIED, v1::ServiceOrder::CHARGE_UNSPECIFIED, 5);
  EXPECT_EQ(five.first_visit_window_days(), 5);
  EXPECT_EQ(five.total().first_visit_resolved(), 3);
  EXPECT_EQ(five.total().resolved_with_repeat_order(), 0);

  // Only the charged orders: O2, O5, O11.
  const v1::MetricFigures charged =
      Metrics(v1::METRICS_GROUPING_UNSPECIFIED, v1::ServiceOrder::CHARGE_CHARGED).total();
  EXPECT_EQ(charged.orders_requested(), 3);
  EXPECT_EQ(charged.orders_charged(), 3);
  EXPECT_EQ(charged.orders_free(), 0);
  EXPECT_EQ(charged.orders_completed(), 2);
  EXPECT_EQ(charged.alternative_window_taken(), 2);
  EXPECT_EQ(charged.orders_cancelled(), 1);
}

TEST_F(ProgramMetricsTest, GroupsAddUpToTheTotals) {
  ScriptDecember();
  const v1::MetricFigures total = CountsOf(Metrics().total());
  for (auto grouping : {v1::METRICS_GROUPING_TECHNICIAN, v1::METRICS_GROUPING_DELEGACION, v1::METRICS_GROUPING_DAY}) {
    v1::ProgramMetrics m = Metrics(grouping);
    EXPECT_EQ(CountsOf(m.total()).DebugString(), total.DebugString()) << grouping;
    EXPECT_EQ(SumOfCounts(m).DebugString(), total.DebugString()) << grouping;
  }

  std::vector<std::pair<std::string, int64_t>> by_technician;
  v1::ProgramMetrics technicians = Metrics(v1::METRICS_GROUPING_TECHNICIAN);
  for (const auto& g : technicians.groups()) by_technician.emplace_back(g.key(), g.figures().orders_requested());
  EXPECT_THAT(by_technician, ElementsAre(Pair("", 2), Pair("technicians/ana", 4), Pair("technicians/beto", 3)));
  const v1::MetricGroup& ana = technicians.groups(1);
  EXPECT_EQ(ana.display_name(), "Técnico ana");
  // Ana's lead times (min): 2945 2970 3330.
  EXPECT_EQ(Minutes(ana.figures().lead_time_p50()), 49 * 60 + 30);
  EXPECT_EQ(Minutes(ana.figures().lead_time_p90()), 55 * 60 + 30);
  EXPECT_EQ(ana.figures().average_lateness().seconds(), 30 * 60);
  EXPECT_FALSE(technicians.groups(0).figures().has_lead_time_p50());  // never booked

  std::vector<std::pair<std::string, int64_t>> by_delegacion;
  const v1::ProgramMetrics delegaciones = Metrics(v1::METRICS_GROUPING_DELEGACION);
  for (const auto& g : delegaciones.groups()) {
    by_delegacion.emplace_back(g.key(), g.figures().orders_requested());
  }
  EXPECT_THAT(by_delegacion, ElementsAre(Pair("Benito Juárez", 5), Pair("Coyoacán", 4)));

  std::vector<std::string> days;
  const v1::ProgramMetrics by_day = Metrics(v1::METRICS_GROUPING_DAY);
  for (const auto& g : by_day.groups()) {
    EXPECT_EQ(g.figures().orders_requested(), 1) << g.key();
    days.push_back(g.key());
  }
  EXPECT_THAT(days, ElementsAre("2025-12-01", "2025-12-02", "2025-12-05", "2025-12-08", "2025-12-10", "2025-12-15",
                                "2025-12-20", "2025-12-22", "2025-12-28"));
}

TEST_F(ProgramMetricsTest, AnEmptyPeriodHasZeroFiguresAndNoPercentiles) {
  ScriptDecember();
  v1::GetProgramMetricsRequest request = Request(v1::METRICS_GROUPING_TECHNICIAN);
  request.mutable_start_date()->set_year(2024);
  request.mutable_end_date()->set_year(2024);
  v1::ProgramMetrics response;
  grpc::ClientContext context;
  ASSERT_TRUE(reporting_->GetProgramMetrics(&context, request, &response).ok());
  EXPECT_EQ(response.total().orders_requested(), 0);
  EXPECT_FALSE(response.total().has_lead_time_p50());
  EXPECT_FALSE(response.total().has_average_lateness());
  EXPECT_TRUE(response.groups().empty());
}

// Orders with nothing but their intake event, at the edges of local days (the service zone is
// UTC-6, so 23:30 local is already the next day in UTC): the one pass that makes the totals and
// the groups puts each on its local day and gives no percentiles.
TEST_F(ProgramMetricsTest, OrdersWithOnlyAnIntakeCountOnTheirLocalDay) {
  Intake(L(1, 0, 0), "EXP-20", "Coyoacán", false);           // the first instant of the period
  Intake(L(2, 23, 30), "EXP-21", "Benito Juárez", true);     // Dec 3 05:30 UTC
  Intake(L(31, 23, 59), "EXP-22", "Coyoacán", false);        // the period's last minute
  Intake(L(30, 23, 59, 11), "EXP-23", "Coyoacán", false);    // just before the period
  for (auto grouping : {v1::METRICS_GROUPING_UNSPECIFIED, v1::METRICS_GROUPING_DAY, v1::METRICS_GROUPING_TECHNICIAN,
                        v1::METRICS_GROUPING_DELEGACION}) {
    const v1::ProgramMetrics m = Metrics(grouping);
    const v1::MetricFigures& t = m.total();
    EXPECT_EQ(t.orders_requested(), 3) << grouping;
    EXPECT_EQ(t.orders_booked(), 0);
    EXPECT_EQ(t.orders_cancelled(), 0);
    EXPECT_EQ(t.orders_completed(), 0);
    EXPECT_EQ(t.alternative_window_taken(), 0);
    EXPECT_EQ(t.confirmation_calls_made(), 0);
    EXPECT_EQ(t.arrivals(), 0);
    EXPECT_EQ(t.orders_free(), 2);
    EXPECT_EQ(t.orders_charged(), 1);
    EXPECT_FALSE(t.has_lead_time_p50());
    EXPECT_FALSE(t.has_time_on_site_p90());
    EXPECT_FALSE(t.has_average_lateness());
    EXPECT_EQ(t.cancellations_by_reason_size(), 0);
    EXPECT_EQ(t.not_resolved_by_reason_size(), 0);
  }
  std::vector<std::pair<std::string, int64_t>> by_day;
  const v1::ProgramMetrics days = Metrics(v1::METRICS_GROUPING_DAY);
  for (const auto& g : days.groups()) {
    by_day.emplace_back(g.key(), g.figures().orders_requested());
  }
  EXPECT_THAT(by_day, ElementsAre(Pair("2025-12-01", 1), Pair("2025-12-02", 1), Pair("2025-12-31", 1)));
  const v1::ProgramMetrics technicians = Metrics(v1::METRICS_GROUPING_TECHNICIAN);
  ASSERT_EQ(technicians.groups_size(), 1);  // never booked
  EXPECT_EQ(technicians.groups(0).key(), "");
  EXPECT_EQ(technicians.groups(0).figures().orders_requested(), 3);
  std::vector<std::pair<std::string, int64_t>> by_delegacion;
  const v1::ProgramMetrics delegaciones = Metrics(v1::METRICS_GROUPING_DELEGACION);
  for (const auto& g : delegaciones.groups()) {
    by_delegacion.emplace_back(g.key(), g.figures().orders_requested());
  }
  EXPECT_THAT(by_delegacion, ElementsAre(Pair("Benito Juárez", 1), Pair("Coyoacán", 2)));
}

TEST_F(ProgramMetricsTest, BadRequestsNameTheirFields) {
  auto call = [&](const v1::GetProgramMetricsRequest& request) {
    v1::ProgramMetrics response;
    grpc::ClientContext context;
    return reporting_->GetProgramMetrics(&context, request, &response);
  };
  v1::GetProgramMetricsRequest request = Request();
  request.clear_start_date();
  request.mutable_end_date()->set_day(32);
  grpc::Status status = call(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("start_date", "end_date"));

  request = Request();
  request.mutable_end_date()->set_month(11);
  EXPECT_THAT(ViolatedFields(call(request)), ElementsAre("end_date"));  // before the start

  request = Request();
  request.mutable_end_date()->set_year(2027);
  EXPECT_THAT(ViolatedFields(call(request)), ElementsAre("end_date"));  // more than 366 days

  request = Request();
  request.set_first_visit_window_days(400);
  EXPECT_THAT(ViolatedFields(call(request)), ElementsAre("first_visit_window_days"));
}

TEST_F(ProgramMetricsTest, OnlySupervisorsAndDispatchersMayAsk) {
  const std::string target = absl::StrCat("127.0.0.1:", server_->port());
  auto code_for = [&](domain::Role role, const std::string& technician = "") {
    auto stub = v1::ReportingService::NewStub(TokenChannel(target, IssueToken(db_->url(), role, technician)));
    v1::ProgramMetrics response;
    grpc::ClientContext context;
    return stub->GetProgramMetrics(&context, Request(), &response).error_code();
  };
  EXPECT_EQ(code_for(domain::Role::kDotSupervisor), grpc::StatusCode::OK);
  EXPECT_EQ(code_for(domain::Role::kDispatcher), grpc::StatusCode::OK);
  EXPECT_EQ(code_for(domain::Role::kDotOperator), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code_for(domain::Role::kTechnician, "ana"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code_for(domain::Role::kAdmin), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace homevisit::testing
