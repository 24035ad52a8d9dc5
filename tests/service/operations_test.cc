// Operations: the Prometheus endpoint serves the call metrics and the server's gauges, and health
// follows the database (NOT_SERVING while it is down, SERVING once it is back).
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/errors.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

constexpr int kServing = 1;
constexpr int kNotServing = 2;

// The body of GET http://127.0.0.1:port/path (HTTP/1.0: the server closes when done), or "".
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[8192];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof buffer)) > 0) reply.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  size_t body = reply.find("\r\n\r\n");
  return body == std::string::npos ? "" : reply.substr(body + 4);
}

// The value of the sample whose name-and-labels text is exactly `series`, or -1 when absent.
double Sample(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      double value = -1;
      return absl::SimpleAtod(line.substr(series.size() + 1), &value) ? value : -1;
    }
  }
  return -1;
}

class OperationsTest : public ServiceTest {
 protected:
  std::unique_ptr<api::Server> StartReplica(absl::Duration readiness_interval) {
    api::ServerOptions options = ReplicaOptions();
    options.metrics_listen = "127.0.0.1:0";
    options.readiness_interval = readiness_interval;
    return api::Server::Start(options);
  }

  // Waits up to `limit` for overall health to become `wanted`; returns the last answer.
  int AwaitHealth(const std::shared_ptr<grpc::Channel>& channel, int wanted, absl::Duration limit) {
    absl::Time deadline = absl::Now() + limit;
    int answer = -1;
    for (;;) {
      grpc::Status status;
      answer = HealthStatus(channel, "", &status);
      if (answer == wanted || absl::Now() > deadline) return answer;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  int ListOrders(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = v1::ServiceOrderService::NewStub(channel);
    v1::ListServiceOrdersRequest request;
    v1::ListServiceOrdersResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->ListServiceOrders(&context, request, &response).error_code();
  }
};

const std::string kListOk =
    R"(grpc_server_handled_total{grpc_code="OK",grpc_method="ListServiceOrders",grpc_service="homevisit.v1.ServiceOrderService"})";
const std::string kListUnauthenticated =
    R"(grpc_server_handled_total{grpc_code="UNAUTHENTICATED",grpc_method="ListServiceOrders",grpc_service="homevisit.v1.ServiceOrderService"})";
const std::string kListLatencyCount =
    R"(grpc_server_handling_seconds_count{grpc_method="ListServiceOrders",grpc_service="homevisit.v1.ServiceOrderService"})";

TEST_F(OperationsTest, MetricsCountCallsByMethodAndCodeWithTheirLatency) {
  auto replica = StartReplica(absl::ZeroDuration());
  ASSERT_GT(replica->metrics_port(), 0);
  std::string before = HttpGet(replica->metrics_port(), "/metrics");
  double ok_before = std::max(0.0, Sample(before, kListOk));
  double refused_before = std::max(0.0, Sample(before, kListUnauthenticated));
  double count_before = std::max(0.0, Sample(before, kListLatencyCount));

  auto channel = ChannelTo(*replica);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ListOrders(channel), grpc::StatusCode::OK);
  auto anonymous = grpc::CreateChannel(absl::StrCat("127.0.0.1:", replica->port()), grpc::InsecureChannelCredentials());
  EXPECT_EQ(ListOrders(anonymous), grpc::StatusCode::UNAUTHENTICATED);

  std::string after = HttpGet(replica->metrics_port(), "/metrics");
  EXPECT_EQ(Sample(after, kListOk) - ok_before, 3) << after;
  EXPECT_EQ(Sample(after, kListUnauthenticated) - refused_before, 1);
  EXPECT_EQ(Sample(after, kListLatencyCount) - count_before, 4);
  EXPECT_THAT(after, ::testing::HasSubstr("# TYPE grpc_server_handling_seconds histogram"));
  // The server's gauges, read at scrape time.
  EXPECT_EQ(Sample(after, "homevisit_worker_queue_depth"), 0);
  EXPECT_EQ(Sample(after, "homevisit_open_watches"), 0);
  EXPECT_EQ(Sample(after, "homevisit_write_queue_depth"), 0);
  EXPECT_EQ(Sample(after, "homevisit_database_up"), 1);
  EXPECT_GE(Sample(after, "homevisit_late_alerts_total"), 0);
}

TEST_F(OperationsTest, AMalformedRequestIsCountedWithTheCodeItWasAnswered) {
  // The observer sees the status the malformed-request interceptor put in place of gRPC's.
  auto replica = StartReplica(absl::ZeroDuration());
  const std::string series =
      R"(grpc_server_handled_total{grpc_code="INVALID_ARGUMENT",grpc_method="GetServiceOrder",grpc_service="homevisit.v1.ServiceOrderService"})";
  double before = std::max(0.0, Sample(HttpGet(replica->metrics_port(), "/metrics"), series));
  grpc::GenericStub stub(ChannelTo(*replica));
  grpc::ClientContext context;
  const std::string invalid_utf8("\x0a\x02\xff\xfe", 4);
  grpc::Slice slice(invalid_utf8);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/homevisit.v1.ServiceOrderService/GetServiceOrder", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) { done.set_value(status); });
  EXPECT_EQ(done.get_future().get().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Sample(HttpGet(replica->metrics_port(), "/metrics"), series) - before, 1);
}

TEST_F(OperationsTest, AMetricsAddressInUseFailsTheStart) {
  auto first = StartReplica(absl::ZeroDuration());
  api::ServerOptions options = ReplicaOptions();
  options.metrics_listen = absl::StrCat("127.0.0.1:", first->metrics_port());
  try {
    api::Server::Start(options);
    FAIL() << "started on a metrics port in use";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.reason(), "LISTEN_FAILED");
  }
}

