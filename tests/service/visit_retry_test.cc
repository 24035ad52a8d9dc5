// Visit steps are safe to retry (issue 15): request ids (AIP-155) and etags on every step.
#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>

#include <functional>
#include <thread>

#include "homevisit/v1/visit_report.grpc.pb.h"

#include "absl/time/clock.h"
#include "api/convert.h"
#include "api/request_replay.h"
#include "domain/order_commands.h"
#include "homevisit/v1/visit_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
// A change made to a request before it is sent.
using Modifier = std::function<void(google::protobuf::Message&)>;

class VisitRetryTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    visits_ = v1::VisitService::NewStub(channel_);
  }

  // An order booked with technician "tech-rosa" for its requested window.
  std::string Booked() {
    v1::ServiceOrder created = CreateOk(ValidOrder(), "req-" + UniqueSuffix());
    std::string id = created.name().substr(created.name().find('/') + 1);
    server_->database().Write([&](domain::UnitOfWork& work) {
      if (!work.technicians().Find("tech-rosa")) work.technicians().Insert(FullTimeTechnician("tech-rosa", {"01000"}));
      domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      int expected = order.version;
      order.state = domain::OrderState::kScheduled;
      order.appointment = domain::Appointment{"tech-rosa", "", order.intake.requested_window, absl::Now()};
      ++order.version;
      work.orders().Update(order, expected);
    });
    return created.name();
  }

  v1::CheckInRequest CheckInRequest(const std::string& name, const std::string& request_id) {
    v1::CheckInRequest request;
    request.set_service_order(name);
    request.set_greeting_given(true);
    request.set_vest_worn(true);
    request.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    request.set_reason_explained(true);
    request.set_request_id(request_id);
    return request;
  }
  grpc::Status CheckIn(const v1::CheckInRequest& request, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    return visits_->CheckIn(&context, request, out);
  }
  grpc::Status Confirm(const std::string& name, const std::string& request_id, v1::ServiceOrder* out,
                       const std::string& etag = "") {
    grpc::ClientContext context;
    v1::RecordConfirmationCallRequest request;
    request.set_service_order(name);
    request.set_result(v1::ConfirmationCall::RESULT_CONFIRMED);
    request.set_request_id(request_id);
    request.set_etag(etag);
    return visits_->RecordConfirmationCall(&context, request, out);
  }

  // One step's call: as built, or with its request changed first.
  struct StepCall {
    std::function<grpc::Status(const Modifier&, v1::ServiceOrder*)> run;
    grpc::Status operator()(v1::ServiceOrder* out) const {
      return run([](google::protobuf::Message&) {}, out);
    }
    grpc::Status Modified(const Modifier& modify, v1::ServiceOrder* out) const { return run(modify, out); }
  };

  // Every step of an escalated visit, in order, each a call with its own request id. With
  // `observed`, step i (from 0) carries observe_time observed[i]: the visit as a phone that had
  // no signal sends it afterwards.
  std::vector<StepCall> EscalatedVisit(
      const std::string& name, const std::vector<absl::Time>& observed = {}) {
    const std::string run = UniqueSuffix();
    auto id = [run](int step) { return "step-" + std::to_string(step) + "-" + run; };
    auto call = [this, &observed, step = size_t{0}](auto method, auto request) mutable {
      if (step < observed.size()) api::ToProto(observed[step], request.mutable_observe_time());
      ++step;
      return StepCall{[this, method, request](const Modifier& modify, v1::ServiceOrder* out) {
        auto copy = request;
        modify(copy);
        grpc::ClientContext context;
        return ((*visits_).*method)(&context, copy, out);
      }};
    };
    std::vector<StepCall> steps;
    v1::RecordConfirmationCallRequest confirm;
    confirm.set_service_order(name);
    confirm.set_result(v1::ConfirmationCall::RESULT_CONFIRMED);
    confirm.set_request_id(id(1));
    steps.push_back(call(&v1::VisitService::Stub::RecordConfirmationCall, confirm));
    v1::RecordFollowUpCallRequest follow_up;
    follow_up.set_service_order(name);
    follow_up.set_technician_present(true);
    follow_up.set_request_id(id(2));
    steps.push_back(call(&v1::VisitService::Stub::RecordFollowUpCall, follow_up));
    steps.push_back(call(&v1::VisitService::Stub::CheckIn, CheckInRequest(name, id(3))));
    v1::RecordDiagnosisRequest diagnosis;
    diagnosis.set_service_order(name);
    diagnosis.mutable_diagnosis()->set_internet_related(true);
    diagnosis.mutable_diagnosis()->set_summary("Desconexiones cada hora.");
    for (const char* item : {"modem_power_lights", "cabling", "modem_signal_levels", "wired_speed_test",
                             "wifi_test_near_modem", "modem_restart", "area_outage"}) {
      auto* a = diagnosis.add_checklist();
      a->set_item_id(item);
      a->set_result(std::string(item) == "modem_signal_levels" ? v1::ChecklistAnswer::RESULT_FAIL
                                                                : v1::ChecklistAnswer::RESULT_PASS);
    }
    diagnosis.set_request_id(id(4));
    steps.push_back(call(&v1::VisitService::Stub::RecordDiagnosis, diagnosis));
    v1::RequestEscalationRequest escalation;
    escalation.set_service_order(name);
    escalation.set_phone_used(v1::Escalation::PHONE_USED_TECHNICIAN_MOBILE);
    escalation.set_request_id(id(5));
    steps.push_back(call(&v1::VisitService::Stub::RequestEscalation, escalation));
    v1::RecordConferenceRequest conference;
    conference.set_service_order(name);
    conference.set_support_agent("Jorge Ruiz (soporte izzi)");
    conference.set_request_id(id(6));
    steps.push_back(call(&v1::VisitService::Stub::RecordConference, conference));
    v1::RecordHandOverRequest hand_over;
    hand_over.set_service_order(name);
    hand_over.set_note("Niveles de señal fuera de rango.");
    hand_over.set_request_id(id(7));
    steps.push_back(call(&v1::VisitService::Stub::RecordHandOver, hand_over));
    v1::RecordOutcomeRequest outcome;
    outcome.set_service_order(name);
    outcome.mutable_outcome()->set_result(v1::Outcome::RESULT_ESCALATED);
    outcome.mutable_outcome()->set_problem("El internet se desconecta cada hora.");
    outcome.mutable_outcome()->set_diagnosis("Niveles de señal fuera de rango.");
    outcome.mutable_outcome()->set_actions_performed("Se reinició el módem; se escaló a soporte.");
    outcome.set_request_id(id(8));
    steps.push_back(call(&v1::VisitService::Stub::RecordOutcome, outcome));
    v1::CaptureSignatureRequest signature;
    signature.set_service_order(name);
    signature.mutable_signature()->set_refused(true);
    signature.mutable_signature()->set_refusal_reason("El suscriptor no desea firmar.");
    signature.set_request_id(id(9));
    steps.push_back(call(&v1::VisitService::Stub::CaptureSignature, signature));
    v1::CompleteVisitRequest complete;
    complete.set_service_order(name);
    complete.set_note("Trabajos concluidos");
    complete.set_request_id(id(10));
    steps.push_back(call(&v1::VisitService::Stub::CompleteVisit, complete));
    return steps;
  }

  std::unique_ptr<v1::VisitService::Stub> visits_;
};

