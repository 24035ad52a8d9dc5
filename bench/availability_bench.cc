// availability_bench: how fast CheckAvailability answers on a busy calendar.
//
// Seeds a fresh database with --technicians technicians (Mon-Sat 08:00-19:00, each covering a
// few of 25 postal codes and one of 5 delegaciones) and --appointments appointments booked through
// the domain over the next --days days, then calls CheckAvailability through a real gRPC client on
// an in-process server from --clients threads and prints p50/p99 latency and throughput. It also
// times the pure slot computation on the same calendars, to separate SQL from arithmetic.
//
//   build/bench/availability_bench                       # SQLite in a temp folder
//   bash scripts/with-postgres.sh sh -c 'build/bench/availability_bench --db "$HOMEVISIT_TEST_DATABASE_URL"'
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/server.h"
#include "domain/errors.h"
#include "domain/credential_commands.h"
#include "domain/order_commands.h"
#include "domain/scheduling.h"
#include "homevisit/v1/scheduling_service.grpc.pb.h"

ABSL_FLAG(std::string, db, "", "database URL (default: a SQLite file in a temp folder)");
ABSL_FLAG(int, technicians, 500, "technicians to create");
ABSL_FLAG(int, days, 14, "booking horizon in days; appointments spread over it");
ABSL_FLAG(int, appointments, 5000, "appointments to book before measuring");
ABSL_FLAG(int, requests, 2000, "CheckAvailability calls to time");
ABSL_FLAG(int, clients, 4, "concurrent client threads");

