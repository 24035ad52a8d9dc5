#include "api/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "api/event_service.h"
#include "api/scheduling_service.h"
#include "api/service_order_service.h"
#include "api/technician_service.h"
#include "api/worker_pool.h"
#include "domain/errors.h"
#include "storage/demo_data.h"

namespace homevisit::api {

struct Server::Services {
  Services(storage::Database& db, const ServerOptions& options)
      : pool(options.worker_threads, options.max_queued_calls),
        orders(db, pool),
        events(db, pool, options.watch),
        technicians(db, pool),
        scheduling(db, pool, SchedulingSettingsOf(options)) {}
  WorkerPool pool;
  ServiceOrderServiceImpl orders;
  EventServiceImpl events;
  TechnicianServiceImpl technicians;
  SchedulingServiceImpl scheduling;

  static domain::SchedulingSettings SchedulingSettingsOf(const ServerOptions& options) {
    domain::SchedulingSettings settings;
    settings.policy = options.scheduling;
    settings.policy.time_zone = options.time_zone;
    settings.hold_ttl = options.hold_ttl;
    return settings;
  }
};

std::unique_ptr<Server> Server::Start(const ServerOptions& options) {
  std::unique_ptr<Server> server(new Server());
  server->db_ = storage::Database::Open(options.database);
  if (options.demo_data) storage::LoadDemoData(*server->db_, options.time_zone, absl::Now());
  server->services_ = std::make_unique<Services>(*server->db_, options);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(&server->services_->orders);
  builder.RegisterService(&server->services_->events);
  builder.RegisterService(&server->services_->technicians);
  builder.RegisterService(&server->services_->scheduling);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    throw domain::DomainError(domain::ErrorKind::kUnavailable, "LISTEN_FAILED",
                              "cannot listen on " + options.listen);
  }
  return server;
}

Server::~Server() { Shutdown(absl::Seconds(1)); }

void Server::Shutdown(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  // Watches never end by themselves: end them first so Shutdown only waits for unary calls.
  if (services_) services_->events.StopWatches();
  if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  // In-flight handlers finish on the pool; joining it before the database closes keeps them safe.
  if (services_) services_->pool.Stop();
  if (server_) server_->Wait();
}

void Server::Wait() {
  if (server_) server_->Wait();
}

}  // namespace homevisit::api