// Sets the string field `field` of a request (request_id, etag).
Modifier SetText(const std::string& field, const std::string& value) {
  return [field, value](google::protobuf::Message& m) {
    m.GetReflection()->SetString(&m, m.GetDescriptor()->FindFieldByName(field), value);
  };
}
// Sets the request's observe_time.
Modifier ObservedAt(absl::Time t) {
  return [t](google::protobuf::Message& m) {
    google::protobuf::Timestamp ts;
    api::ToProto(t, &ts);
    m.GetReflection()->MutableMessage(&m, m.GetDescriptor()->FindFieldByName("observe_time"))->CopyFrom(ts);
  };
}
Modifier Both(Modifier a, Modifier b) {
  return [a, b](google::protobuf::Message& m) {
    a(m);
    b(m);
  };
}

// Each of the ten steps: refused with an observed time in the future and with a stale etag
// (nothing recorded); then sent four times at once (one effect, one answer); then again (the
// first answer); then its id reused with other content (ALREADY_EXISTS).
TEST_F(VisitRetryTest, EveryStepRetriedGetsItsFirstResponseAndRecordsNothingTwice) {
  const std::string name = Booked();
  const auto steps = EscalatedVisit(name);
  std::vector<v1::ServiceOrder> first(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i + 1));
    const size_t before = EventsOf(name).size();
    v1::ServiceOrder out;
    grpc::Status status =
        steps[i].Modified(Both(SetText("request_id", "future-" + UniqueSuffix()), ObservedAt(absl::Now() + absl::Minutes(10))), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("observe_time"));
    status = steps[i].Modified(Both(SetText("request_id", "stale-" + UniqueSuffix()), SetText("etag", "W/\"stale\"")), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
    EXPECT_EQ(ErrorReason(status), "ETAG_MISMATCH");
    EXPECT_EQ(EventsOf(name).size(), before) << "a refused step recorded something";

    std::vector<v1::ServiceOrder> burst(4);
    std::vector<grpc::Status> statuses(burst.size());
    std::vector<std::thread> threads;
    for (size_t k = 0; k < burst.size(); ++k) threads.emplace_back([&, k] { statuses[k] = steps[i](&burst[k]); });
    for (auto& t : threads) t.join();
    for (size_t k = 0; k < burst.size(); ++k) {
      ASSERT_TRUE(statuses[k].ok()) << statuses[k].error_message();
      EXPECT_TRUE(MessageDifferencer::Equals(burst[k], burst[0]));
    }
    first[i] = burst[0];
    const size_t events = EventsOf(name).size();
    EXPECT_GT(events, before);
    v1::ServiceOrder again;
    status = steps[i](&again);  // the reply was lost: the app sends it again
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(again, first[i]));
    status = steps[i].Modified(SetText("etag", first[i].etag()), &again);  // same id, other content
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
    EXPECT_EQ(ErrorReason(status), "REQUEST_ID_REUSED");
    EXPECT_EQ(EventsOf(name).size(), events);
  }
  EXPECT_EQ(first.back().state(), v1::ServiceOrder::STATE_COMPLETED);
  // Long after, every step's retry still answers what that step answered then.
  for (size_t i = 0; i < steps.size(); ++i) {
    v1::ServiceOrder late;
    ASSERT_TRUE(steps[i](&late).ok());
    EXPECT_TRUE(MessageDifferencer::Equals(late, first[i])) << "step " << i + 1;
    // Not the order as it is now (completed), but as that step left it.
    EXPECT_EQ(late.state() == v1::ServiceOrder::STATE_COMPLETED, i + 1 == steps.size()) << "step " << i + 1;
  }
}

