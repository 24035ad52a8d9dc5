// homevisitd: flags, database, server start and graceful stop. Everything else lives in the
// libraries so the tests and benchmarks run the very same service.
#include <algorithm>
#include <thread>
#include <csignal>
#include <string>
#include <vector>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/server.h"
#include "config/database_password.h"
#include "config/flag_sources.h"
#include "domain/errors.h"
#include "observability/logging.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "HOST:PORT to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, db, "sqlite:homevisit.db",
          "database: sqlite:PATH (a file, created if missing) or a postgresql:// URL");
ABSL_FLAG(std::string, time_zone, "America/Mexico_City", "the service time zone (IANA name)");
ABSL_FLAG(bool, demo, false, "load demo technicians and orders once (a restart does not duplicate them)");
ABSL_FLAG(int, workers, 0, "threads running handlers that may wait (writes, availability); 0: 4 per core");
ABSL_FLAG(int, db_sessions, 0,
          "pooled database sessions; 0: workers + 2 per core on SQLite, min(workers, 2 per core + 2) on PostgreSQL");
ABSL_FLAG(int, write_batch, 32,
          "SQLite: the most writes committed together in one transaction (group commit; 1 turns it off)");
ABSL_FLAG(int, window_minutes, 120, "length of the arrival window offered to the subscriber");
ABSL_FLAG(int, visit_minutes, 60, "work time after arrival at the latest");
ABSL_FLAG(int, travel_buffer_minutes, 30, "travel time kept free after each visit");
ABSL_FLAG(int, horizon_days, 14, "how many days ahead a window may start");
ABSL_FLAG(int, hold_minutes, 10, "how long a hold keeps an option before it lapses by itself");
ABSL_FLAG(int, options, 3, "alternatives offered the same day, and again on other dates");
ABSL_FLAG(int, late_tolerance_minutes, 15,
          "a technician not checked in this long after the window start raises a late alert");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate (chain) of the server: serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "", "PEM CA that signs client certificates: verify them (mutual TLS)");
ABSL_FLAG(bool, require_client_cert, false, "refuse clients without a certificate signed by --tls_client_ca");
ABSL_FLAG(bool, allow_insecure, false,
          "serve plaintext on a non-loopback address (INSECURE: tokens and personal data travel in clear)");
ABSL_FLAG(std::string, admin_token_file, "homevisit-admin.token",
          "at first start (no admin credential yet): the admin's token is read from this file, or a new one is "
          "written to it (mode 0600) for the operator to read once; empty: no bootstrap");
ABSL_FLAG(std::string, reset_admin_token_file, "",
          "recovery: revoke every admin credential, create one whose new token is written to this file "
          "(it must not exist), and exit");
ABSL_FLAG(bool, calendar_index, true,
          "answer CheckAvailability from an in-memory calendar index (false: read the database every call)");
ABSL_FLAG(int, watch_poll_ms, 200, "how often live event watches look for new events in the database");
ABSL_FLAG(int, max_watches_per_principal, 256, "concurrent WatchEvents streams one principal may hold");
ABSL_FLAG(std::string, log_level, "info",
          "JSON log lines on stderr at this level and above: debug, info (one line per call), warning, error, off");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on, at /metrics over HTTP (empty: no metrics endpoint)");
ABSL_FLAG(int, readiness_interval_ms, 1000,
          "how often to ping the database; health answers NOT_SERVING while it does not answer (0: never)");
ABSL_FLAG(std::string, config, "",
          "config file: one `name = value` per line for any of these flags (default: $HOMEVISIT_CONFIG); "
          "the environment (HOMEVISIT_<NAME>) overrides it, the command line overrides both");
ABSL_FLAG(std::string, db_password_file, "",
          "PostgreSQL: a file holding the database password (trailing whitespace stripped), kept out of --db");

