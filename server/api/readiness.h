#pragma once
// Readiness: health answers NOT_SERVING while the database is unreachable, and SERVING again
// once it answers. A load balancer or orchestrator polling grpc.health.v1.Health/Check then
// routes around a replica that can only fail, and back when it recovers.
//
// A thread pings the database (Database::Ping: SELECT 1, reconnecting a broken session) every
// `interval`; each change is logged and handed to `on_change`. A ping that finds every session
// busy says nothing about reachability and changes nothing.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "storage/database.h"

namespace homevisit::api {

class DatabaseReadiness {
 public:
  DatabaseReadiness(storage::Database& db, absl::Duration interval, std::function<void(bool serving)> on_change);
  ~DatabaseReadiness();  // stops the thread
  DatabaseReadiness(const DatabaseReadiness&) = delete;
  DatabaseReadiness& operator=(const DatabaseReadiness&) = delete;

  bool database_up() const;
  // Pings once now and applies the answer (the thread does this every interval).
  void CheckNow();
  void Stop();

 private:
  void Loop();

  storage::Database& db_;
  const absl::Duration interval_;
  const std::function<void(bool)> on_change_;
  std::mutex check_mutex_;  // one check at a time, so changes reach on_change in order
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool up_ = true;  // the server starts only after opening (and migrating) the database
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace homevisit::api