TEST_F(VisitRetryTest, ARequestIdReusedForADifferentRequestIsAlreadyExists) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "confirm-1", &out).ok());
  v1::CheckInRequest request = CheckInRequest(name, "phone-42");
  ASSERT_TRUE(CheckIn(request, &out).ok());
  request.set_vest_worn(false);  // same id, other content
  grpc::Status status = CheckIn(request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReason(status), "REQUEST_ID_REUSED");
  // Ids are scoped to the method: the same id on another step is a new request.
  grpc::ClientContext context;
  v1::RequestEscalationRequest escalation;
  escalation.set_service_order(name);
  escalation.set_phone_used(v1::Escalation::PHONE_USED_TECHNICIAN_MOBILE);
  escalation.set_request_id("phone-42");
  EXPECT_EQ(visits_->RequestEscalation(&context, escalation, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // no diagnosis yet: judged, not replayed
}

TEST_F(VisitRetryTest, ConcurrentDuplicatesRunOnce) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  const v1::CheckInRequest request = CheckInRequest(name, "burst-" + UniqueSuffix());
  constexpr int kCopies = 8;
  std::vector<v1::ServiceOrder> replies(kCopies);
  std::vector<grpc::Status> statuses(kCopies);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCopies; ++i) {
    threads.emplace_back([&, i] { statuses[i] = CheckIn(request, &replies[i]); });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kCopies; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(replies[i], replies[0]));
  }
  int check_ins = 0;
  for (const auto& e : EventsOf(name)) check_ins += e.type() == v1::Event::TYPE_CHECKED_IN ? 1 : 0;
  EXPECT_EQ(check_ins, 1);
}

