#include "api/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <fcntl.h>
#include <grpcpp/health_check_service_interface.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include <prometheus/exposer.h>

#include "api/call_gate.h"
#include "api/call_observer.h"
#include "api/readiness.h"
#include "api/reporting_service.h"
#include "health/v1/health.pb.h"
#include "api/credential_service.h"
#include "api/event_service.h"
#include "api/late_alert_sweep.h"
#include "api/loopback.h"
#include "api/malformed_request.h"
#include "api/scheduling_service.h"
#include "api/service_order_service.h"
#include "api/technician_service.h"
#include "api/visit_report_service.h"
#include "api/visit_service.h"
#include "api/worker_pool.h"
#include "domain/credential_commands.h"
#include "domain/errors.h"
#include "domain/tokens.h"
#include "observability/logging.h"
#include "observability/metrics.h"
#include "storage/calendar_index.h"
#include "storage/demo_data.h"

namespace homevisit::api {

struct Server::Services {
  Services(storage::Database& db, const ServerOptions& options)
      : gate(db, credential_cache),
        calendars(options.calendar_index
                      ? std::make_unique<storage::CalendarIndex>(
                            db, storage::CalendarIndexOptions{.poll_interval = options.calendar_poll,
                                                              .policy = SchedulingSettingsOf(options).policy})
                      : nullptr),
        pool(options.worker_threads, options.max_queued_calls),
        orders(db, pool),
        events(db, pool, options.watch),
        technicians(db, pool),
        scheduling(db, pool, SchedulingSettingsOf(options), calendars.get()),
        visits(db, pool, VisitPolicyOf(options)),
        visit_reports(db, pool),
        reporting(db, pool, options.time_zone),
        late_sweep(db, VisitPolicyOf(options), options.late_sweep_interval),
        credentials(db, pool, credential_cache) {
    pool.set_call_gate(&gate);
  }
  CredentialCache credential_cache;
  CallGate gate;
  std::unique_ptr<storage::CalendarIndex> calendars;  // null when turned off
  WorkerPool pool;
  ServiceOrderServiceImpl orders;
  EventServiceImpl events;
  TechnicianServiceImpl technicians;
  SchedulingServiceImpl scheduling;
  VisitServiceImpl visits;
  VisitReportServiceImpl visit_reports;
  ReportingServiceImpl reporting;
  LateAlertSweep late_sweep;
  CredentialServiceImpl credentials;

  static domain::SchedulingSettings SchedulingSettingsOf(const ServerOptions& options) {
    domain::SchedulingSettings settings;
    settings.policy = options.scheduling;
    settings.policy.time_zone = options.time_zone;
    settings.hold_ttl = options.hold_ttl;
    return settings;
  }

  static domain::VisitPolicy VisitPolicyOf(const ServerOptions& options) {
    domain::VisitPolicy policy = options.visit;
    policy.time_zone = options.time_zone;
    return policy;
  }
};

struct Server::Operations {
  std::unique_ptr<DatabaseReadiness> readiness;  // null when readiness_interval is zero
  std::shared_ptr<observability::ServerStateCollector> state;
  std::unique_ptr<prometheus::Exposer> exposer;  // null without metrics_listen
};

namespace {

std::string ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "UNREADABLE_FILE",
                              absl::StrCat("cannot read the ", what, " file ", path));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::shared_ptr<grpc::ServerCredentials> TransportCredentials(const ServerOptions& options) {
  const ServerOptions::Tls& tls = options.tls;
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "TLS_INCOMPLETE",
                              "TLS needs both a certificate and its key");
  }
  if (tls.cert_file.empty()) {
    if (!tls.client_ca_file.empty()) {
      throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "TLS_INCOMPLETE",
                                "client certificates need TLS: give the server's certificate and key too");
    }
    if (!IsLoopbackListen(options.listen) && !options.allow_insecure) {
      throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "PLAINTEXT_REFUSED",
                                "plaintext is only served on loopback: give a TLS certificate and key, or "
                                "--allow_insecure to accept unencrypted traffic (tokens would travel in clear)");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({ReadFile(tls.key_file, "TLS key"), ReadFile(tls.cert_file, "TLS certificate")});
  if (!tls.client_ca_file.empty()) {
    ssl.pem_root_certs = ReadFile(tls.client_ca_file, "client CA");
    ssl.client_certificate_request = tls.require_client_cert
                                         ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                         : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  } else if (tls.require_client_cert) {
    throw domain::DomainError(domain::ErrorKind::kInvalidArgument, "TLS_INCOMPLETE",
                              "requiring client certificates needs the CA that signs them");
  }
  return grpc::SslServerCredentials(ssl);
}

