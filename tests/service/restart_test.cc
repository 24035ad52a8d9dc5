// The real homevisitd binary: started, fed, stopped with SIGTERM, started again on the same
// database. Also checks --demo loads once and that a bad flag fails cleanly.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "test_server.h"

namespace homevisit::testing {
namespace {

// A homevisitd child process whose stdout we read for the "listening on" line.
class Daemon {
 public:
  explicit Daemon(std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      std::string binary = HOMEVISITD_PATH;
      argv.push_back(binary.data());
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
  }
  ~Daemon() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_) fclose(stdout_);
  }
  // The port from "homevisitd listening on HOST:PORT", or 0 if the process ended first.
  int WaitForPort() {
    char line[512];
    while (fgets(line, sizeof line, stdout_)) {
      std::string text(line);
      auto at = text.find("listening on ");
      if (at == std::string::npos) continue;
      int port = 0;
      std::string rest = text.substr(text.rfind(':') + 1);
      rest.erase(rest.find_last_not_of("\r\n") + 1);
      if (absl::SimpleAtoi(rest, &port)) return port;
    }
    return 0;
  }
  // Sends `signal` and returns the exit status.
  int Stop(int signal = SIGTERM) {
    kill(pid_, signal);
    return Wait();
  }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  bool reaped_ = false;
};

std::unique_ptr<v1::ServiceOrderService::Stub> Connect(int port) {
  return v1::ServiceOrderService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
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
    auto stub = Connect(port);
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
    EXPECT_EQ(daemon.Stop(SIGTERM), 0) << "SIGTERM must end the server cleanly";
  }
  Daemon again(args);
  int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  auto stub = Connect(port);
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
    first = AllNames(*Connect(port));
    EXPECT_EQ(first.size(), 3u);
    EXPECT_EQ(daemon.Stop(), 0);
  }
  Daemon again(args);
  int port = again.WaitForPort();
  ASSERT_GT(port, 0);
  EXPECT_EQ(AllNames(*Connect(port)), first);
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