// The same check-in sent at once through two replicas of one database (the phone's retry went
// to another server behind the balancer): one check-in, one answer.
TEST_F(VisitRetryTest, DuplicatesThroughTwoReplicasRunOnce) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  auto other = api::Server::Start(ReplicaOptions());
  auto other_visits = v1::VisitService::NewStub(ChannelTo(*other));
  const v1::CheckInRequest request = CheckInRequest(name, "two-replicas-" + UniqueSuffix());
  constexpr int kCopies = 6;
  std::vector<v1::ServiceOrder> replies(kCopies);
  std::vector<grpc::Status> statuses(kCopies);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCopies; ++i) {
    threads.emplace_back([&, i] {
      grpc::ClientContext context;
      statuses[i] = (i % 2 ? *other_visits : *visits_).CheckIn(&context, request, &replies[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kCopies; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(replies[i], replies[0])) << i;
  }
  int check_ins = 0;
  for (const auto& e : EventsOf(name)) check_ins += e.type() == v1::Event::TYPE_CHECKED_IN ? 1 : 0;
  EXPECT_EQ(check_ins, 1);
  other->Shutdown(absl::Seconds(5));
}

TEST_F(VisitRetryTest, AStaleEtagIsAbortedAndRecordsNothing) {
  const std::string name = Booked();
  const std::string etag = Get(name).etag();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out, etag).ok());  // current etag: accepted
  const size_t events = EventsOf(name).size();
  grpc::Status status = CheckIn(CheckInRequest(name, ""), &out);
  ASSERT_TRUE(status.ok());
  // The order moved on since `etag` was read.
  grpc::ClientContext context;
  v1::RecordDiagnosisRequest diagnosis;
  diagnosis.set_service_order(name);
  diagnosis.mutable_diagnosis()->set_internet_related(false);
  diagnosis.mutable_diagnosis()->set_summary("Sin relación con internet.");
  diagnosis.set_etag(etag);
  status = visits_->RecordDiagnosis(&context, diagnosis, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(status), "ETAG_MISMATCH");
  EXPECT_EQ(EventsOf(name).size(), events + 1);  // the check-in only
  EXPECT_FALSE(Get(name).visit().has_diagnosis());
}

TEST_F(VisitRetryTest, AFailedStepIsNotRememberedAndBadIdsAreNamed) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  // Checking in before the confirmation call fails; the same id works once the call is made.
  v1::CheckInRequest request = CheckInRequest(name, "early-" + UniqueSuffix());
  EXPECT_EQ(CheckIn(request, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  ASSERT_TRUE(CheckIn(request, &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_ON_SITE);

  grpc::Status status = CheckIn(CheckInRequest(name, "has spaces"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("request_id"));
}

TEST_F(VisitRetryTest, RequestIdsAreForgottenAfterTheRetention) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  const v1::CheckInRequest request = CheckInRequest(name, "old-" + UniqueSuffix());
  ASSERT_TRUE(CheckIn(request, &out).ok());
  ASSERT_TRUE(CheckIn(request, &out).ok());  // remembered
  // Eight days later the sweep has forgotten it: the same request is judged anew.
  const absl::Time later = absl::Now() + api::kRequestIdRetention + absl::Hours(24);
  EXPECT_EQ(api::SweepExpiredRequestIds(server_->database(), later), 1);
  EXPECT_EQ(api::SweepExpiredRequestIds(server_->database(), later), 0);
  EXPECT_EQ(CheckIn(request, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // An expired claim nobody swept yet is taken over by a new request with the same id.
  const domain::ReplayKey key{"someone", "CheckIn", "reused"};
  const absl::Time t0 = absl::Now();
  server_->database().Write([&](domain::UnitOfWork& work) {
    EXPECT_TRUE(work.replays().Claim(key, "first", t0, t0 - api::kRequestIdRetention));
    EXPECT_FALSE(work.replays().Claim(key, "second", t0, t0 - api::kRequestIdRetention));
    const absl::Time t1 = t0 + api::kRequestIdRetention + absl::Seconds(1);
    EXPECT_TRUE(work.replays().Claim(key, "second", t1, t1 - api::kRequestIdRetention));
    EXPECT_EQ(work.replays().Find(key)->fingerprint, "second");
  });
}

// Clears every Timestamp in `message` (recursively): what is left of a report is its content.
void ClearTimes(google::protobuf::Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) continue;
    if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
      reflection->ClearField(&message, field);
    } else if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        ClearTimes(*reflection->MutableRepeatedMessage(&message, field, i));
      }
    } else {
      ClearTimes(*reflection->MutableMessage(&message, field));
    }
  }
}

