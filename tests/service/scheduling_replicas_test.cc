// Two homevisitd processes on one database (PostgreSQL under scripts/with-postgres.sh, else one
// SQLite file) take bookings for one technician at once: the database alone keeps them apart.
#include <gmock/gmock.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/convert.h"
#include "daemon.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "storage/database.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

// homevisitd's default zone, America/Mexico_City, has been UTC-6 all year since 2022.
const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);

absl::Time Local(int days_ahead, int hour, int minute = 0) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), kZone) + days_ahead;
  return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute), kZone);
}

std::shared_ptr<grpc::Channel> ChannelTo(int port, int index, const std::string& db_url) {
  grpc::ChannelArguments args;
  args.SetInt("client_index", index);  // separate connections, so calls really run at once
  return AutoTokenChannel(absl::StrCat("127.0.0.1:", port), db_url, args);
}

TEST(SchedulingReplicasTest, TwoServersRacingForOneTechnicianNeverDoubleBook) {
  TestDatabase db;
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--db", db.url(), "--workers", "8"};
  Daemon first(args);
  const int port_a = first.WaitForPort();
  ASSERT_GT(port_a, 0);
  Daemon second(args);
  const int port_b = second.WaitForPort();
  ASSERT_GT(port_b, 0);

  storage::DatabaseOptions options;
  options.url = db.url();
  options.pool_size = 1;
  auto database = storage::Database::Open(options);
  database->Write([&](domain::UnitOfWork& work) {
    work.technicians().Insert(FullTimeTechnician("ana", {"03100"}));
  });

  // Round 1: everyone wants 10:00. Round 2: starts every 30 minutes from 09:00 to 12:30, each
  // overlapping several others. Requests alternate between the two servers.
  constexpr int kClients = 16;
  auto orders_stub = v1::ServiceOrderService::NewStub(ChannelTo(port_a, 0, db.url()));
  auto race = [&](int day, const std::function<absl::Time(int)>& start_of) {
    std::vector<std::string> orders;
    for (int i = 0; i < kClients; ++i) {
      v1::CreateServiceOrderRequest request;
      *request.mutable_service_order() = ValidOrder();
      api::ToProto(start_of(i), request.mutable_service_order()->mutable_requested_window()->mutable_start_time());
      api::ToProto(start_of(i) + absl::Hours(2),
                   request.mutable_service_order()->mutable_requested_window()->mutable_end_time());
      request.set_request_id(absl::StrCat("replicas-", day, "-", i));
      grpc::ClientContext context;
      v1::ServiceOrder out;
      EXPECT_TRUE(orders_stub->CreateServiceOrder(&context, request, &out).ok());
      orders.push_back(out.name());
    }
    std::atomic<int> ok{0}, refused{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        auto stub = v1::SchedulingService::NewStub(ChannelTo(i % 2 ? port_b : port_a, i + 1, db.url()));
        v1::BookAppointmentRequest request;
        request.set_service_order(orders[i]);
        request.mutable_option()->set_technician("technicians/ana");
        api::ToProto(start_of(i), request.mutable_option()->mutable_window()->mutable_start_time());
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
          ADD_FAILURE() << status.error_code() << " " << status.error_message();
        }
      });
    }
    go = true;
    for (auto& c : clients) c.join();
    EXPECT_EQ(ok + refused, kClients);
    return ok.load();
  };
  EXPECT_EQ(race(2, [](int) { return Local(2, 10); }), 1);
  // 3.5 h occupancies starting 30 min apart: at most two of 09:00..12:30 fit (e.g. 09:00, 12:30).
  const int round_two = race(3, [](int i) { return Local(3, 9) + absl::Minutes(30) * (i % 8); });
  EXPECT_GE(round_two, 1);
  EXPECT_LE(round_two, 2);

  long long overlapping = -1;
  const long long occupancy = absl::ToInt64Microseconds(absl::Minutes(210));
  database->WithSession([&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM service_orders a JOIN service_orders b ON a.technician_id = b.technician_id "
           "AND a.id < b.id WHERE a.state <> 9 AND b.state <> 9 AND a.window_start < b.window_start + :o1 "
           "AND b.window_start < a.window_start + :o2",
        soci::use(occupancy), soci::use(occupancy), soci::into(overlapping);
  });
  EXPECT_EQ(overlapping, 0);
  EXPECT_EQ(first.Stop(), 0);
  EXPECT_EQ(second.Stop(), 0);
}

}  // namespace
}  // namespace homevisit::testing
