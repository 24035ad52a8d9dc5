// Availability, holds and booking [S2-S4] through a real client against a real database,
// including the no-double-booking guarantee under concurrent bookings.
#include <gmock/gmock.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "domain/errors.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// ServiceTest's server runs in UTC-6 with the default policy: 2 h windows, 1 h visit, 30 min
// buffer, a 30 min grid, 14 days ahead. Technicians here work 08:00-20:00 every day.
const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);

absl::Time Local(int days_ahead, int hour, int minute = 0) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), kZone) + days_ahead;
  return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute), kZone);
}

absl::Time StartOf(const v1::SlotOption& option) {
  return api::FromProto(option.window().start_time(), option.window().has_start_time());
}

std::vector<std::string> EventTypes(const std::vector<v1::Event>& events) {
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(v1::Event::Type_Name(e.type()));
  return types;
}

class SchedulingTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    scheduling_ = v1::SchedulingService::NewStub(channel_);
  }
  void TearDown() override {
    scheduling_.reset();
    ServiceTest::TearDown();
  }

  // Restarts the server on the same database with another hold lifetime.
  void RestartWithHoldTtl(absl::Duration ttl) {
    scheduling_.reset();
    StopServer();
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.database.url = db_->url();
    options.database.pool_size = 4;
    options.time_zone = kZone;
    options.worker_threads = 4;
    options.hold_ttl = ttl;
    options.late_sweep_interval = absl::ZeroDuration();  // sweeps run when a test says so
    server_ = api::Server::Start(options);
    channel_ = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url());
    orders_ = v1::ServiceOrderService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
    scheduling_ = v1::SchedulingService::NewStub(channel_);
  }

  void AddTechnician(const std::string& id, std::vector<std::string> postal_codes,
                     std::vector<std::string> delegaciones = {}, bool active = true) {
    domain::Technician t = FullTimeTechnician(id, std::move(postal_codes), std::move(delegaciones));
    t.active = active;
    server_->database().Write([&](domain::UnitOfWork& work) { work.technicians().Insert(t); });
  }

  // An order in postal code 03100 (Benito Juárez) requesting a window starting at `start`.
  std::string NewOrder(absl::Time start) {
    v1::ServiceOrder order = ValidOrder();
    api::ToProto(start, order.mutable_requested_window()->mutable_start_time());
    api::ToProto(start + absl::Hours(2), order.mutable_requested_window()->mutable_end_time());
    return CreateOk(order, "req-" + UniqueSuffix()).name();
  }

  v1::CheckAvailabilityResponse Check(const std::string& order, std::optional<absl::Time> start = std::nullopt) {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    request.set_service_order(order);
    if (start) api::ToProto(*start, request.mutable_window()->mutable_start_time());
    v1::CheckAvailabilityResponse response;
    grpc::Status status = scheduling_->CheckAvailability(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static v1::SlotOption Option(const std::string& technician, absl::Time start) {
    v1::SlotOption option;
    option.set_technician("technicians/" + technician);
    api::ToProto(start, option.mutable_window()->mutable_start_time());
    api::ToProto(start + absl::Hours(2), option.mutable_window()->mutable_end_time());
    return option;
  }

  grpc::Status Book(const std::string& order, const std::string& technician, absl::Time start,
                    v1::ServiceOrder* out, const std::string& request_id = "") {
    grpc::ClientContext context;
    v1::BookAppointmentRequest request;
    request.set_service_order(order);
    *request.mutable_option() = Option(technician, start);
    request.set_request_id(request_id);
    return scheduling_->BookAppointment(&context, request, out);
  }
  grpc::Status BookHold(const std::string& order, const std::string& hold, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::BookAppointmentRequest request;
    request.set_service_order(order);
    request.set_hold(hold);
    return scheduling_->BookAppointment(&context, request, out);
  }
  grpc::Status Hold(const std::string& order, const std::string& technician, absl::Time start, v1::Hold* out) {
    grpc::ClientContext context;
    v1::CreateHoldRequest request;
    request.set_service_order(order);
    *request.mutable_option() = Option(technician, start);
    return scheduling_->CreateHold(&context, request, out);
  }
  grpc::Status Release(const std::string& hold, v1::Hold* out) {
    grpc::ClientContext context;
    v1::ReleaseHoldRequest request;
    request.set_name(hold);
    return scheduling_->ReleaseHold(&context, request, out);
  }
  grpc::Status Reschedule(const std::string& order, const std::string& technician, absl::Time start,
                          const std::string& etag, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::RescheduleAppointmentRequest request;
    request.set_service_order(order);
    *request.mutable_option() = Option(technician, start);
    request.set_etag(etag);
    request.set_reason("El suscriptor pidió otra hora");
    return scheduling_->RescheduleAppointment(&context, request, out);
  }
  grpc::Status Reassign(const std::string& order, const std::string& technician, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::ReassignAppointmentRequest request;
    request.set_service_order(order);
    request.set_technician("technicians/" + technician);
    request.set_reason("Carga de trabajo");
    return scheduling_->ReassignAppointment(&context, request, out);
  }
  grpc::Status Cancel(const std::string& order) {
    grpc::ClientContext context;
    v1::CancelServiceOrderRequest request;
    request.set_name(order);
    request.set_reason("Ya no se necesita");
    v1::ServiceOrder out;
    return orders_->CancelServiceOrder(&context, request, &out);
  }

  // Pairs of live appointments of one technician whose occupancies (window + visit + buffer,
  // i.e. window start + 3.5 h) overlap, straight from the orders table.
  long long OverlappingAppointments() {
    long long pairs = -1;
    const long long occupancy = absl::ToInt64Microseconds(absl::Minutes(210));
    server_->database().WithSession([&](soci::session& sql) {
      sql << "SELECT COUNT(*) FROM service_orders a JOIN service_orders b ON a.technician_id = b.technician_id "
             "AND a.id < b.id WHERE a.state <> 9 AND b.state <> 9 AND a.window_start < b.window_start + :o1 "
             "AND b.window_start < a.window_start + :o2",
          soci::use(occupancy), soci::use(occupancy), soci::into(pairs);
    });
    return pairs;
  }

  std::unique_ptr<v1::SchedulingService::Stub> scheduling_;
};

TEST_F(SchedulingTest, RequestedWindowFreeNamesTheTechnicianAndOffersAlternatives) {
  AddTechnician("ana", {"03100"});
  std::string order = NewOrder(Local(2, 10));
  v1::CheckAvailabilityResponse r = Check(order);
  EXPECT_TRUE(r.requested_available());
  EXPECT_EQ(r.unavailable_reason(), v1::UNAVAILABLE_REASON_UNSPECIFIED);
  EXPECT_EQ(r.requested().technician(), "technicians/ana");
  EXPECT_EQ(r.requested().technician_display_name(), "Técnico ana");
  EXPECT_EQ(StartOf(r.requested()), Local(2, 10));
  ASSERT_EQ(r.same_day_size(), 3);
  // Nearest to 10:00 first; equal distance: earlier first.
  EXPECT_EQ(StartOf(r.same_day(0)), Local(2, 9, 30));
  EXPECT_EQ(StartOf(r.same_day(1)), Local(2, 10, 30));
  EXPECT_EQ(StartOf(r.same_day(2)), Local(2, 9));
  EXPECT_EQ(r.other_days_size(), 3);
  for (const auto& o : r.other_days()) EXPECT_EQ(o.technician(), "technicians/ana");
}

TEST_F(SchedulingTest, ReasonsWhenNotAvailable) {
  std::string order = NewOrder(Local(2, 10));
  EXPECT_EQ(Check(order).unavailable_reason(), v1::UNAVAILABLE_REASON_NO_COVERAGE);

  // Coverage by delegación is compared without accents or case.
  AddTechnician("beto", {}, {"  benito JUAREZ "});
  EXPECT_TRUE(Check(order).requested_available());
  EXPECT_EQ(Check(order).requested().technician(), "technicians/beto");

  v1::CheckAvailabilityResponse late = Check(order, Local(2, 22));
  EXPECT_FALSE(late.requested_available());
  EXPECT_EQ(late.unavailable_reason(), v1::UNAVAILABLE_REASON_OUTSIDE_WORKING_HOURS);
  ASSERT_GE(late.same_day_size(), 1);
  EXPECT_EQ(StartOf(late.same_day(0)), Local(2, 17));  // the last start whose visit ends by 20:00

  EXPECT_EQ(Check(order, absl::Now() - absl::Hours(1)).unavailable_reason(), v1::UNAVAILABLE_REASON_IN_THE_PAST);
  EXPECT_EQ(Check(order, Local(20, 10)).unavailable_reason(), v1::UNAVAILABLE_REASON_BEYOND_HORIZON);

  v1::ServiceOrder booked;
  ASSERT_TRUE(Book(NewOrder(Local(2, 10)), "beto", Local(2, 10), &booked).ok());
  v1::CheckAvailabilityResponse busy = Check(order);
  EXPECT_FALSE(busy.requested_available());
  EXPECT_EQ(busy.unavailable_reason(), v1::UNAVAILABLE_REASON_ALL_BOOKED);
  ASSERT_GE(busy.same_day_size(), 1);
  // The booked visit occupies 10:00-13:30 (window, visit, buffer): the nearest free start is 13:30.
  EXPECT_EQ(StartOf(busy.same_day(0)), Local(2, 13, 30));
}

TEST_F(SchedulingTest, AvailabilityOfAnUnknownOrCancelledOrderIsRefused) {
  AddTechnician("ana", {"03100"});
  const auto check = [&](const std::string& order) {
    grpc::ClientContext context;
    v1::CheckAvailabilityRequest request;
    request.set_service_order(order);
    v1::CheckAvailabilityResponse response;
    return scheduling_->CheckAvailability(&context, request, &response);
  };
  grpc::Status unknown = check("serviceOrders/no-such-order");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(unknown), "ORDER_NOT_FOUND");
  const std::string order = NewOrder(Local(2, 10));
  ASSERT_TRUE(check(order).ok());  // what the order's own read gives: its zone and window
  EXPECT_EQ(Check(order).requested().technician(), "technicians/ana");
  ASSERT_TRUE(Cancel(order).ok());
  grpc::Status cancelled = check(order);
  EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(cancelled), "WRONG_STATE");
}