class VisitOfflineTest : public VisitRetryTest {
 protected:
  v1::VisitReport Report(const std::string& name) {
    auto reports = v1::VisitReportService::NewStub(channel_);
    grpc::ClientContext context;
    v1::GetVisitReportRequest request;
    request.set_name(name + "/visitReport");
    v1::VisitReport report;
    grpc::Status status = reports->GetVisitReport(&context, request, &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return report;
  }
  absl::Time CreateTime(const std::string& name) { return api::FromProto(Get(name).create_time(), true); }
};

TEST_F(VisitOfflineTest, AVisitSentLaterIsRecordedAsItHappenedAndEqualsTheLiveOne) {
  // Live: every step recorded as it arrives.
  const std::string live = Booked();
  v1::ServiceOrder out;
  for (const auto& step : EscalatedVisit(live)) ASSERT_TRUE(step(&out).ok());

  // Offline: the same steps happened one second apart from just after the booking; the phone
  // sends them all at once three seconds later, then (not sure they arrived) the whole batch again.
  const std::string offline = Booked();
  const absl::Time start = CreateTime(offline) + absl::Seconds(1);
  std::vector<absl::Time> observed;
  for (int i = 0; i < 10; ++i) observed.push_back(start + absl::Milliseconds(100) * i);
  const auto batch = EscalatedVisit(offline, observed);
  absl::SleepFor(absl::Seconds(3) - (absl::Now() - start));
  for (const auto& step : batch) ASSERT_TRUE(step(&out).ok());
  const size_t events = EventsOf(offline).size();
  for (const auto& step : batch) ASSERT_TRUE(step(&out).ok());
  EXPECT_EQ(EventsOf(offline).size(), events) << "the batch sent twice recorded something twice";

  v1::VisitReport report = Report(offline);
  const v1::Visit& visit = report.service_order().visit();
  EXPECT_EQ(api::FromProto(visit.confirmation_call().call_time(), true), observed[0]);
  EXPECT_EQ(api::FromProto(visit.check_in().arrival_time(), true), observed[2]);
  EXPECT_EQ(api::FromProto(visit.escalation().conference_time(), true), observed[5]);
  EXPECT_EQ(api::FromProto(visit.outcome().record_time(), true), observed[7]);
  EXPECT_EQ(api::FromProto(report.file_time(), true), observed[9]);
  // Both times of every step, in order: observed as sent, recorded seconds later.
  ASSERT_EQ(report.steps_size(), 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(api::FromProto(report.steps(i).observe_time(), true), observed[i]) << i;
    EXPECT_GE(api::FromProto(report.steps(i).record_time(), true), start + absl::Seconds(2)) << i;
  }
  EXPECT_EQ(report.steps(2).type(), v1::Event::TYPE_CHECKED_IN);
  // A live report has both times equal.
  v1::VisitReport live_report = Report(live);
  ASSERT_EQ(live_report.steps_size(), 10);
  EXPECT_TRUE(MessageDifferencer::Equals(live_report.steps(3).observe_time(), live_report.steps(3).record_time()));

  // Apart from the times (and the order's own identity), the offline report is the live one.
  for (v1::VisitReport* r : {&report, &live_report}) {
    ClearTimes(*r);
    r->clear_name();
    r->clear_steps();
    r->mutable_service_order()->clear_name();
    r->mutable_service_order()->clear_file_number();
    r->mutable_service_order()->clear_etag();
  }
  MessageDifferencer differencer;
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(report, live_report)) << differences;
}

