#pragma once
// The service detached from its wiring: main.cc and the tests both start it this way.
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "api/event_watch.h"
#include "domain/scheduling.h"
#include "domain/visit.h"
#include "storage/database.h"

namespace homevisit::api {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";  // port 0 picks a free port
  storage::DatabaseOptions database;
  absl::TimeZone time_zone;  // the service time zone
  size_t worker_threads = 8;
  size_t max_queued_calls = 1024;
  int max_message_bytes = 4 * 1024 * 1024;
  bool demo_data = false;
  // Window, visit length, travel buffer, slot grid, horizon, option counts. Its time_zone is
  // replaced by `time_zone` above.
  domain::SchedulingPolicy scheduling;
  absl::Duration hold_ttl = absl::Minutes(10);  // a hold lapses by itself after this
  WatchOptions watch;
  // CheckAvailability reads calendars from an in-memory index (storage/calendar_index.h) kept
  // current every `calendar_poll`; off: every call reads the database.
  bool calendar_index = true;
  absl::Duration calendar_poll = absl::Milliseconds(200);
  // The checklist template, the late tolerance, the signature size cap. Its time_zone is
  // replaced by `time_zone` above.
  domain::VisitPolicy visit;
  // How often each replica looks for late technicians (0: never; tests sweep by hand).
  absl::Duration late_sweep_interval = absl::Seconds(5);

  // Transport. With cert and key the server speaks TLS; with a client CA it verifies client
  // certificates too (and demands one when require_client_cert). Plaintext is refused unless
  // `listen` is a loopback address or allow_insecure says so explicitly.
  struct Tls {
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;
    bool require_client_cert = false;
  } tls;
  bool allow_insecure = false;

  // When the database has no active admin credential, one is created at start: for the token
  // in this file if it exists (an operator's own), else for a new token written to it (mode
  // 0600) for the operator to read once. Empty: no bootstrap.
  std::string admin_token_file;

  // Operations. Prometheus metrics are served over HTTP at http://metrics_listen/metrics when
  // set (HOST:PORT; port 0 picks a free one). Health turns NOT_SERVING while a database ping,
  // every readiness_interval, fails (zero: no pings).
  std::string metrics_listen;
  absl::Duration readiness_interval = absl::Seconds(1);
};

// The recovery path when no admin token is at hand (e.g. the file was lost): revokes every
// active admin credential and creates one whose new token is written to `path` (mode 0600; the
// file must not exist). For `homevisitd --reset_admin_token_file`, with the service stopped or
// running (other replicas honour the old admin token for at most a second more).
void ResetAdminToken(const storage::DatabaseOptions& database, const std::string& path);

class Server {
 public:
  // Opens the database (migrating it), loads demo data if asked, and starts serving.
  static std::unique_ptr<Server> Start(const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  // The metrics endpoint's port (0 without one).
  int metrics_port() const { return metrics_port_; }
  storage::Database& database() { return *db_; }
  // Runs one late-technician sweep now (the background one runs every late_sweep_interval);
  // returns how many alerts it raised.
  int SweepLateAlerts();
  // Runs one sweep of lapsed holds now; returns how many it expired.
  int SweepLapsedHolds();
  // Stops accepting calls, lets in-flight ones finish (up to `grace`), then returns.
  void Shutdown(absl::Duration grace = absl::Seconds(10));
  void Wait();

 private:
  struct Services;
  Server() = default;
  struct Operations;  // the metrics endpoint and the readiness pings
  void StartOperations(const ServerOptions& options, grpc::HealthCheckServiceInterface* health);
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Operations> operations_;  // after services_ and server_: it reads both
  int port_ = 0;
  int metrics_port_ = 0;
  bool stopped_ = false;
};

}  // namespace homevisit::api
