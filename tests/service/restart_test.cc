// The real homevisitd binary: started, fed, stopped with SIGTERM, started again on the same
// database. Also checks --demo loads once and that a bad flag fails cleanly.

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

std::unique_ptr<v1::ServiceOrderService::Stub> Connect(int port, const std::string& db_url) {
  return v1::ServiceOrderService::NewStub(AutoTokenChannel(absl::StrCat("127.0.0.1:", port), db_url));
}

std::set<std::string> AllNames(v1::ServiceOrderService::Stub& stub) {
  std::set<std::string> names;
  v1::ListServiceOrdersRequest request;
  request.set_page_size(500);
  grpc::ClientContext context;
  v1::ListServiceOrdersResponse response;
  grpc::Status status = stub.ListServiceOrders(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const auto& o : response.service_orders()) names.insert(o.name());
  return names;
}

TEST(RestartTest, AServerRestartedOnTheSameDatabaseFindsAllItsData) {
  TestDatabase db;
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--db", db.url()};
  std::set<std::string> created;
  {
    Daemon daemon(args);
    int port = daemon.WaitForPort();
    ASSERT_GT(port, 0);
    auto stub = Connect(port, db.url());
    for (int i = 0; i < 5; ++i) {
      v1::CreateServiceOrderRequest request;
      *request.mutable_service_order() = ValidOrder();
      request.set_request_id(absl::StrCat("restart-", i));
      v1::ServiceOrder out;
      grpc::ClientContext context;
      ASSERT_TRUE(stub->CreateServiceOrder(&context, request, &out).ok());
      created.insert(out.name());
    }
    stub.reset();
    stub.reset();
    EXPECT_EQ(daemon.Stop(SIGTERM), 0) << "SIGTERM must end the server cleanly";
  }
  Daemon again(args);
  int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  auto stub = Connect(port, db.url());
  EXPECT_EQ(AllNames(*stub), created);
  // Each order reads back whole after the restart.
  grpc::ClientContext context;
  v1::ServiceOrder first;
  v1::GetServiceOrderRequest get;
  get.set_name(*created.begin());
  ASSERT_TRUE(stub->GetServiceOrder(&context, get, &first).ok());
  EXPECT_EQ(again.Stop(SIGINT), 0);
}

TEST(RestartTest, DemoDataLoadsOnceAcrossRestarts) {
  TestDatabase db;
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--db", db.url(), "--demo"};
  std::set<std::string> first;
  {
    Daemon daemon(args);
    int port = daemon.WaitForPort();
    ASSERT_GT(port, 0);
    first = AllNames(*Connect(port, db.url()));
    EXPECT_EQ(first.size(), 3u);
    EXPECT_EQ(daemon.Stop(), 0);
  }
  Daemon again(args);
  int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  EXPECT_EQ(AllNames(*Connect(port, db.url())), first);
  EXPECT_EQ(again.Stop(), 0);
}

TEST(RestartTest, BadFlagsFailWithoutServing) {
  Daemon bad_db({"--listen", "127.0.0.1:0", "--db", "mysql://nope"});
  EXPECT_EQ(bad_db.WaitForPort(), 0);
  EXPECT_EQ(bad_db.Wait(), 1);
  Daemon bad_zone({"--listen", "127.0.0.1:0", "--time_zone", "Mars/Olympus"});
  EXPECT_EQ(bad_zone.WaitForPort(), 0);
  EXPECT_EQ(bad_zone.Wait(), 2);
}

}  // namespace
}  // namespace homevisit::testing