// Writes `token` to a new file at `path`, readable by its owner only; throws if the file exists.
void WriteNewTokenFile(const std::string& path, const std::string& token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  bool ok = fd >= 0 && ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) {
    if (fd >= 0) std::filesystem::remove(path);
    throw domain::DomainError(domain::ErrorKind::kUnavailable, "ADMIN_TOKEN_FILE",
                              "cannot create the admin token file " + path + " (it must not exist yet)");
  }
}

// The first admin credential, for the operator to read once (the token itself is never logged).
// The file is written before the credential is stored, so no admin can exist whose token was
// written nowhere.
void BootstrapAdmin(storage::Database& db, const std::string& path) {
  if (db.Read([](domain::UnitOfWork& work) { return work.credentials().AnyActiveAdmin(); })) return;
  bool from_operator = std::filesystem::exists(path);
  std::string token;
  if (from_operator) {
    token = std::string(absl::StripAsciiWhitespace(ReadFile(path, "admin token")));
    domain::CheckOperatorAdminToken(token);
  } else {
    token = domain::NewToken();
    WriteNewTokenFile(path, token);
  }
  std::string created;
  try {
    created = db.Write([&](domain::UnitOfWork& work) { return domain::BootstrapAdmin(work, token, absl::Now()); });
  } catch (...) {
    if (!from_operator) std::filesystem::remove(path);
    throw;
  }
  if (created.empty()) {  // another replica created the first admin meanwhile
    if (!from_operator) std::filesystem::remove(path);
    return;
  }
  observability::LogEvent(observability::LogLevel::kInfo, "admin_credential_created",
                          {{"token_file", path},
                           {"note", from_operator ? "the operator's token" : "read it once, keep it safe, delete the file"}});
}

}  // namespace

std::unique_ptr<Server> Server::Start(const ServerOptions& options) {
  std::unique_ptr<Server> server(new Server());
  storage::DatabaseOptions database = options.database;
  database.worker_threads = options.worker_threads;
  server->db_ = storage::Database::Open(database);
  if (options.demo_data) storage::LoadDemoData(*server->db_, options.time_zone, absl::Now());
  if (!options.admin_token_file.empty()) BootstrapAdmin(*server->db_, options.admin_token_file);
  server->services_ = std::make_unique<Services>(*server->db_, options);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, TransportCredentials(options), &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // Every service once: registered here, and answering health by its name below.
  Services& s = *server->services_;
  const std::pair<grpc::Service*, const char*> services[] = {
      {&s.orders, v1::ServiceOrderService::service_full_name()},
      {&s.events, v1::EventService::service_full_name()},
      {&s.technicians, v1::TechnicianService::service_full_name()},
      {&s.scheduling, v1::SchedulingService::service_full_name()},
      {&s.visits, v1::VisitService::service_full_name()},
      {&s.visit_reports, v1::VisitReportService::service_full_name()},
      {&s.reporting, v1::ReportingService::service_full_name()},
      {&s.credentials, v1::CredentialService::service_full_name()},
  };
  for (const auto& [service, name] : services) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // The observer after the interceptor that rewrites a status: it records what the caller got.
  interceptors.push_back(std::make_unique<MalformedRequestInterceptorFactory>());
  interceptors.push_back(std::make_unique<CallObserverInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    throw domain::DomainError(domain::ErrorKind::kUnavailable, "LISTEN_FAILED",
                              "cannot listen on " + options.listen);
  }
  // Health answers for the whole server ("") and for each service by its full name; gRPC turns
  // them all NOT_SERVING at shutdown. The health messages are linked in (their descriptor is
  // referenced here) so that reflection can describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  if (health) {
    for (const auto& [service, name] : services) health->SetServingStatus(name, true);
  }
  server->StartOperations(options, health);
  return server;
}

