#pragma once
// Test fixtures: a fresh database per test (a SQLite file, or a new PostgreSQL database when
// HOMEVISIT_TEST_DATABASE_URL names a cluster), an in-process server on a random port, and a
// real client channel to it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/server.h"
#include "domain/technician.h"
#include "test_channels.h"
#include "homevisit/v1/event.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"

namespace homevisit::testing {

// A database that exists for the lifetime of this object.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  const std::string& url() const { return url_; }
  bool is_postgres() const { return !admin_url_.empty(); }

 private:
  std::string url_;
  std::string admin_url_;  // PostgreSQL: the cluster's database used to create/drop ours
  std::string name_;       // PostgreSQL database name, or the SQLite folder
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Starts (or restarts) the in-process server on the same database.
  void StartServer();
  void StopServer();

  grpc::Status Create(const v1::ServiceOrder& order, const std::string& request_id, v1::ServiceOrder* out);
  v1::ServiceOrder CreateOk(const v1::ServiceOrder& order, const std::string& request_id);
  std::vector<v1::ServiceOrder> ListAll(const v1::ListServiceOrdersRequest& request);
  std::vector<v1::Event> EventsOf(const std::string& order_name);
  // The order named `name` (the call is expected to succeed).
  v1::ServiceOrder Get(const std::string& name);
  // Options for another replica on this test's database: any free port, a pool of two sessions.
  api::ServerOptions ReplicaOptions() const;
  // A channel to `server` carrying AutoTokenChannel's credentials.
  std::shared_ptr<grpc::Channel> ChannelTo(const api::Server& server) const;

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<api::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ServiceOrderService::Stub> orders_;
  std::unique_ptr<v1::EventService::Stub> events_;
};

// A technician working 08:00-20:00 every day, covering `postal_codes` and `delegaciones`
// ("Técnico <id>", employee number "EMP-<id>"), created now.
domain::Technician FullTimeTechnician(const std::string& id, std::vector<std::string> postal_codes,
                                      std::vector<std::string> delegaciones = {});

// A complete, valid intake asking for 10:00-12:00 (UTC-6, the tests' service time zone) on the
// day `days_ahead` days from today there.
v1::ServiceOrder ValidOrder(int days_ahead = 2);
// The field paths of the BadRequest violations in a status, in order.
std::vector<std::string> ViolatedFields(const grpc::Status& status);
// The ErrorInfo reason in a status, or "".
std::string ErrorReason(const grpc::Status& status);
std::string UniqueSuffix();
// grpc.health.v1.Health/Check of `service` through `channel`: the answer's status (SERVING is 1,
// NOT_SERVING 2), or -1 when the call failed (then see `status`). Debian ships no C++ stubs for
// the health proto, so it goes through the generic stub.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service, grpc::Status* status);

}  // namespace homevisit::testing
