// crash_writer: the load and the audit of tests/crash/crash_test.sh.
//
// Load (default): --clients threads send intakes with unique request ids to --target until
// SIGTERM/SIGINT or --seconds; a call that fails (the server is being killed and restarted) is
// retried with the same request id until it is acknowledged. Each acknowledged intake is
// appended to --log as "REQUEST_ID ORDER_NAME FILE_NUMBER WINDOW_START_UNIX" and flushed before
// the next call, so the log holds exactly what the server promised.
//
// Audit (--verify): every logged order reads back (same file number), and a retry of its
// request id with the same intake returns that same order, nothing new. Prints the counts.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "tools/credentials.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "homevisitd address");
ABSL_FLAG(int, clients, 4, "concurrent writers");
ABSL_FLAG(std::string, log, "acknowledged.log", "where acknowledged intakes are appended");
ABSL_FLAG(std::string, run_id, "crash", "prefix of request ids and file numbers (letters, digits, dashes)");
ABSL_FLAG(int, seconds, 600, "stop after this long at the latest");
ABSL_FLAG(bool, verify, false, "audit the log against the server instead of writing");
ABSL_FLAG(std::string, token_file, "", "a DOT operator's bearer token (written by the load run when absent)");
ABSL_FLAG(std::string, admin_token_file, "", "homevisitd's admin token: issue --token_file from it");

namespace homevisit {
namespace {

std::atomic<bool> stop{false};
std::string token;  // a DOT operator's

// The DOT operator token in --token_file, issued with the admin token first if the file is absent.
bool LoadToken() {
  const std::string path = absl::GetFlag(FLAGS_token_file);
  try {
    if (std::ifstream(path).good()) {
      token = tools::ReadTokenFile(path);
      return true;
    }
    auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials());
    token = tools::IssueToken(channel, tools::ReadTokenFile(absl::GetFlag(FLAGS_admin_token_file)),
                              v1::ROLE_DOT_OPERATOR, "crash-writer");
    std::ofstream(path) << token << "\n";
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crash_writer: %s\n", e.what());
    return false;
  }
}

v1::CreateServiceOrderRequest Intake(const std::string& request_id, const std::string& file_number,
                                     int64_t window_start) {
  v1::CreateServiceOrderRequest request;
  request.set_request_id(request_id);
  v1::ServiceOrder& o = *request.mutable_service_order();
  o.set_file_number(file_number);
  o.mutable_subscriber()->set_given_name("Ana");
  o.mutable_subscriber()->set_family_name("López");
  o.mutable_subscriber()->set_email("ana.lopez@example.com");
  auto* a = o.mutable_address();
  a->set_street("Av. Insurgentes Sur");
  a->set_exterior_number("1602");
  a->set_colonia("Crédito Constructor");
  a->set_delegacion("Benito Juárez");
  a->set_postal_code("03100");
  o.mutable_requested_window()->mutable_start_time()->set_seconds(window_start);
  o.mutable_requested_window()->mutable_end_time()->set_seconds(window_start + 2 * 3600);
  o.mutable_receiver()->set_name("Ana López");
  o.mutable_receiver()->set_phone("55 1234 5678");
  o.set_problem_description("Prueba de caída del servidor.");
  o.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return request;
}

std::unique_ptr<v1::ServiceOrderService::Stub> Stub() {
  // Reconnect within ~0.1 s of a restart, so every kill lands on a server under load.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  return v1::ServiceOrderService::NewStub(
      grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args));
}

grpc::Status Call(v1::ServiceOrderService::Stub& stub, const v1::CreateServiceOrderRequest& request,
                  v1::ServiceOrder* out) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  context.set_wait_for_ready(true);  // ride out the restarts instead of failing at once
  tools::Authorize(&context, token);
  return stub.CreateServiceOrder(&context, request, out);
}

