// The intake, read and cancel RPCs through a real client against a real database.
#include <gmock/gmock.h>

#include <functional>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "api/convert.h"
#include "domain/order_commands.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ServiceOrderTest : public ServiceTest {
 protected:
  grpc::Status Cancel(const std::string& name, const std::string& reason, const std::string& etag,
                      v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::CancelServiceOrderRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    return orders_->CancelServiceOrder(&context, request, out);
  }
  grpc::Status Get(const std::string& name, v1::ServiceOrder* out) {
    grpc::ClientContext context;
    v1::GetServiceOrderRequest request;
    request.set_name(name);
    return orders_->GetServiceOrder(&context, request, out);
  }
  // Moves an order to a state the intake API cannot reach yet (booking and the visit come
  // with later RPCs), straight through the domain's repository.
  void ForceState(const std::string& name, domain::OrderState state, const std::string& technician_id = "") {
    std::string id = name.substr(name.find('/') + 1);
    server_->database().Write([&](domain::UnitOfWork& work) {
      if (!technician_id.empty() && !work.technicians().Find(technician_id)) {
        domain::Technician t;
        t.id = technician_id;
        t.display_name = "Técnico " + technician_id;
        t.employee_number = "EMP-" + technician_id;
        t.mobile_phone = "5512345678";
        t.create_time = t.update_time = absl::Now();
        work.technicians().Insert(t);
      }
      domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      int expected = order.version;
      order.state = state;
      if (!technician_id.empty()) {
        order.appointment = domain::Appointment{technician_id, "", order.intake.requested_window, absl::Now()};
      }
      ++order.version;
      work.orders().Update(order, expected);
    });
  }
};

TEST_F(ServiceOrderTest, TimestampsOutsideTheirRangeAreRefusedNamingTheField) {
  v1::ServiceOrder order = ValidOrder();
  order.mutable_requested_window()->mutable_start_time()->set_nanos(1500000000);
  v1::ServiceOrder out;
  grpc::Status status = Create(order, "bad-nanos-" + UniqueSuffix(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("service_order.requested_window.start_time"));
  order = ValidOrder();
  order.mutable_requested_window()->mutable_end_time()->set_nanos(-1);
  EXPECT_THAT(ViolatedFields(Create(order, "bad-nanos2-" + UniqueSuffix(), &out)),
              ::testing::ElementsAre("service_order.requested_window.end_time"));
  grpc::ClientContext context;
  v1::ListServiceOrdersRequest list;
  list.mutable_window_start_after()->set_seconds(400000000000LL);  // past year 9999
  v1::ListServiceOrdersResponse page;
  EXPECT_THAT(ViolatedFields(orders_->ListServiceOrders(&context, list, &page)),
              ::testing::ElementsAre("window_start_after"));
  EXPECT_TRUE(ListAll({}).empty()) << "nothing stored";
}

TEST_F(ServiceOrderTest, CreateStoresEveryIntakeFieldAndAppendsAnEvent) {
  v1::ServiceOrder input = ValidOrder();
  input.set_charge(v1::ServiceOrder::CHARGE_CHARGED);
  v1::ServiceOrder created = CreateOk(input, "req-1");
  EXPECT_THAT(created.name(), HasSubstr("serviceOrders/"));
  EXPECT_EQ(created.state(), v1::ServiceOrder::STATE_REQUESTED);
  EXPECT_EQ(created.etag(), "v1");
  EXPECT_TRUE(created.has_create_time());

  v1::ServiceOrder fetched;
  ASSERT_TRUE(Get(created.name(), &fetched).ok());
  EXPECT_EQ(fetched.file_number(), input.file_number());
  EXPECT_EQ(fetched.subscriber().family_name(), "López");
  EXPECT_EQ(fetched.subscriber().email(), "ana.lopez@example.com");
  EXPECT_EQ(fetched.address().interior_number(), "4B");
  EXPECT_EQ(fetched.address().postal_code(), "03100");
  EXPECT_EQ(fetched.address().references(), "Edificio azul");
  EXPECT_EQ(fetched.requested_window().start_time().seconds(), input.requested_window().start_time().seconds());
  EXPECT_EQ(fetched.requested_window().end_time().seconds(), input.requested_window().end_time().seconds());
  EXPECT_EQ(fetched.receiver().name(), "Ana López");
  EXPECT_EQ(fetched.receiver().phone(), "55 1234 5678");
  EXPECT_EQ(fetched.problem_description(), input.problem_description());
  EXPECT_EQ(fetched.charge(), v1::ServiceOrder::CHARGE_CHARGED);

  auto events = EventsOf(created.name());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), v1::Event::TYPE_ORDER_CREATED);
  EXPECT_EQ(events[0].file_number(), input.file_number());
  EXPECT_FALSE(events[0].actor().empty());
  EXPECT_TRUE(events[0].has_event_time());
}

