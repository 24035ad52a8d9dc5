#include "api/readiness.h"

#include <pthread.h>

#include "observability/logging.h"

namespace homevisit::api {

DatabaseReadiness::DatabaseReadiness(storage::Database& db, absl::Duration interval,
                                     std::function<void(bool)> on_change)
    : db_(db), interval_(interval), on_change_(std::move(on_change)), thread_([this] { Loop(); }) {}

DatabaseReadiness::~DatabaseReadiness() { Stop(); }

void DatabaseReadiness::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool DatabaseReadiness::database_up() const {
  std::lock_guard lock(mutex_);
  return up_;
}

void DatabaseReadiness::CheckNow() {
  std::lock_guard check(check_mutex_);
  // A ping waits at most one interval for a session (a busy pool is not an outage).
  auto wait = std::chrono::milliseconds(std::max<int64_t>(1, absl::ToInt64Milliseconds(interval_)));
  storage::Database::Reachability reach = db_.Ping(wait);
  if (reach == storage::Database::Reachability::kUnknown) return;
  bool up = reach == storage::Database::Reachability::kUp;
  {
    std::lock_guard lock(mutex_);
    if (up == up_) return;
    up_ = up;
  }
  observability::LogEvent(up ? observability::LogLevel::kInfo : observability::LogLevel::kError,
                          up ? "database_reachable" : "database_unreachable",
                          {{"health", up ? "SERVING" : "NOT_SERVING"}});
  on_change_(up);
}

void DatabaseReadiness::Loop() {
  pthread_setname_np(pthread_self(), "hv-readiness");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; })) break;
    lock.unlock();
    CheckNow();
    lock.lock();
  }
}

}  // namespace homevisit::api
