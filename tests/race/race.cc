// race: many clients book few slots through two homevisitd replicas on one database, and send
// every intake twice at once (same request id, one copy to each replica). Driven by
// tests/race/race_test.sh, which then looks for overlaps and duplicates in the database itself.
//
// Checks here: both copies of an intake return the same order; every booking attempt ends OK,
// ABORTED (slot taken, retry) or FAILED_PRECONDITION (the order is already booked) and nothing
// else. Prints "booked=N" (orders booked) for the script to compare with the database.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"
#include "homevisit/v1/service_order_service.grpc.pb.h"
#include "homevisit/v1/technician.grpc.pb.h"
#include "tools/credentials.h"

ABSL_FLAG(std::string, targets, "", "the replicas, comma-separated HOST:PORT");
ABSL_FLAG(std::string, run_id, "race", "prefix of request ids, file numbers and employee numbers");
ABSL_FLAG(int, technicians, 3, "technicians to book (all cover every order)");
ABSL_FLAG(int, orders, 500, "orders to create and try to book");
ABSL_FLAG(int, starts, 8, "window starts per day, 30 min apart from 09:00");
ABSL_FLAG(int, days, 2, "days to book, from the day after tomorrow");
ABSL_FLAG(int, attempts, 4, "booking attempts per order (each picks a random option)");
ABSL_FLAG(int, clients, 32, "concurrent clients");
ABSL_FLAG(std::string, admin_token_file, "", "homevisitd's admin token file (to issue the clients' credentials)");

namespace homevisit {
namespace {

// homevisitd's default zone, America/Mexico_City, has been UTC-6 all year since 2022.
const absl::TimeZone kZone = absl::FixedTimeZone(-6 * 3600);

int64_t LocalSeconds(int days_ahead, int minute_of_day) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), kZone) + days_ahead;
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), minute_of_day / 60, minute_of_day % 60),
                      kZone));
}

struct Replica {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::ServiceOrderService::Stub> orders;
  std::unique_ptr<v1::SchedulingService::Stub> scheduling;
  std::unique_ptr<v1::TechnicianService::Stub> technicians;
};

std::vector<Replica> Connect(int per_target) {
  std::vector<Replica> replicas;
  int index = 0;
  for (const auto& target : absl::StrSplit(absl::GetFlag(FLAGS_targets), ',')) {
    for (int i = 0; i < per_target; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("client_index", index++);  // separate connections, so calls really run at once
      Replica r;
      r.channel = grpc::CreateCustomChannel(std::string(target), grpc::InsecureChannelCredentials(), args);
      r.orders = v1::ServiceOrderService::NewStub(r.channel);
      r.scheduling = v1::SchedulingService::NewStub(r.channel);
      r.technicians = v1::TechnicianService::NewStub(r.channel);
      replicas.push_back(std::move(r));
    }
  }
  return replicas;
}

std::string dot_token, dispatcher_token;

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = dot_token) {
  auto context = std::make_unique<grpc::ClientContext>();
  tools::Authorize(context.get(), token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  // A connection that fails (seen once in CI under load, "No such file or directory" from the
  // transport) puts its channel in TRANSIENT_FAILURE for a reconnect backoff of a second or
  // more; without this every call in that second fails at once instead of waiting for the
  // reconnect. The race under test is in the database, not in the connection.
  context->set_wait_for_ready(true);
  return context;
}

std::atomic<int> failures{0};
void Failure(const std::string& what) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (++failures <= 20) std::fprintf(stderr, "race: FAIL %s\n", what.c_str());
}

// Runs body(i) for i in [0, n) on --clients threads.
template <typename Body>
void Parallel(int n, Body body) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_clients); ++t) {
    threads.emplace_back([&, t] {
      for (int i; (i = next++) < n;) body(t, i);
    });
  }
  for (auto& t : threads) t.join();
}

v1::CreateServiceOrderRequest Intake(int i) {
  const std::string run_id = absl::GetFlag(FLAGS_run_id);
  v1::CreateServiceOrderRequest request;
  request.set_request_id(absl::StrCat(run_id, "-intake-", i));
  v1::ServiceOrder& o = *request.mutable_service_order();
  o.set_file_number(absl::StrCat("R", i));
  o.mutable_subscriber()->set_given_name("Ana");
  o.mutable_subscriber()->set_family_name("López");
  o.mutable_subscriber()->set_email("ana.lopez@example.com");
  auto* a = o.mutable_address();
  a->set_street("Av. Insurgentes Sur");
  a->set_exterior_number("1602");
  a->set_colonia("Crédito Constructor");
  a->set_delegacion("Benito Juárez");
  a->set_postal_code("03100");
  const int64_t start = LocalSeconds(2, 10 * 60);
  o.mutable_requested_window()->mutable_start_time()->set_seconds(start);
  o.mutable_requested_window()->mutable_end_time()->set_seconds(start + 2 * 3600);
  o.mutable_receiver()->set_name("Ana López");
  o.mutable_receiver()->set_phone("55 1234 5678");
  o.set_problem_description("Prueba de carrera entre réplicas.");
  o.set_charge(v1::ServiceOrder::CHARGE_FREE);
  return request;
}