// Stops and restarts the throwaway PostgreSQL cluster under a running server. Needs
// scripts/with-postgres.sh --allow-restart (which no parallel suite shares).
TEST_F(OperationsTest, HealthIsNotServingWhileThePostgresqlServerIsDownAndServingAfter) {
  const char* control = std::getenv("HOMEVISIT_TEST_POSTGRES_CTL");
  if (!db_->is_postgres() || control == nullptr) {
    GTEST_SKIP() << "needs PostgreSQL through scripts/with-postgres.sh --allow-restart";
  }
  auto replica = StartReplica(absl::Milliseconds(100));
  auto channel = ChannelTo(*replica);
  ASSERT_EQ(AwaitHealth(channel, kServing, absl::Seconds(1)), kServing);
  ASSERT_EQ(ListOrders(channel), grpc::StatusCode::OK);

  ASSERT_EQ(std::system((std::string(control) + " stop").c_str()), 0);
  EXPECT_EQ(AwaitHealth(channel, kNotServing, absl::Seconds(10)), kNotServing);
  grpc::Status status;
  EXPECT_EQ(HealthStatus(channel, "homevisit.v1.ServiceOrderService", &status), kNotServing) << "every service";
  EXPECT_EQ(Sample(HttpGet(replica->metrics_port(), "/metrics"), "homevisit_database_up"), 0);
  EXPECT_EQ(ListOrders(channel), grpc::StatusCode::UNAVAILABLE) << "calls fail fast and say so";

  ASSERT_EQ(std::system((std::string(control) + " start").c_str()), 0);
  EXPECT_EQ(AwaitHealth(channel, kServing, absl::Seconds(10)), kServing);
  EXPECT_EQ(HealthStatus(channel, "homevisit.v1.VisitService", &status), kServing);
  EXPECT_EQ(Sample(HttpGet(replica->metrics_port(), "/metrics"), "homevisit_database_up"), 1);
  // Every pooled session heals: reads retry on a fresh connection.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ListOrders(channel), grpc::StatusCode::OK) << "call " << i;
}

TEST_F(OperationsTest, HealthStaysServingWhileTheDatabaseAnswers) {
  auto replica = StartReplica(absl::Milliseconds(20));
  auto channel = ChannelTo(*replica);
  absl::SleepFor(absl::Milliseconds(200));  // several pings
  grpc::Status status;
  EXPECT_EQ(HealthStatus(channel, "", &status), kServing);
  EXPECT_EQ(Sample(HttpGet(replica->metrics_port(), "/metrics"), "homevisit_database_up"), 1);
}

}  // namespace
}  // namespace homevisit::testing
