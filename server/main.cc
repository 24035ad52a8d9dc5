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
