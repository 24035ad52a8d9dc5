// ListHolds (issue 20): the holds the dispatcher's day shows, filtered by technician, by a range
// their window overlaps and by liveness, in pages; bad filters refused field by field; only the
// roles that may see holds (GetHold's) may list them.
#include <gmock/gmock.h>

#include <algorithm>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "test_channels.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

using ::testing::ElementsAre;

// ServiceTest's server runs in UTC-6; FullTimeTechnician works 08:00-20:00 every day.
const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);

// Without order (service_tests does not link gmock's library, which UnorderedElementsAre needs).
std::vector<std::string> Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

absl::Time Local(int days_ahead, int hour, int minute = 0) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), kZone) + days_ahead;
  return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute), kZone);
}

class HoldListTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    scheduling_ = v1::SchedulingService::NewStub(channel_);
    for (const char* id : {"ana", "beto"}) {
      domain::Technician t = FullTimeTechnician(id, {"03100"});
      server_->database().Write([&](domain::UnitOfWork& work) { work.technicians().Insert(t); });
    }
  }
  void TearDown() override {
    scheduling_.reset();
    ServiceTest::TearDown();
  }

  // Holds `technician` at `start` for a new order of its own; returns the hold's name.
  std::string HoldFor(const std::string& technician, absl::Time start) {
    v1::ServiceOrder order = ValidOrder();
    api::ToProto(start, order.mutable_requested_window()->mutable_start_time());
    api::ToProto(start + absl::Hours(2), order.mutable_requested_window()->mutable_end_time());
    grpc::ClientContext context;
    v1::CreateHoldRequest request;
    request.set_service_order(CreateOk(order, "req-" + UniqueSuffix()).name());
    request.mutable_option()->set_technician("technicians/" + technician);
    api::ToProto(start, request.mutable_option()->mutable_window()->mutable_start_time());
    api::ToProto(start + absl::Hours(2), request.mutable_option()->mutable_window()->mutable_end_time());
    v1::Hold hold;
    grpc::Status status = scheduling_->CreateHold(&context, request, &hold);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return hold.name();
  }

  grpc::Status List(const v1::ListHoldsRequest& request, v1::ListHoldsResponse* out,
                    v1::SchedulingService::Stub* stub = nullptr) {
    grpc::ClientContext context;
    return (stub ? stub : scheduling_.get())->ListHolds(&context, request, out);
  }

  // The names of one page, which must be the last.
  std::vector<std::string> Names(const v1::ListHoldsRequest& request) {
    v1::ListHoldsResponse response;
    grpc::Status status = List(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.next_page_token(), "");
    std::vector<std::string> names;
    for (const auto& h : response.holds()) names.push_back(h.name());
    return names;
  }

  static v1::ListHoldsRequest Range(absl::Time start, absl::Time end) {
    v1::ListHoldsRequest request;
    api::ToProto(start, request.mutable_window_start_time());
    api::ToProto(end, request.mutable_window_end_time());
    return request;
  }

  std::unique_ptr<v1::SchedulingService::Stub> scheduling_;
};

TEST_F(HoldListTest, FiltersByTechnicianOverlapAndLiveness) {
  const std::string ana_10 = HoldFor("ana", Local(2, 10));
  const std::string ana_14 = HoldFor("ana", Local(2, 14));
  const std::string beto_10 = HoldFor("beto", Local(2, 10));
  const std::string ana_next_day = HoldFor("ana", Local(3, 10));
  const std::string released = HoldFor("ana", Local(4, 10));
  {
    grpc::ClientContext context;
    v1::ReleaseHoldRequest request;
    request.set_name(released);
    v1::Hold out;
    ASSERT_TRUE(scheduling_->ReleaseHold(&context, request, &out).ok());
  }

  // Ana's day, in window order, with what the grid needs to draw them.
  v1::ListHoldsRequest day = Range(Local(2, 0), Local(3, 0));
  day.set_technician("technicians/ana");
  v1::ListHoldsResponse response;
  ASSERT_TRUE(List(day, &response).ok());
  ASSERT_EQ(response.holds_size(), 2);
  EXPECT_EQ(response.holds(0).name(), ana_10);
  EXPECT_EQ(response.holds(1).name(), ana_14);
  EXPECT_EQ(response.holds(0).state(), v1::Hold::STATE_LIVE);
  EXPECT_EQ(response.holds(0).option().technician(), "technicians/ana");
  EXPECT_EQ(response.holds(0).option().technician_display_name(), "Técnico ana");
  EXPECT_EQ(api::FromProto(response.holds(1).option().window().start_time(), true), Local(2, 14));
  EXPECT_EQ(response.holds(0).service_order().rfind("serviceOrders/", 0), 0u);

  // Every hold of Ana's, or only the live ones.
  v1::ListHoldsRequest ana;
  ana.set_technician("technicians/ana");
  EXPECT_THAT(Names(ana), ElementsAre(ana_10, ana_14, ana_next_day, released));
  ana.set_live_only(true);
  EXPECT_THAT(Names(ana), ElementsAre(ana_10, ana_14, ana_next_day));

  // Overlap: a window [10:00, 12:00) overlaps [11:00, 11:30) but not [12:00, 13:00).
  EXPECT_EQ(Sorted(Names(Range(Local(2, 11), Local(2, 11, 30)))), Sorted({ana_10, beto_10}));
  EXPECT_TRUE(Names(Range(Local(2, 12), Local(2, 13))).empty());
  // One bound alone.
  v1::ListHoldsRequest from;
  api::ToProto(Local(3, 0), from.mutable_window_start_time());
  EXPECT_THAT(Names(from), ElementsAre(ana_next_day, released));
  v1::ListHoldsRequest until;
  api::ToProto(Local(2, 10, 30), until.mutable_window_end_time());
  EXPECT_EQ(Sorted(Names(until)), Sorted({ana_10, beto_10}));
  // A technician with no holds.
  v1::ListHoldsRequest nobody;
  nobody.set_technician("technicians/carla");
  EXPECT_TRUE(Names(nobody).empty());
}

