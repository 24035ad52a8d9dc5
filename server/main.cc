// homevisitd: flags, database, server start and graceful stop. Everything else lives in the
// libraries so the tests and benchmarks run the very same service.
#include <csignal>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "api/server.h"
#include "domain/errors.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "HOST:PORT to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, db, "sqlite:homevisit.db",
          "database: sqlite:PATH (a file, created if missing) or a postgresql:// URL");
ABSL_FLAG(std::string, time_zone, "America/Mexico_City", "the service time zone (IANA name)");
ABSL_FLAG(bool, demo, false, "load demo technicians and orders once (a restart does not duplicate them)");
ABSL_FLAG(int, workers, 8, "threads running handlers and database work");
ABSL_FLAG(int, window_minutes, 120, "length of the arrival window offered to the subscriber");
ABSL_FLAG(int, visit_minutes, 60, "work time after arrival at the latest");
ABSL_FLAG(int, travel_buffer_minutes, 30, "travel time kept free after each visit");
ABSL_FLAG(int, horizon_days, 14, "how many days ahead a window may start");
ABSL_FLAG(int, hold_minutes, 10, "how long a hold keeps an option before it lapses by itself");
ABSL_FLAG(int, options, 3, "alternatives offered the same day, and again on other dates");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "homevisitd: the home-visit service of izzi Dr. Wifi.\n"
      "  homevisitd --listen 127.0.0.1:50051 --db sqlite:homevisit.db --demo");
  absl::ParseCommandLine(argc, argv);

  // Block the stop signals in every thread (threads inherit the mask) and wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  homevisit::api::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.database.url = absl::GetFlag(FLAGS_db);
  options.demo_data = absl::GetFlag(FLAGS_demo);
  options.worker_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_workers)));
  options.scheduling.window_length = absl::Minutes(absl::GetFlag(FLAGS_window_minutes));
  options.scheduling.visit_length = absl::Minutes(absl::GetFlag(FLAGS_visit_minutes));
  options.scheduling.travel_buffer = absl::Minutes(absl::GetFlag(FLAGS_travel_buffer_minutes));
  options.scheduling.horizon = absl::Hours(24) * absl::GetFlag(FLAGS_horizon_days);
  options.scheduling.same_day_options = absl::GetFlag(FLAGS_options);
  options.scheduling.other_day_options = absl::GetFlag(FLAGS_options);
  options.hold_ttl = absl::Minutes(absl::GetFlag(FLAGS_hold_minutes));
  if (absl::GetFlag(FLAGS_window_minutes) <= 0 || absl::GetFlag(FLAGS_visit_minutes) < 0 ||
      absl::GetFlag(FLAGS_travel_buffer_minutes) < 0 || absl::GetFlag(FLAGS_horizon_days) < 0 ||
      absl::GetFlag(FLAGS_hold_minutes) <= 0 || absl::GetFlag(FLAGS_options) < 0) {
    std::cerr << "homevisitd: --window_minutes and --hold_minutes must be positive; the other scheduling "
                 "flags must not be negative\n";
    return 2;
  }
  std::string zone_name = absl::GetFlag(FLAGS_time_zone);
  if (!absl::LoadTimeZone(zone_name, &options.time_zone)) {
    std::cerr << "homevisitd: unknown time zone " << zone_name << "\n";
    return 2;
  }

  std::unique_ptr<homevisit::api::Server> server;
  try {
    server = homevisit::api::Server::Start(options);
  } catch (const homevisit::domain::DomainError& e) {
    std::cerr << "homevisitd: " << e.what() << "\n";
    return 1;
  }
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  // Tests and scripts read this line to learn the port.
  std::cout << "homevisitd listening on " << host << ":" << server->port() << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "homevisitd: signal " << signal_number << ", finishing in-flight calls" << std::endl;
  server->Shutdown(absl::Seconds(10));
  std::cout << "homevisitd: stopped" << std::endl;
  return 0;
}