namespace homevisit {
namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::string> kDelegaciones = {"Benito Juárez", "Cuauhtémoc", "Miguel Hidalgo", "Coyoacán",
                                                 "Álvaro Obregón"};

std::string PostalCode(int i) { return absl::StrCat("031", 10 + i % 25); }

domain::OrderIntake Intake(int i, absl::Time start) {
  domain::OrderIntake in;
  in.file_number = absl::StrCat("BENCH-", i);
  in.given_name = "Ana";
  in.family_name = "López";
  in.email = "ana.lopez@example.com";
  in.address = {"Av. Insurgentes Sur", "1602", "", "Del Valle", kDelegaciones[i % 5], PostalCode(i), ""};
  in.requested_window = {start, start + absl::Hours(2)};
  in.receiver_name = "Ana López";
  in.problem_description = "Sin señal";
  in.charge = domain::Charge::kFree;
  return in;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int Run() {
  const int technicians = absl::GetFlag(FLAGS_technicians);
  const int days = absl::GetFlag(FLAGS_days);
  const int appointments = absl::GetFlag(FLAGS_appointments);
  const int requests = absl::GetFlag(FLAGS_requests);
  const int clients = std::max(1, absl::GetFlag(FLAGS_clients));

  std::string url = absl::GetFlag(FLAGS_db);
  std::filesystem::path folder;
  if (url.empty()) {
    folder = std::filesystem::temp_directory_path() / absl::StrCat("homevisit-bench-", getpid());
    std::filesystem::create_directories(folder);
    url = absl::StrCat("sqlite:", (folder / "bench.db").string());
  }
  api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.database.url = url;
  options.time_zone = domain::DefaultServiceTimeZone();
  options.scheduling.horizon = absl::Hours(24) * days;
  options.worker_threads = static_cast<size_t>(clients);
  auto server = api::Server::Start(options);
  domain::SchedulingSettings settings;
  settings.policy = options.scheduling;
  settings.policy.time_zone = options.time_zone;
  const absl::TimeZone tz = settings.policy.time_zone;
  const absl::Time now = absl::Now();
  std::mt19937 random(42);

  // Technicians.
  const Clock::time_point seed_start = Clock::now();
  server->database().Write([&](domain::UnitOfWork& work) {
    for (int i = 0; i < technicians; ++i) {
      domain::Technician t;
      t.id = absl::StrCat("tech-", i);
      t.display_name = absl::StrCat("Técnico ", i);
      t.employee_number = absl::StrCat("EMP-", i);
      t.official_id_type = 1;
      t.mobile_phone = "5512345678";
      for (int k : {i, i * 7 + 3, i * 11 + 5}) {
        if (std::find(t.postal_codes.begin(), t.postal_codes.end(), PostalCode(k)) == t.postal_codes.end()) {
          t.postal_codes.push_back(PostalCode(k));
        }
      }
      t.delegaciones = {kDelegaciones[i % 5]};
      for (int weekday = 1; weekday <= 6; ++weekday) t.working_hours.push_back({weekday, 8 * 60, 19 * 60});
      t.create_time = t.update_time = now;
      work.technicians().Insert(t);
    }
  });

  // Appointments: random grid starts within the horizon, each booked for a technician who is free
  // then (the first that accepts); starts nobody can take are skipped.
  const domain::Actor actor{"bench", domain::Role::kAdmin, ""};
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  int booked = 0, attempts = 0;
  std::uniform_int_distribution<int> day_of(1, std::max(1, days - 1));
  std::uniform_int_distribution<int> slot_of(0, 15);  // 08:00 .. 15:30
  while (booked < appointments && attempts < appointments * 3) {
    server->database().Write([&](domain::UnitOfWork& work) {
      for (int batch = 0; batch < 250 && booked < appointments; ++batch, ++attempts) {
        const absl::CivilDay day = today + day_of(random);
        const absl::Time start = absl::FromCivil(absl::CivilMinute(day) + 8 * 60 + 30 * slot_of(random), tz);
        const domain::OrderIntake intake = Intake(attempts, start);
        auto order = domain::CreateOrder(work, intake, absl::StrCat("bench-", attempts), actor, now).order;
        const auto availability = domain::CheckOrderAvailability(work, order.id, start, settings, now);
        if (!availability.requested) continue;
        domain::BookingSource source;
        source.choice = {availability.requested->technician_id, start};
        domain::BookAppointment(work, order.id, source, "", settings, actor, now);
        ++booked;
      }
    });
  }
  const double seed_seconds = std::chrono::duration<double>(Clock::now() - seed_start).count();

  // Orders to ask about: requested windows spread like the appointments.
  std::vector<std::string> probe_ids;
  server->database().Write([&](domain::UnitOfWork& work) {
    for (int i = 0; i < 200; ++i) {
      const absl::CivilDay day = today + day_of(random);
      const absl::Time start = absl::FromCivil(absl::CivilMinute(day) + 8 * 60 + 30 * slot_of(random), tz);
      probe_ids.push_back(
          domain::CreateOrder(work, Intake(1000000 + i, start), absl::StrCat("probe-", i), actor, now).order.id);
    }
  });

  // Pure computation on the same calendars (loaded once per probe, outside the timing).
  std::vector<double> compute_ms;
  size_t covering = 0, busy_intervals = 0;
  server->database().Read([&](domain::UnitOfWork& work) {
    for (const std::string& id : probe_ids) {
      const domain::ServiceOrder order = domain::GetOrder(work, id, domain::SystemActor());
      const auto& a = order.intake.address;
      const auto ids = work.scheduling().TechniciansCovering(a.postal_code, a.delegacion);
      const auto calendars = work.scheduling().Calendars(
          ids, {now - absl::Hours(24), now + settings.policy.horizon + absl::Hours(48)}, now, id);
      covering += calendars.size();
      for (const auto& c : calendars) busy_intervals += c.busy.size();
      const Clock::time_point t0 = Clock::now();
      const auto result = domain::ComputeAvailability(
          {{order.intake.requested_window.start, order.intake.requested_window.start}, a.postal_code, a.delegacion},
          calendars, settings.policy, absl::Now());
      compute_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (result.same_day.empty() && result.other_days.empty() && !result.requested) std::fprintf(stderr, ".");
    }
  });

  // End to end through gRPC, as a DOT operator would call it.
  const std::string token = server->database().Write([&](domain::UnitOfWork& work) {
    domain::Credential wanted;
    wanted.principal = "bench-dot";
    wanted.role = domain::Role::kDotOperator;
    return domain::IssueCredential(work, wanted, actor, absl::Now()).token;
  });
  std::vector<std::vector<double>> per_client(static_cast<size_t>(clients));
  std::atomic<int> next{0}, failures{0};
  const Clock::time_point run_start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("client_index", c);
      auto stub = v1::SchedulingService::NewStub(grpc::CreateCustomChannel(
          absl::StrCat("127.0.0.1:", server->port()), grpc::InsecureChannelCredentials(), args));
      for (int i = next++; i < requests; i = next++) {
        v1::CheckAvailabilityRequest request;
        request.set_service_order(absl::StrCat("serviceOrders/", probe_ids[static_cast<size_t>(i) % probe_ids.size()]));
        v1::CheckAvailabilityResponse response;
        grpc::ClientContext context;
        context.AddMetadata("authorization", "Bearer " + token);
        const Clock::time_point t0 = Clock::now();
        const grpc::Status status = stub->CheckAvailability(&context, request, &response);
        per_client[static_cast<size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!status.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double run_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  std::vector<double> rpc_ms;
  for (const auto& v : per_client) rpc_ms.insert(rpc_ms.end(), v.begin(), v.end());

  std::printf("database            %s\n", url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgresql");
  std::printf("technicians         %d (each in up to 3 of 25 postal codes, 1 of 5 delegaciones)\n", technicians);
  std::printf("appointments        %d booked over %d days (seeded in %.1f s)\n", booked, days, seed_seconds);
  std::printf("covering/request    %.0f technicians, %.0f busy intervals\n",
              static_cast<double>(covering) / static_cast<double>(probe_ids.size()),
              static_cast<double>(busy_intervals) / static_cast<double>(probe_ids.size()));
  std::printf("compute only        p50 %.3f ms  p99 %.3f ms\n", Percentile(compute_ms, 0.50),
              Percentile(compute_ms, 0.99));
  std::printf("CheckAvailability   p50 %.3f ms  p99 %.3f ms  %.0f QPS  (%d calls, %d clients, %d failed)\n",
              Percentile(rpc_ms, 0.50), Percentile(rpc_ms, 0.99), static_cast<double>(rpc_ms.size()) / run_seconds,
              requests, clients, failures.load());

  server->Shutdown(absl::Seconds(5));
  server.reset();
  if (!folder.empty()) std::filesystem::remove_all(folder);
  return failures.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace homevisit

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  try {
    return homevisit::Run();
  } catch (const homevisit::domain::DomainError& e) {
    std::fprintf(stderr, "availability_bench: %s (%s)\n", e.what(), e.reason().c_str());
    return 1;
  }
}