void Server::StartOperations(const ServerOptions& options, grpc::HealthCheckServiceInterface* health) {
  operations_ = std::make_unique<Operations>();
  Operations& ops = *operations_;
  if (options.readiness_interval > absl::ZeroDuration() && health) {
    // Every service name follows the database: they all need it.
    ops.readiness = std::make_unique<DatabaseReadiness>(*db_, options.readiness_interval,
                                                        [health](bool up) { health->SetServingStatus(up); });
  }
  if (options.metrics_listen.empty()) return;
  Services& s = *services_;
  using Probe = observability::ServerStateCollector::Probe;
  std::vector<Probe> probes = {
      {"homevisit_worker_queue_depth", "Calls waiting for a worker thread.",
       [&s] { return static_cast<double>(s.pool.queued()); }},
      {"homevisit_write_queue_depth", "Writes waiting for SQLite's group-commit writer (0 on PostgreSQL).",
       [db = db_.get()] { return static_cast<double>(db->QueuedWrites()); }},
      {"homevisit_open_watches", "WatchEvents streams open on this replica.",
       [&s] { return static_cast<double>(s.events.open_watches()); }},
      {"homevisit_database_up", "1 while the database answers this replica's readiness pings, else 0.",
       [&ops] { return ops.readiness && !ops.readiness->database_up() ? 0.0 : 1.0; }},
  };
  ops.state = std::make_shared<observability::ServerStateCollector>(std::move(probes));
  try {
    ops.exposer = std::make_unique<prometheus::Exposer>(options.metrics_listen, /*num_threads=*/1);
  } catch (const std::exception&) {
    throw domain::DomainError(domain::ErrorKind::kUnavailable, "LISTEN_FAILED",
                              "cannot serve metrics on " + options.metrics_listen);
  }
  ops.exposer->RegisterCollectable(observability::MetricsRegistry());
  ops.exposer->RegisterCollectable(ops.state);
  std::vector<int> ports = ops.exposer->GetListeningPorts();
  metrics_port_ = ports.empty() ? 0 : ports.front();
}

void ResetAdminToken(const storage::DatabaseOptions& database, const std::string& path) {
  std::unique_ptr<storage::Database> db = storage::Database::Open(database);
  std::string token = domain::NewToken();
  WriteNewTokenFile(path, token);
  try {
    db->Write([&](domain::UnitOfWork& work) { domain::ResetAdmin(work, token, absl::Now()); });
  } catch (...) {
    std::filesystem::remove(path);
    throw;
  }
}

Server::~Server() { Shutdown(absl::Seconds(1)); }

int Server::SweepLateAlerts() { return services_->late_sweep.SweepOnce(); }

int Server::SweepLapsedHolds() { return services_->late_sweep.SweepLapsedHolds(); }

void Server::Shutdown(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  // Watches never end by themselves: end them first so Shutdown only waits for unary calls.
  // Metrics and readiness first: both read the services.
  if (operations_) {
    if (operations_->readiness) operations_->readiness->Stop();
    operations_->exposer.reset();
  }
  if (services_) services_->events.StopWatches();
  if (services_) services_->late_sweep.Stop();
  if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  // In-flight handlers finish on the pool; joining it before the database closes keeps them safe.
  if (services_) services_->pool.Stop();
  if (server_) server_->Wait();
}

void Server::Wait() {
  if (server_) server_->Wait();
}

}  // namespace homevisit::api