TEST_F(SchedulingTest, BookDirectlySchedulesWithTheTechniciansNameAndAppendsEvents) {
  AddTechnician("ana", {"03100"});
  std::string order = NewOrder(Local(2, 10));
  v1::ServiceOrder out;
  grpc::Status status = Book(order, "ana", Local(2, 10), &out, "book-1");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_EQ(out.appointment().technician(), "technicians/ana");
  EXPECT_EQ(out.appointment().technician_display_name(), "Técnico ana");
  EXPECT_EQ(api::FromProto(out.appointment().window().start_time(), true), Local(2, 10));
  EXPECT_EQ(api::FromProto(out.appointment().window().end_time(), true), Local(2, 12));

  auto events = EventsOf(order);
  EXPECT_THAT(EventTypes(events), Contains("TYPE_BOOKED"));
  EXPECT_THAT(EventTypes(events), Contains("TYPE_TECHNICIAN_ASSIGNED"));
  for (const auto& e : events) {
    if (e.type() == v1::Event::TYPE_BOOKED) {
      EXPECT_EQ(e.attributes().at("technician"), "ana");
      EXPECT_FALSE(e.attributes().at("window_start").empty());
    }
  }

  // A retry with the request id returns the booking; a second booking without one is refused.
  v1::ServiceOrder again;
  ASSERT_TRUE(Book(order, "ana", Local(2, 10), &again, "book-1").ok());
  EXPECT_EQ(again.etag(), out.etag());
  EXPECT_EQ(Book(order, "ana", Local(2, 14), &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Another request id is another booking, even for the very same option: refused, not OK.
  grpc::Status second = Book(order, "ana", Local(2, 10), &again, "book-2");
  EXPECT_EQ(second.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(second), "WRONG_STATE");
  ASSERT_TRUE(Book(order, "ana", Local(2, 10), &again, "book-1").ok()) << "the first id still replays";

  // Not covering, off shift: refused with the reason.
  AddTechnician("far", {"99999"});
  status = Book(NewOrder(Local(3, 10)), "far", Local(3, 10), &again);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "NO_COVERAGE");
  status = Book(NewOrder(Local(3, 10)), "ana", Local(3, 19), &again);
  EXPECT_EQ(ErrorReason(status), "OUTSIDE_WORKING_HOURS");
}

TEST_F(SchedulingTest, HoldBlocksOthersThenBooks) {
  AddTechnician("ana", {"03100"});
  std::string mine = NewOrder(Local(2, 10));
  std::string theirs = NewOrder(Local(2, 10));
  v1::Hold hold;
  grpc::Status status = Hold(mine, "ana", Local(2, 10), &hold);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(hold.name(), HasSubstr("holds/"));
  EXPECT_EQ(hold.service_order(), mine);
  EXPECT_FALSE(hold.released());
  EXPECT_EQ(hold.option().technician_display_name(), "Técnico ana");
  absl::Time expire = api::FromProto(hold.expire_time(), true);
  EXPECT_GT(expire, absl::Now() + absl::Minutes(9));
  EXPECT_LT(expire, absl::Now() + absl::Minutes(11));
  EXPECT_THAT(EventTypes(EventsOf(mine)), Contains("TYPE_SLOT_HELD"));

  // Nobody else gets it meanwhile, neither offered nor booked.
  EXPECT_FALSE(Check(theirs).requested_available());
  v1::ServiceOrder out;
  status = Book(theirs, "ana", Local(2, 10), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(status), "SLOT_TAKEN");
  EXPECT_THAT(status.error_message(), HasSubstr("Técnico ana"));  // fresh alternatives
  v1::Hold other;
  EXPECT_EQ(Hold(theirs, "ana", Local(2, 11), &other).error_code(), grpc::StatusCode::ABORTED);
  // The holder still sees it as available.
  EXPECT_TRUE(Check(mine).requested_available());

  status = BookHold(mine, hold.name(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_EQ(out.appointment().technician_display_name(), "Técnico ana");
  EXPECT_EQ(api::FromProto(out.appointment().window().start_time(), true), Local(2, 10));
  EXPECT_EQ(Book(theirs, "ana", Local(2, 10), &out).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(OverlappingAppointments(), 0);
}

TEST_F(SchedulingTest, GetHoldTellsWhereAHoldStands) {
  AddTechnician("ana", {"03100"});
  std::string order = NewOrder(Local(2, 10));
  auto get = [&](const std::string& name, v1::Hold* out) {
    grpc::ClientContext context;
    v1::GetHoldRequest request;
    request.set_name(name);
    return scheduling_->GetHold(&context, request, out);
  };
  v1::Hold first, second, read;
  ASSERT_TRUE(Hold(order, "ana", Local(2, 10), &first).ok());
  EXPECT_EQ(first.state(), v1::Hold::STATE_LIVE);
  ASSERT_TRUE(get(first.name(), &read).ok());
  EXPECT_EQ(read.state(), v1::Hold::STATE_LIVE);
  EXPECT_EQ(read.option().technician(), "technicians/ana");
  // A new hold of the order replaces the first; the second is booked.
  ASSERT_TRUE(Hold(order, "ana", Local(2, 14), &second).ok());
  ASSERT_TRUE(get(first.name(), &read).ok());
  EXPECT_EQ(read.state(), v1::Hold::STATE_RELEASED);
  EXPECT_TRUE(read.released());
  v1::ServiceOrder booked;
  ASSERT_TRUE(BookHold(order, second.name(), &booked).ok());
  ASSERT_TRUE(get(second.name(), &read).ok());
  EXPECT_EQ(read.state(), v1::Hold::STATE_BOOKED);

  grpc::Status status = get("holds/nope", &read);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(status), "HOLD_NOT_FOUND");
  EXPECT_THAT(ViolatedFields(get("orders/x", &read)), ::testing::ElementsAre("name"));
}

TEST_F(SchedulingTest, ReleasedHoldFreesTheSlot) {
  AddTechnician("ana", {"03100"});
  std::string mine = NewOrder(Local(2, 10));
  std::string theirs = NewOrder(Local(2, 10));
  v1::Hold hold;
  ASSERT_TRUE(Hold(mine, "ana", Local(2, 10), &hold).ok());
  v1::Hold released;
  ASSERT_TRUE(Release(hold.name(), &released).ok());
  EXPECT_TRUE(released.released());
  EXPECT_THAT(EventTypes(EventsOf(mine)), Contains("TYPE_HOLD_RELEASED"));
  v1::ServiceOrder out;
  grpc::Status status = BookHold(mine, hold.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "HOLD_RELEASED");
  EXPECT_TRUE(Check(theirs).requested_available());
  ASSERT_TRUE(Book(theirs, "ana", Local(2, 10), &out).ok());
  v1::Hold missing;
  EXPECT_EQ(Release("holds/nope", &missing).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SchedulingTest, ExpiredHoldCannotBeBookedAndItsSlotIsFreeAgain) {
  RestartWithHoldTtl(absl::Milliseconds(800));
  AddTechnician("ana", {"03100"});
  std::string mine = NewOrder(Local(2, 10));
  std::string theirs = NewOrder(Local(2, 10));
  v1::Hold hold;
  ASSERT_TRUE(Hold(mine, "ana", Local(2, 10), &hold).ok());
  v1::ServiceOrder out;
  EXPECT_EQ(Book(theirs, "ana", Local(2, 10), &out).error_code(), grpc::StatusCode::ABORTED);
  absl::SleepFor(absl::Milliseconds(1000));
  grpc::Status status = BookHold(mine, hold.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "HOLD_EXPIRED");
  EXPECT_TRUE(Check(theirs).requested_available());
  status = Book(theirs, "ana", Local(2, 10), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.appointment().technician(), "technicians/ana");
  v1::Hold after;
  ASSERT_TRUE(Release(hold.name(), &after).ok());
  EXPECT_TRUE(after.released());
}

TEST_F(SchedulingTest, ALapsedHoldLeavesOneReleasedEventAcrossReplicas) {
  RestartWithHoldTtl(absl::Milliseconds(300));
  AddTechnician("ana", {"03100"});
  std::string mine = NewOrder(Local(2, 10));
  v1::Hold hold;
  ASSERT_TRUE(Hold(mine, "ana", Local(2, 10), &hold).ok());
  EXPECT_EQ(server_->SweepLapsedHolds(), 0) << "still live";
  absl::SleepFor(absl::Milliseconds(400));
  api::ServerOptions options = ReplicaOptions();  // a second replica sweeping the same database
  options.late_sweep_interval = absl::ZeroDuration();
  auto other = api::Server::Start(options);
  EXPECT_EQ(server_->SweepLapsedHolds() + other->SweepLapsedHolds(), 1);
  EXPECT_EQ(server_->SweepLapsedHolds() + other->SweepLapsedHolds(), 0) << "swept once";
  int released = 0;
  for (const auto& event : EventsOf(mine)) {
    if (event.type() != v1::Event::TYPE_HOLD_RELEASED) continue;
    ++released;
    EXPECT_EQ(event.attributes().at("why"), "expired");
    EXPECT_EQ(event.attributes().at("hold"), hold.name().substr(hold.name().find('/') + 1));
  }
  EXPECT_EQ(released, 1);
  // The swept hold still answers as it did: expired, not bookable.
  v1::ServiceOrder out;
  grpc::Status status = BookHold(mine, hold.name(), &out);
  EXPECT_EQ(ErrorReason(status), "HOLD_EXPIRED");
  other->Shutdown(absl::Seconds(2));
}

TEST_F(SchedulingTest, RescheduleMovesTheAppointmentAndFreesTheOldTime) {
  AddTechnician("ana", {"03100"});
  std::string order = NewOrder(Local(2, 10));
  v1::ServiceOrder booked;
  ASSERT_TRUE(Book(order, "ana", Local(2, 10), &booked).ok());
  v1::ServiceOrder out;
  grpc::Status status = Reschedule(order, "ana", Local(2, 14), "v999", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  // Overlapping its own old time is fine: the order never blocks itself.
  status = Reschedule(order, "ana", Local(2, 11), booked.etag(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = Reschedule(order, "ana", Local(2, 14), out.etag(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_EQ(api::FromProto(out.appointment().window().start_time(), true), Local(2, 14));
  EXPECT_EQ(out.appointment().technician_display_name(), "Técnico ana");
  EXPECT_THAT(EventTypes(EventsOf(order)), Contains("TYPE_RESCHEDULED"));
  v1::ServiceOrder other;
  ASSERT_TRUE(Book(NewOrder(Local(2, 10)), "ana", Local(2, 10), &other).ok());
  EXPECT_EQ(Book(NewOrder(Local(2, 15)), "ana", Local(2, 15), &other).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(OverlappingAppointments(), 0);
}

TEST_F(SchedulingTest, ReassignGivesTheWindowToAnotherFreeCoveringTechnician) {
  AddTechnician("ana", {"03100"});
  AddTechnician("beto", {"03100"});
  AddTechnician("carla", {"11000"});
  std::string order = NewOrder(Local(2, 10));
  v1::ServiceOrder out;
  ASSERT_TRUE(Book(order, "ana", Local(2, 10), &out).ok());
  grpc::Status status = Reassign(order, "carla", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(status), "NO_COVERAGE");
  status = Reassign(order, "beto", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.appointment().technician(), "technicians/beto");
  EXPECT_EQ(out.appointment().technician_display_name(), "Técnico beto");
  EXPECT_EQ(api::FromProto(out.appointment().window().start_time(), true), Local(2, 10));
  int assigned = 0;
  for (const auto& e : EventsOf(order)) {
    if (e.type() == v1::Event::TYPE_TECHNICIAN_ASSIGNED) ++assigned;
  }
  EXPECT_EQ(assigned, 2);  // at booking and at reassignment
  // Ana is free again; beto is not, so nobody can be moved onto him.
  v1::ServiceOrder second;
  std::string other = NewOrder(Local(2, 10));
  ASSERT_TRUE(Book(other, "ana", Local(2, 10), &second).ok());
  status = Reassign(other, "beto", &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(status), "SLOT_TAKEN");
  EXPECT_EQ(OverlappingAppointments(), 0);
}

TEST_F(SchedulingTest, CancelFreesTheTime) {
  AddTechnician("ana", {"03100"});
  std::string first = NewOrder(Local(2, 10));
  std::string second = NewOrder(Local(2, 10));
  v1::ServiceOrder out;
  ASSERT_TRUE(Book(first, "ana", Local(2, 10), &out).ok());
  EXPECT_EQ(Book(second, "ana", Local(2, 10), &out).error_code(), grpc::StatusCode::ABORTED);
  ASSERT_TRUE(Cancel(first).ok());
  grpc::Status status = Book(second, "ana", Local(2, 10), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // A cancelled order's hold goes too.
  std::string third = NewOrder(Local(3, 10));
  v1::Hold hold;
  ASSERT_TRUE(Hold(third, "ana", Local(3, 10), &hold).ok());
  ASSERT_TRUE(Cancel(third).ok());
  ASSERT_TRUE(Book(NewOrder(Local(3, 10)), "ana", Local(3, 10), &out).ok());
}

// The guarantee is the slot_claims key itself, not the availability check before it: a claim
// that skips every check still cannot take a granule of another order's live claim.
TEST_F(SchedulingTest, TheClaimKeyRefusesOverlapsEvenWithoutChecks) {
  AddTechnician("ana", {"03100"});
  std::string booked = NewOrder(Local(2, 10));
  v1::ServiceOrder out;
  ASSERT_TRUE(Book(booked, "ana", Local(2, 10), &out).ok());
  std::string other_id = NewOrder(Local(2, 10)).substr(std::string("serviceOrders/").size());
  auto claim = [&](absl::Time start, absl::Duration length, const std::string& hold_id, absl::Time expire) {
    try {
      server_->database().Write([&](domain::UnitOfWork& work) {
        domain::SlotClaim c{"ana", other_id, hold_id, expire, domain::GranulesOf({start, start + length})};
        // As the use cases do: a refused claim rolls its transaction back.
        if (!work.scheduling().Claim(c, absl::Now())) throw domain::DomainError(domain::ErrorKind::kAborted, "T", "");
      });
      return true;
    } catch (const domain::DomainError&) {
      return false;
    }
  };
  // Booked occupancy: 10:00-13:30. Its last granule, its first, and anything inside are refused.
  EXPECT_FALSE(claim(Local(2, 13, 15), absl::Minutes(15), "", absl::InfinitePast()));
  EXPECT_FALSE(claim(Local(2, 8), absl::Minutes(121), "", absl::InfinitePast()));
  EXPECT_TRUE(claim(Local(2, 13, 30), absl::Minutes(30), "", absl::InfinitePast()));
  EXPECT_TRUE(claim(Local(2, 9, 30), absl::Minutes(30), "", absl::InfinitePast()));
  // A hold's expired claim gives way to the next claim of its granules.
  std::string third_id = NewOrder(Local(3, 10)).substr(std::string("serviceOrders/").size());
  server_->database().Write([&](domain::UnitOfWork& work) {
    domain::Hold h;
    h.id = "lapsed-hold";
    h.order_id = third_id;
    h.technician_id = "ana";
    h.window = {Local(3, 10), Local(3, 12)};
    h.expire_time = absl::Now() - absl::Seconds(1);
    h.create_time = absl::Now() - absl::Minutes(10);
    work.scheduling().InsertHold(h);
    domain::SlotClaim c{"ana", third_id, h.id, h.expire_time, domain::GranulesOf({Local(3, 10), Local(3, 11)})};
    EXPECT_TRUE(work.scheduling().Claim(c, absl::Now() - absl::Minutes(1)));
  });
  EXPECT_TRUE(claim(Local(3, 10), absl::Minutes(60), "", absl::InfinitePast()));
  EXPECT_EQ(OverlappingAppointments(), 0);
}

TEST_F(SchedulingTest, SixteenClientsBookingOneOptionAtOnceGetOneBooking) {
  AddTechnician("ana", {"03100"});
  constexpr int kClients = 16;
  std::vector<std::string> orders;
  for (int i = 0; i < kClients; ++i) orders.push_back(NewOrder(Local(2, 10)));
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      // One channel per client, so the calls really arrive together.
      grpc::ChannelArguments args;
      args.SetInt("client_index", i);
      auto channel = AutoTokenChannel(absl::StrCat("127.0.0.1:", server_->port()), db_->url(), args);
      auto stub = v1::SchedulingService::NewStub(channel);
      v1::BookAppointmentRequest request;
      request.set_service_order(orders[i]);
      *request.mutable_option() = Option("ana", Local(2, 10));
      while (!go.load()) std::this_thread::yield();
      grpc::ClientContext context;
      v1::ServiceOrder out;
      grpc::Status status = stub->BookAppointment(&context, request, &out);
      if (status.ok()) {
        ++ok;
      } else if (status.error_code() == grpc::StatusCode::ABORTED ||
                 status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        ++refused;
      } else {
        ++other;
        ADD_FAILURE() << status.error_code() << " " << status.error_message();
      }
    });
  }
  go = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kClients - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(OverlappingAppointments(), 0);
  int scheduled = 0;
  for (const auto& name : orders) {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(name);
    v1::ServiceOrder o;
    ASSERT_TRUE(orders_->GetServiceOrder(&context, request, &o).ok());
    if (o.state() == v1::ServiceOrder::STATE_SCHEDULED) ++scheduled;
  }
  EXPECT_EQ(scheduled, 1);
}

}  // namespace
}  // namespace homevisit::testing