int Load() {
  std::FILE* log = std::fopen(absl::GetFlag(FLAGS_log).c_str(), "a");
  if (!log) {
    std::perror("crash_writer: log");
    return 2;
  }
  std::mutex log_mutex;
  std::atomic<int> acknowledged{0}, retries{0}, refused{0};
  const std::string run_id = absl::GetFlag(FLAGS_run_id);
  // Two days ahead on the hour: inside the intake's horizon, the same for every intake.
  const int64_t window_start = (absl::ToUnixSeconds(absl::Now()) / 3600 + 48) * 3600;
  const absl::Time deadline = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < absl::GetFlag(FLAGS_clients); ++c) {
    threads.emplace_back([&, c] {
      auto stub = Stub();
      for (int i = 0; !stop && absl::Now() < deadline; ++i) {
        std::string request_id = absl::StrCat(run_id, "-", c, "-", i);
        std::string file_number = absl::StrCat("C", c, "-", i);
        auto request = Intake(request_id, file_number, window_start);
        while (!stop && absl::Now() < deadline) {
          v1::ServiceOrder order;
          grpc::Status status = Call(*stub, request, &order);
          if (status.ok()) {
            std::lock_guard<std::mutex> lock(log_mutex);
            std::fprintf(log, "%s %s %s %lld\n", request_id.c_str(), order.name().c_str(), file_number.c_str(),
                         static_cast<long long>(window_start));
            std::fflush(log);
            ++acknowledged;
            break;
          }
          if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
              status.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
              status.error_code() == grpc::StatusCode::INTERNAL) {
            std::fprintf(stderr, "crash_writer: %s refused: %d %s\n", request_id.c_str(), static_cast<int>(status.error_code()),
                         status.error_message().c_str());
            ++refused;
            break;
          }
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::fclose(log);
  std::printf("crash_writer: %d acknowledged, %d retried calls, %d refused\n", acknowledged.load(), retries.load(),
              refused.load());
  return refused ? 1 : 0;
}

int Verify() {
  std::ifstream log(absl::GetFlag(FLAGS_log));
  auto stub = Stub();
  int checked = 0, failed = 0;
  std::string line;
  while (std::getline(log, line)) {
    std::istringstream fields(line);
    std::string request_id, name, file_number;
    long long window_start = 0;
    if (!(fields >> request_id >> name >> file_number >> window_start)) {
      std::fprintf(stderr, "crash_writer: malformed log line '%s'\n", line.c_str());
      ++failed;
      continue;
    }
    ++checked;
    grpc::ClientContext context;
    tools::Authorize(&context, token);
    v1::GetServiceOrderRequest get;
    get.set_name(name);
    v1::ServiceOrder order;
    grpc::Status status = stub->GetServiceOrder(&context, get, &order);
    if (!status.ok() || order.file_number() != file_number) {
      std::fprintf(stderr, "crash_writer: LOST %s (%s): %d %s\n", name.c_str(), request_id.c_str(),
                   static_cast<int>(status.error_code()), status.error_message().c_str());
      ++failed;
      continue;
    }
    v1::ServiceOrder again;
    status = Call(*stub, Intake(request_id, file_number, window_start), &again);
    if (!status.ok() || again.name() != name) {
      std::fprintf(stderr, "crash_writer: retry of %s gave %s (%d %s), not %s\n", request_id.c_str(),
                   again.name().c_str(), static_cast<int>(status.error_code()), status.error_message().c_str(), name.c_str());
      ++failed;
    }
  }
  std::printf("crash_writer: %d acknowledged intakes audited, %d missing or wrong\n", checked, failed);
  return failed || checked == 0 ? 1 : 0;
}

}  // namespace
}  // namespace homevisit

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::signal(SIGTERM, [](int) { homevisit::stop = true; });
  std::signal(SIGINT, [](int) { homevisit::stop = true; });
  if (!homevisit::LoadToken()) return 2;
  return absl::GetFlag(FLAGS_verify) ? homevisit::Verify() : homevisit::Load();
}