TEST_F(ServiceOrderTest, MalformedEmailAndMissingPostalCodeAreBothNamedAndNothingIsStored) {
  v1::ServiceOrder input = ValidOrder();
  input.mutable_subscriber()->set_email("ana.lopez@");
  input.mutable_address()->clear_postal_code();
  v1::ServiceOrder out;
  grpc::Status status = Create(input, "req-bad", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("service_order.subscriber.email", "service_order.address.postal_code"));
  EXPECT_EQ(ErrorReason(status), "INVALID_FIELDS");
  EXPECT_TRUE(ListAll({}).empty());
  // The request id was not consumed either: the corrected request goes through.
  CreateOk(ValidOrder(), "req-bad");
}

struct InvalidCase {
  std::string name;
  std::function<void(v1::ServiceOrder&)> spoil;
  std::string field;
};

void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.name; }

class InvalidIntakeTest : public ServiceOrderTest, public ::testing::WithParamInterface<InvalidCase> {};

TEST_P(InvalidIntakeTest, IsRefusedNamingTheField) {
  v1::ServiceOrder input = ValidOrder();
  GetParam().spoil(input);
  v1::ServiceOrder out;
  grpc::Status status = Create(input, "req-" + GetParam().name, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_THAT(ViolatedFields(status), ElementsAre(GetParam().field));
  EXPECT_TRUE(ListAll({}).empty());
}

std::string Repeat(char c, int n) { return std::string(static_cast<size_t>(n), c); }

void SetWindow(v1::ServiceOrder& o, absl::Time start, absl::Duration length) {
  api::ToProto(start, o.mutable_requested_window()->mutable_start_time());
  api::ToProto(start + length, o.mutable_requested_window()->mutable_end_time());
}

INSTANTIATE_TEST_SUITE_P(
    EveryField, InvalidIntakeTest,
    ::testing::Values(
        InvalidCase{"no_file", [](auto& o) { o.clear_file_number(); }, "service_order.file_number"},
        InvalidCase{"bad_file", [](auto& o) { o.set_file_number("EXP 1/2"); }, "service_order.file_number"},
        InvalidCase{"no_given", [](auto& o) { o.mutable_subscriber()->set_given_name("  "); },
                    "service_order.subscriber.given_name"},
        InvalidCase{"long_given", [](auto& o) { o.mutable_subscriber()->set_given_name(Repeat('a', 101)); },
                    "service_order.subscriber.given_name"},
        InvalidCase{"no_family", [](auto& o) { o.mutable_subscriber()->clear_family_name(); },
                    "service_order.subscriber.family_name"},
        InvalidCase{"no_email", [](auto& o) { o.mutable_subscriber()->clear_email(); },
                    "service_order.subscriber.email"},
        InvalidCase{"email_no_at", [](auto& o) { o.mutable_subscriber()->set_email("ana.example.com"); },
                    "service_order.subscriber.email"},
        InvalidCase{"email_space", [](auto& o) { o.mutable_subscriber()->set_email("ana lopez@example.com"); },
                    "service_order.subscriber.email"},
        InvalidCase{"email_no_tld", [](auto& o) { o.mutable_subscriber()->set_email("ana@example"); },
                    "service_order.subscriber.email"},
        InvalidCase{"email_dots", [](auto& o) { o.mutable_subscriber()->set_email("ana..l@example.com"); },
                    "service_order.subscriber.email"},
        InvalidCase{"no_street", [](auto& o) { o.mutable_address()->clear_street(); },
                    "service_order.address.street"},
        InvalidCase{"no_exterior", [](auto& o) { o.mutable_address()->clear_exterior_number(); },
                    "service_order.address.exterior_number"},
        InvalidCase{"long_interior", [](auto& o) { o.mutable_address()->set_interior_number(Repeat('9', 21)); },
                    "service_order.address.interior_number"},
        InvalidCase{"no_colonia", [](auto& o) { o.mutable_address()->clear_colonia(); },
                    "service_order.address.colonia"},
        InvalidCase{"no_delegacion", [](auto& o) { o.mutable_address()->clear_delegacion(); },
                    "service_order.address.delegacion"},
        InvalidCase{"short_cp", [](auto& o) { o.mutable_address()->set_postal_code("0310"); },
                    "service_order.address.postal_code"},
        InvalidCase{"letters_cp", [](auto& o) { o.mutable_address()->set_postal_code("03I00"); },
                    "service_order.address.postal_code"},
        InvalidCase{"long_refs", [](auto& o) { o.mutable_address()->set_references(Repeat('r', 501)); },
                    "service_order.address.references"},
        InvalidCase{"no_start", [](auto& o) { o.mutable_requested_window()->clear_start_time(); },
                    "service_order.requested_window.start_time"},
        InvalidCase{"no_end", [](auto& o) { o.mutable_requested_window()->clear_end_time(); },
                    "service_order.requested_window.end_time"},
        InvalidCase{"end_before_start",
                    [](auto& o) { SetWindow(o, absl::Now() + absl::Hours(48), absl::Hours(-1)); },
                    "service_order.requested_window.end_time"},
        InvalidCase{"window_too_long",
                    [](auto& o) { SetWindow(o, absl::Now() + absl::Hours(48), absl::Hours(13)); },
                    "service_order.requested_window.end_time"},
        InvalidCase{"in_the_past", [](auto& o) { SetWindow(o, absl::Now() - absl::Hours(3), absl::Hours(2)); },
                    "service_order.requested_window.start_time"},
        InvalidCase{"too_far", [](auto& o) { SetWindow(o, absl::Now() + absl::Hours(24 * 200), absl::Hours(2)); },
                    "service_order.requested_window.start_time"},
        InvalidCase{"no_receiver", [](auto& o) { o.mutable_receiver()->clear_name(); },
                    "service_order.receiver.name"},
        InvalidCase{"bad_phone", [](auto& o) { o.mutable_receiver()->set_phone("12345"); },
                    "service_order.receiver.phone"},
        InvalidCase{"no_problem", [](auto& o) { o.clear_problem_description(); },
                    "service_order.problem_description"},
        InvalidCase{"long_problem", [](auto& o) { o.set_problem_description(Repeat('p', 4001)); },
                    "service_order.problem_description"},
        InvalidCase{"control_chars", [](auto& o) { o.mutable_subscriber()->set_given_name("An\x01" "a"); },
                    "service_order.subscriber.given_name"},
        InvalidCase{"no_charge", [](auto& o) { o.clear_charge(); }, "service_order.charge"}),
    [](const ::testing::TestParamInfo<InvalidCase>& param_info) { return param_info.param.name; });

TEST_F(ServiceOrderTest, MissingRequestIdIsRefused) {
  v1::ServiceOrder out;
  grpc::Status status = Create(ValidOrder(), "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("request_id"));
}

TEST_F(ServiceOrderTest, RetryWithTheSameRequestIdReturnsTheFirstOrder) {
  v1::ServiceOrder input = ValidOrder();
  v1::ServiceOrder first = CreateOk(input, "req-retry");
  v1::ServiceOrder second = CreateOk(input, "req-retry");
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(ListAll({}).size(), 1u);
  EXPECT_EQ(EventsOf(first.name()).size(), 1u);
}

TEST_F(ServiceOrderTest, ARetryAfterTheWindowHasStartedStillReturnsTheFirstOrder) {
  v1::ServiceOrder input = ValidOrder();
  absl::Time start = absl::Now() + absl::Seconds(3);
  SetWindow(input, start, absl::Hours(2));
  v1::ServiceOrder first = CreateOk(input, "req-late-retry");
  absl::SleepFor(start - absl::Now() + absl::Milliseconds(300));  // the window has begun
  v1::ServiceOrder again = CreateOk(input, "req-late-retry");
  EXPECT_EQ(again.name(), first.name());
  v1::ServiceOrder out;
  EXPECT_EQ(Create(input, "req-late-new", &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceOrderTest, RequestIdReusedForAnotherOrderIsAlreadyExists) {
  CreateOk(ValidOrder(), "req-reuse");
  v1::ServiceOrder other = ValidOrder();
  other.set_problem_description("Otro problema distinto.");
  v1::ServiceOrder out;
  grpc::Status status = Create(other, "req-reuse", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReason(status), "REQUEST_ID_REUSED");
  EXPECT_EQ(ListAll({}).size(), 1u);
}

TEST_F(ServiceOrderTest, ConcurrentRetriesCreateExactlyOneOrder) {
  v1::ServiceOrder input = ValidOrder();
  constexpr int kClients = 12;
  std::vector<std::string> names(kClients);
  std::vector<grpc::Status> statuses(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      v1::ServiceOrder out;
      statuses[i] = Create(input, "req-concurrent", &out);
      names[i] = out.name();
    });
  }
  for (auto& c : clients) c.join();
  for (int i = 0; i < kClients; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(names[i], names[0]);
  }
  EXPECT_EQ(ListAll({}).size(), 1u);
  EXPECT_EQ(EventsOf(names[0]).size(), 1u);
}

TEST_F(ServiceOrderTest, GetUnknownIsNotFoundAndMalformedNameIsInvalid) {
  v1::ServiceOrder out;
  grpc::Status status = Get("serviceOrders/does-not-exist", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = Get("technicians/x", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("name"));
}

TEST_F(ServiceOrderTest, ListPagesNewestFirstWithoutGapsOrRepeats) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) created.push_back(CreateOk(ValidOrder(), "req-page-" + std::to_string(i)).name());
  v1::ListServiceOrdersRequest request;
  request.set_page_size(3);
  std::vector<size_t> page_sizes;
  std::vector<std::string> seen;
  for (;;) {
    grpc::ClientContext context;
    v1::ListServiceOrdersResponse response;
    ASSERT_TRUE(orders_->ListServiceOrders(&context, request, &response).ok());
    page_sizes.push_back(static_cast<size_t>(response.service_orders_size()));
    for (const auto& o : response.service_orders()) seen.push_back(o.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(3u, 3u, 1u));
  std::vector<std::string> newest_first(created.rbegin(), created.rend());
  EXPECT_EQ(seen, newest_first);
}

TEST_F(ServiceOrderTest, PageTokenFromOtherFiltersIsRefused) {
  for (int i = 0; i < 3; ++i) CreateOk(ValidOrder(), "req-tok-" + std::to_string(i));
  v1::ListServiceOrdersRequest request;
  request.set_page_size(1);
  grpc::ClientContext context;
  v1::ListServiceOrdersResponse response;
  ASSERT_TRUE(orders_->ListServiceOrders(&context, request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  v1::ListServiceOrdersRequest other;
  other.set_file_number("EXP-OTHER");
  other.set_page_token(response.next_page_token());
  grpc::ClientContext context2;
  grpc::Status status = orders_->ListServiceOrders(&context2, other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
  other.set_page_token("garbage!");
  grpc::ClientContext context3;
  EXPECT_EQ(orders_->ListServiceOrders(&context3, other, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceOrderTest, ListFiltersByFileStateDateRangeAndTechnician) {
  v1::ServiceOrder a = ValidOrder(1);
  a.set_file_number("EXP-A");
  v1::ServiceOrder b = ValidOrder(5);
  b.set_file_number("EXP-B");
  v1::ServiceOrder c = ValidOrder(9);
  c.set_file_number("EXP-A");
  std::string na = CreateOk(a, "req-a").name();
  std::string nb = CreateOk(b, "req-b").name();
  std::string nc = CreateOk(c, "req-c").name();
  ForceState(nb, domain::OrderState::kScheduled, "tech-7");

  auto names = [&](const v1::ListServiceOrdersRequest& r) {
    std::vector<std::string> out;
    for (const auto& o : ListAll(r)) out.push_back(o.name());
    return out;
  };
  v1::ListServiceOrdersRequest by_file;
  by_file.set_file_number("EXP-A");
  EXPECT_THAT(names(by_file), ElementsAre(nc, na));

  v1::ListServiceOrdersRequest by_state;
  by_state.add_states(v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_THAT(names(by_state), ElementsAre(nb));

  v1::ListServiceOrdersRequest by_tech;
  by_tech.set_technician("technicians/tech-7");
  EXPECT_THAT(names(by_tech), ElementsAre(nb));
  v1::ServiceOrder scheduled;
  ASSERT_TRUE(Get(nb, &scheduled).ok());
  EXPECT_EQ(scheduled.appointment().technician(), "technicians/tech-7");
  EXPECT_EQ(scheduled.appointment().technician_display_name(), "Técnico tech-7");

  v1::ListServiceOrdersRequest by_dates;
  api::ToProto(absl::Now() + absl::Hours(24 * 3), by_dates.mutable_window_start_after());
  api::ToProto(absl::Now() + absl::Hours(24 * 7), by_dates.mutable_window_start_before());
  EXPECT_THAT(names(by_dates), ElementsAre(nb));

  v1::ListServiceOrdersRequest combined = by_file;
  combined.add_states(v1::ServiceOrder::STATE_SCHEDULED);
  EXPECT_TRUE(names(combined).empty());

  v1::ListServiceOrdersRequest bad_state;
  bad_state.add_states(static_cast<v1::ServiceOrder::State>(42));
  grpc::ClientContext context;
  v1::ListServiceOrdersResponse response;
  grpc::Status status = orders_->ListServiceOrders(&context, bad_state, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("states"));
}

TEST_F(ServiceOrderTest, CancelRecordsReasonActorAndEvent) {
  v1::ServiceOrder created = CreateOk(ValidOrder(), "req-cancel");
  v1::ServiceOrder cancelled;
  ASSERT_TRUE(Cancel(created.name(), "El suscriptor ya no lo necesita", created.etag(), &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::ServiceOrder::STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancellation().reason(), "El suscriptor ya no lo necesita");
  EXPECT_TRUE(cancelled.cancellation().has_cancel_time());
  EXPECT_NE(cancelled.etag(), created.etag());
  auto events = EventsOf(created.name());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type(), v1::Event::TYPE_CANCELLED);
  EXPECT_GT(std::stoll(events[1].cursor()), std::stoll(events[0].cursor()));
}

TEST_F(ServiceOrderTest, CancelInAWrongStateNamesTheState) {
  v1::ServiceOrder created = CreateOk(ValidOrder(), "req-cancel-twice");
  v1::ServiceOrder out;
  ASSERT_TRUE(Cancel(created.name(), "primera", "", &out).ok());
  grpc::Status status = Cancel(created.name(), "segunda", "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("CANCELLED"));
  EXPECT_EQ(ErrorReason(status), "WRONG_STATE");

  v1::ServiceOrder on_site = CreateOk(ValidOrder(), "req-on-site");
  ForceState(on_site.name(), domain::OrderState::kOnSite, "tech-1");
  status = Cancel(on_site.name(), "tarde", "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("ON_SITE"));
  ASSERT_TRUE(Get(on_site.name(), &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_ON_SITE);
  EXPECT_EQ(EventsOf(on_site.name()).size(), 1u);
}

TEST_F(ServiceOrderTest, CancelWithStaleEtagIsAbortedAndWithoutReasonInvalid) {
  v1::ServiceOrder created = CreateOk(ValidOrder(), "req-etag");
  v1::ServiceOrder out;
  grpc::Status status = Cancel(created.name(), "motivo", "v999", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  status = Cancel(created.name(), " ", "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("reason"));
  status = Cancel("serviceOrders/unknown", "motivo", "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Get(created.name(), &out).ok());
  EXPECT_EQ(out.state(), v1::ServiceOrder::STATE_REQUESTED);
}

TEST_F(ServiceOrderTest, UpdateChangesOnlyMaskedFields) {
  v1::ServiceOrder created = CreateOk(ValidOrder(), "req-update");
  v1::UpdateServiceOrderRequest request;
  request.mutable_service_order()->set_name(created.name());
  request.mutable_service_order()->set_charge(v1::ServiceOrder::CHARGE_CHARGED);
  request.mutable_service_order()->set_problem_description("ignored: not in the mask");
  request.mutable_update_mask()->add_paths("charge");
  v1::ServiceOrder updated;
  grpc::ClientContext context;
  ASSERT_TRUE(orders_->UpdateServiceOrder(&context, request, &updated).ok());
  EXPECT_EQ(updated.charge(), v1::ServiceOrder::CHARGE_CHARGED);
  EXPECT_EQ(updated.problem_description(), created.problem_description());
  EXPECT_EQ(EventsOf(created.name()).back().type(), v1::Event::TYPE_ORDER_UPDATED);

  request.mutable_update_mask()->add_paths("subscriber.email");
  grpc::ClientContext context2;
  grpc::Status status = orders_->UpdateServiceOrder(&context2, request, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask"));
}

}  // namespace
}  // namespace homevisit::testing