TEST_F(HoldListTest, PagesFollowTheTokenAndRefuseItWithOtherFilters) {
  std::vector<std::string> all;
  for (int day = 2; day <= 6; ++day) all.push_back(HoldFor("ana", Local(day, 10)));

  v1::ListHoldsRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    v1::ListHoldsResponse response;
    ASSERT_TRUE(List(request, &response).ok());
    page_sizes.push_back(response.holds_size());
    for (const auto& h : response.holds()) seen.push_back(h.name());
    if (response.next_page_token().empty()) break;
    if (first_token.empty()) first_token = response.next_page_token();
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  EXPECT_EQ(seen, all);

  // The token belongs to the filters it was made with.
  v1::ListHoldsRequest other;
  other.set_page_token(first_token);
  other.set_technician("technicians/ana");
  v1::ListHoldsResponse response;
  grpc::Status status = List(other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
}

TEST_F(HoldListTest, BadInputIsRefusedFieldByField) {
  auto fields = [&](const v1::ListHoldsRequest& request) {
    v1::ListHoldsResponse response;
    grpc::Status status = List(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(response.holds_size(), 0);
    return ViolatedFields(status);
  };
  v1::ListHoldsRequest request;
  request.set_technician("serviceOrders/ana");
  EXPECT_THAT(fields(request), ElementsAre("technician"));

  request = {};
  request.mutable_window_start_time()->set_nanos(-1);
  EXPECT_THAT(fields(request), ElementsAre("window_start_time"));

  request = {};
  request.mutable_window_end_time()->set_seconds(-100000000000LL);  // before year 1
  EXPECT_THAT(fields(request), ElementsAre("window_end_time"));

  // An empty or backwards range.
  EXPECT_THAT(fields(Range(Local(2, 10), Local(2, 10))), ElementsAre("window_end_time"));
  EXPECT_THAT(fields(Range(Local(2, 10), Local(2, 9))), ElementsAre("window_end_time"));

  request = {};
  request.set_page_size(-1);
  EXPECT_THAT(fields(request), ElementsAre("page_size"));

  request = {};
  request.set_page_token("not a token");
  EXPECT_THAT(fields(request), ElementsAre("page_token"));
}

TEST_F(HoldListTest, OnlyRolesThatSeeHoldsMayListThem) {
  HoldFor("ana", Local(2, 10));
  const std::string target = "127.0.0.1:" + std::to_string(server_->port());
  auto as = [&](domain::Role role, const std::string& technician_id = "") {
    return v1::SchedulingService::NewStub(TokenChannel(target, IssueToken(db_->url(), role, technician_id)));
  };
  for (domain::Role role : {domain::Role::kDotOperator, domain::Role::kDotSupervisor, domain::Role::kDispatcher}) {
    auto stub = as(role);
    v1::ListHoldsResponse response;
    grpc::Status status = List({}, &response, stub.get());
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.holds_size(), 1);
  }
  // Technicians do not see holds (GetHold's rule), their own included; nor does the admin.
  for (auto [role, technician] : {std::pair{domain::Role::kTechnician, std::string("ana")},
                                  std::pair{domain::Role::kAdmin, std::string()}}) {
    auto stub = as(role, technician);
    v1::ListHoldsResponse response;
    grpc::Status status = List({}, &response, stub.get());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED");
    EXPECT_EQ(response.holds_size(), 0);
  }
}

}  // namespace
}  // namespace homevisit::testing