int Run() {
  const int kClients = absl::GetFlag(FLAGS_clients);
  std::vector<Replica> replicas = Connect((kClients + 1) / 2);
  const int kReplicas = static_cast<int>(replicas.size());
  if (kReplicas < 2) {
    std::fprintf(stderr, "race: give at least two --targets\n");
    return 2;
  }
  const std::string run_id = absl::GetFlag(FLAGS_run_id);
  const int technicians = absl::GetFlag(FLAGS_technicians), orders = absl::GetFlag(FLAGS_orders);
  try {
    const std::string admin = tools::ReadTokenFile(absl::GetFlag(FLAGS_admin_token_file));
    dot_token = tools::IssueToken(replicas[0].channel, admin, v1::ROLE_DOT_OPERATOR, run_id + "-dot");
    dispatcher_token = tools::IssueToken(replicas[0].channel, admin, v1::ROLE_DISPATCHER, run_id + "-dispatch");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "race: %s\n", e.what());
    return 2;
  }

  // Technicians working 08:00-20:00 every day in postal code 03100.
  std::vector<std::string> technician_names;
  for (int t = 0; t < technicians; ++t) {
    v1::CreateTechnicianRequest request;
    request.set_request_id(absl::StrCat(run_id, "-tech-", t));
    v1::Technician& tech = *request.mutable_technician();
    tech.set_display_name(absl::StrCat("Técnico ", t));
    tech.set_employee_number(absl::StrCat("RACE-", run_id, "-", t));
    tech.set_official_id_type(v1::OFFICIAL_ID_TYPE_INE);
    tech.set_mobile_phone("5587654321");
    tech.add_postal_codes("03100");
    for (int d = 1; d <= 7; ++d) {
      auto* hours = tech.add_working_hours();
      hours->set_day_of_week(static_cast<google::type::DayOfWeek>(d));
      hours->mutable_start_time()->set_hours(8);
      hours->mutable_end_time()->set_hours(20);
    }
    v1::Technician out;
    grpc::Status status = replicas[t % kReplicas].technicians->CreateTechnician(Context(dispatcher_token).get(), request, &out);
    if (!status.ok()) {
      std::fprintf(stderr, "race: CreateTechnician: %d %s\n", static_cast<int>(status.error_code()), status.error_message().c_str());
      return 2;
    }
    technician_names.push_back(out.name());
  }

  // Every intake twice at once, one copy through each replica.
  const absl::Time intake_start = absl::Now();
  std::vector<std::string> order_names(orders);
  Parallel(orders * 2, [&](int t, int k) {
    const int i = k / 2;
    // The two copies (k even, k odd) are taken by two threads at about the same moment and go
    // one to each replica (Connect lists the first target's connections first).
    const int half = kReplicas / 2;
    Replica& replica = replicas[(k % 2) * half + t % half];
    v1::ServiceOrder out;
    grpc::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      status = replica.orders->CreateServiceOrder(Context().get(), Intake(i), &out);
      // REQUEST_ID_RACE (ABORTED), or a connection not up yet (UNAVAILABLE): an intake is
      // idempotent by its request id, so a client retries both, as the SDKs do.
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50 * (attempt + 1)));
        continue;
      }
      if (status.error_code() != grpc::StatusCode::ABORTED) break;
    }
    if (!status.ok()) {
      Failure(absl::StrCat("intake ", i, ": ", static_cast<int>(status.error_code()), " ", status.error_message()));
      return;
    }
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    if (order_names[i].empty()) {
      order_names[i] = out.name();
    } else if (order_names[i] != out.name()) {
      Failure(absl::StrCat("intake ", i, " made two orders: ", order_names[i], " and ", out.name()));
    }
  });
  const double intake_seconds = absl::ToDoubleSeconds(absl::Now() - intake_start);

  // Booking: each order tries random options until booked or out of attempts.
  const int starts = absl::GetFlag(FLAGS_starts), days = absl::GetFlag(FLAGS_days);
  const int attempts = absl::GetFlag(FLAGS_attempts);
  std::atomic<int> booked{0}, slot_taken{0}, already{0}, calls{0};
  const absl::Time book_start = absl::Now();
  Parallel(orders, [&](int t, int i) {
    if (order_names[i].empty()) return;
    std::mt19937 rng(i);
    Replica& replica = replicas[(t + i) % kReplicas];
    for (int a = 0; a < attempts; ++a) {
      v1::BookAppointmentRequest request;
      request.set_service_order(order_names[i]);
      request.set_request_id(absl::StrCat(run_id, "-book-", i, "-", a));
      request.mutable_option()->set_technician(technician_names[rng() % technicians]);
      int64_t start = LocalSeconds(2 + static_cast<int>(rng() % days), 9 * 60 + 30 * static_cast<int>(rng() % starts));
      request.mutable_option()->mutable_window()->mutable_start_time()->set_seconds(start);
      v1::ServiceOrder out;
      ++calls;
      grpc::Status status;
      // A booking is idempotent by its request id: a call whose connection broke (UNAVAILABLE)
      // is sent again with the same id, as the SDKs do, and answers as the first one would have.
      for (int retry = 0; retry < 5; ++retry) {
        status = replica.scheduling->BookAppointment(Context().get(), request, &out);
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50 * (retry + 1)));
      }
      if (status.ok()) {
        ++booked;
        return;
      }
      if (status.error_code() == grpc::StatusCode::ABORTED) {
        ++slot_taken;
      } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        ++already;
        return;
      } else {
        Failure(absl::StrCat("book ", order_names[i], ": ", static_cast<int>(status.error_code()), " ", status.error_message()));
        return;
      }
    }
  });
  const double book_seconds = absl::ToDoubleSeconds(absl::Now() - book_start);
  std::printf("race: %d intakes x2 in %.1f s; %d booking calls in %.1f s: %d booked, %d slot taken, %d refused\n",
              orders, intake_seconds, calls.load(), book_seconds, booked.load(), slot_taken.load(), already.load());
  std::printf("booked=%d\n", booked.load());
  std::printf("failures=%d\n", failures.load());
  return failures ? 1 : 0;
}

}  // namespace
}  // namespace homevisit

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return homevisit::Run();
}