TEST_F(VisitOfflineTest, PunctualityIsJudgedOnTheObservedArrival) {
  const std::string name = Booked();
  const std::string id = name.substr(name.find('/') + 1);
  // The window ends two seconds from now; the technician arrives within it but the check-in
  // reaches the server after it ended.
  const absl::Time arrival = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));  // as stored
  server_->database().Write([&](domain::UnitOfWork& work) {
    domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
    const int expected = order.version;
    order.appointment->window = domain::TimeWindow{arrival - absl::Hours(2), arrival + absl::Seconds(2)};
    ++order.version;
    work.orders().Update(order, expected);
  });
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  absl::SleepFor(absl::Seconds(3));
  v1::CheckInRequest request = CheckInRequest(name, "");
  api::ToProto(arrival, request.mutable_observe_time());
  ASSERT_TRUE(CheckIn(request, &out).ok());
  EXPECT_EQ(out.visit().check_in().punctuality(), v1::CheckIn::PUNCTUALITY_ON_TIME);
  EXPECT_EQ(api::FromProto(out.visit().check_in().arrival_time(), true), arrival);
  const auto events = EventsOf(name);
  EXPECT_EQ(events.back().attributes().at("punctuality"), "ON_TIME");
  EXPECT_TRUE(events.back().attributes().contains("observe_time"));
}

TEST_F(VisitOfflineTest, ImplausibleObservedTimesAreRefusedAndRecordNothing) {
  const std::string name = Booked();
  v1::ServiceOrder out;
  ASSERT_TRUE(Confirm(name, "", &out).ok());
  const size_t events = EventsOf(name).size();
  auto refused = [&](absl::Time observed, const std::string& why) {
    v1::CheckInRequest request = CheckInRequest(name, "");
    api::ToProto(observed, request.mutable_observe_time());
    grpc::Status status = CheckIn(request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << why;
    EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("observe_time")) << why;
    return status.error_message();
  };
  refused(absl::Now() + absl::Minutes(10), "in the future");
  refused(CreateTime(name) - absl::Hours(1), "before the order existed");
  EXPECT_EQ(EventsOf(name).size(), events);
  EXPECT_EQ(Get(name).state(), v1::ServiceOrder::STATE_CONFIRMED);

  // A small skew is allowed; a step may not be observed before the one it follows.
  v1::CheckInRequest check_in = CheckInRequest(name, "");
  const absl::Time arrival = absl::Now() + absl::Seconds(30);
  api::ToProto(arrival, check_in.mutable_observe_time());
  ASSERT_TRUE(CheckIn(check_in, &out).ok());
  grpc::ClientContext context;
  v1::RecordDiagnosisRequest diagnosis;
  diagnosis.set_service_order(name);
  diagnosis.mutable_diagnosis()->set_internet_related(false);
  diagnosis.mutable_diagnosis()->set_summary("Sin relación con internet.");
  api::ToProto(arrival - absl::Seconds(10), diagnosis.mutable_observe_time());
  grpc::Status status = visits_->RecordDiagnosis(&context, diagnosis, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("observe_time"));
  // A malformed observe_time is named like any timestamp.
  v1::CheckInRequest bad = CheckInRequest(name, "");
  bad.mutable_observe_time()->set_nanos(-1);
  EXPECT_THAT(ViolatedFields(CheckIn(bad, &out)), ::testing::ElementsAre("observe_time"));
}

}  // namespace
}  // namespace homevisit::testing