int main(int argc, char** argv) {
  // --help lists the flags defined here (absl matches flags by file; ours live in main.cc).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view path) { return absl::EndsWith(path, "server/main.cc"); };
  usage.version_string = [] { return std::string("homevisitd " HOMEVISIT_VERSION "\n"); };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "the home-visit service of izzi Dr. Wifi.\n"
      "  homevisitd --listen 127.0.0.1:50051 --db sqlite:homevisit.db --demo\n"
      "  homevisitd --config /etc/homevisit/homevisitd.conf\n"
      "Every flag may also come from $HOMEVISIT_<FLAG> (e.g. HOMEVISIT_DB) or the --config file;\n"
      "the command line wins over the environment, which wins over the file.");
  // Accepts --time-zone as well as --time_zone (absl flag names cannot hold dashes).
  homevisit::config::FlagSources sources;
  sources.is_ours = [](const absl::CommandLineFlag& flag) { return absl::EndsWith(flag.Filename(), "server/main.cc"); };
  sources.getenv = homevisit::config::ProcessEnvironment();
  sources.read_file = homevisit::config::ReadWholeFile();
  if (absl::Status loaded = homevisit::config::LoadFlags(std::vector<std::string>(argv, argv + argc), sources);
      !loaded.ok()) {
    std::cerr << "homevisitd: " << loaded.message() << "\n";
    return 2;
  }
  // Debian builds abseil without NDEBUG, which leaves absl::Mutex's deadlock detector on: every
  // lock (gRPC's own mutexes are absl::Mutex) then updates a global lock graph. The test suites
  // keep it as a debugging aid; the server does not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals in every thread (threads inherit the mask) and wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  homevisit::api::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  absl::StatusOr<std::string> database_url = homevisit::config::DatabaseUrlWithPassword(
      absl::GetFlag(FLAGS_db), absl::GetFlag(FLAGS_db_password_file), sources.read_file);
  if (!database_url.ok()) {
    std::cerr << "homevisitd: " << database_url.status().message() << "\n";
    return 2;
  }
  options.database.url = *database_url;
  options.demo_data = absl::GetFlag(FLAGS_demo);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  options.worker_threads = absl::GetFlag(FLAGS_workers) > 0 ? static_cast<size_t>(absl::GetFlag(FLAGS_workers))
                                                            : std::max<size_t>(4, 4 * cores);
  options.database.pool_size = static_cast<size_t>(std::max(0, absl::GetFlag(FLAGS_db_sessions)));
  options.database.max_write_batch = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_write_batch)));
  options.scheduling.window_length = absl::Minutes(absl::GetFlag(FLAGS_window_minutes));
  options.scheduling.visit_length = absl::Minutes(absl::GetFlag(FLAGS_visit_minutes));
  options.scheduling.travel_buffer = absl::Minutes(absl::GetFlag(FLAGS_travel_buffer_minutes));
  options.scheduling.horizon = absl::Hours(24) * absl::GetFlag(FLAGS_horizon_days);
  options.scheduling.same_day_options = absl::GetFlag(FLAGS_options);
  options.scheduling.other_day_options = absl::GetFlag(FLAGS_options);
  options.hold_ttl = absl::Minutes(absl::GetFlag(FLAGS_hold_minutes));
  options.watch.poll_interval = absl::Milliseconds(std::max(10, absl::GetFlag(FLAGS_watch_poll_ms)));
  options.calendar_index = absl::GetFlag(FLAGS_calendar_index);
  options.calendar_poll = options.watch.poll_interval;  // the same bound for every cross-replica view
  options.watch.max_watches_per_principal = std::max(1, absl::GetFlag(FLAGS_max_watches_per_principal));
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.tls.require_client_cert = absl::GetFlag(FLAGS_require_client_cert);
  options.allow_insecure = absl::GetFlag(FLAGS_allow_insecure);
  options.admin_token_file = absl::GetFlag(FLAGS_admin_token_file);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.readiness_interval = absl::Milliseconds(std::max(0, absl::GetFlag(FLAGS_readiness_interval_ms)));
  homevisit::observability::LogLevel log_level;
  if (!homevisit::observability::ParseLogLevel(absl::GetFlag(FLAGS_log_level), &log_level)) {
    std::cerr << "homevisitd: --log_level must be debug, info, warning, error or off\n";
    return 2;
  }
  homevisit::observability::ConfigureLogging(log_level);
  if (absl::GetFlag(FLAGS_window_minutes) <= 0 || absl::GetFlag(FLAGS_visit_minutes) < 0 ||
      absl::GetFlag(FLAGS_travel_buffer_minutes) < 0 || absl::GetFlag(FLAGS_horizon_days) < 0 ||
      absl::GetFlag(FLAGS_hold_minutes) <= 0 || absl::GetFlag(FLAGS_options) < 0) {
    std::cerr << "homevisitd: --window_minutes and --hold_minutes must be positive; the other scheduling "
                 "flags must not be negative\n";
    return 2;
  }
  options.visit.late_tolerance = absl::Minutes(absl::GetFlag(FLAGS_late_tolerance_minutes));
  if (absl::GetFlag(FLAGS_late_tolerance_minutes) < 0) {
    std::cerr << "homevisitd: --late_tolerance_minutes must not be negative\n";
    return 2;
  }
  std::string zone_name = absl::GetFlag(FLAGS_time_zone);
  if (!absl::LoadTimeZone(zone_name, &options.time_zone)) {
    std::cerr << "homevisitd: unknown time zone " << zone_name << "\n";
    return 2;
  }

  if (std::string reset = absl::GetFlag(FLAGS_reset_admin_token_file); !reset.empty()) {
    try {
      homevisit::api::ResetAdminToken(options.database, reset);
    } catch (const homevisit::domain::DomainError& e) {
      std::cerr << "homevisitd: " << e.what() << "\n";
      return 1;
    }
    std::cout << "homevisitd: every admin credential revoked; the new admin's token is in " << reset << std::endl;
    return 0;
  }

  std::unique_ptr<homevisit::api::Server> server;
  try {
    server = homevisit::api::Server::Start(options);
  } catch (const homevisit::domain::DomainError& e) {
    homevisit::observability::LogEvent(homevisit::observability::LogLevel::kError, "start_failed",
                                       {{"reason", e.reason()}, {"message", e.what()}});
    homevisit::observability::FlushLogs();
    return 1;
  }
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::string address = absl::StrCat(host, ":", server->port());
  std::string metrics;
  if (server->metrics_port() > 0) {
    metrics = absl::StrCat("http://", options.metrics_listen.substr(0, options.metrics_listen.rfind(':')), ":",
                           server->metrics_port(), "/metrics");
    std::cout << "homevisitd metrics at " << metrics << std::endl;
  }
  homevisit::observability::LogEvent(homevisit::observability::LogLevel::kInfo, "serving",
                                     {{"address", address}, {"metrics", metrics}, {"version", HOMEVISIT_VERSION}});
  // Tests and scripts read this line to learn the port (the metrics line, if any, comes first).
  std::cout << "homevisitd listening on " << address << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  homevisit::observability::LogEvent(homevisit::observability::LogLevel::kInfo, "stopping",
                                     {{"signal", absl::StrCat(signal_number)}, {"grace_s", "10"}});
  server->Shutdown(absl::Seconds(10));
  server.reset();
  homevisit::observability::LogEvent(homevisit::observability::LogLevel::kInfo, "stopped");
  homevisit::observability::FlushLogs();
  return 0;
}
