#include "api/late_alert_sweep.h"

#include "absl/time/clock.h"
#include "api/request_replay.h"
#include "domain/errors.h"
#include "domain/scheduling.h"
#include "domain/visit_commands.h"
#include "observability/logging.h"
#include "observability/metrics.h"

namespace homevisit::api {
namespace {

// Events of the sweep are attributed to the server itself.
const domain::Actor kSweepActor{"homevisitd", domain::Role::kUnspecified, ""};

}  // namespace

LateAlertSweep::LateAlertSweep(storage::Database& db, domain::VisitPolicy policy, absl::Duration interval)
    : db_(db), policy_(std::move(policy)), interval_(interval) {
  if (interval_ > absl::ZeroDuration()) thread_ = std::thread([this] { Loop(); });
}

LateAlertSweep::~LateAlertSweep() { Stop(); }

void LateAlertSweep::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int LateAlertSweep::SweepOnce() {
  // Look first in a read transaction: most sweeps find nothing, and on SQLite a write
  // transaction would take the database's write lock every few seconds for nothing.
  absl::Time now = absl::Now();
  bool any = db_.Read([&](domain::UnitOfWork& work) {
    return !work.visits().LateCandidates(now - policy_.late_tolerance, 1).empty();
  });
  if (!any) return 0;
  int raised = db_.Write([&](domain::UnitOfWork& work) {
    return domain::RaiseLateAlerts(work, policy_, kSweepActor, absl::Now());
  });
  observability::CountLateAlerts(raised);
  return raised;
}

int LateAlertSweep::SweepLapsedHolds() {
  constexpr int kBatch = 100;
  absl::Time now = absl::Now();
  bool any = db_.Read([&](domain::UnitOfWork& work) { return !work.scheduling().LapsedHolds(now, 1).empty(); });
  if (!any) return 0;
  return db_.Write([&](domain::UnitOfWork& work) {
    return domain::ExpireLapsedHolds(work, kSweepActor, absl::Now(), kBatch);
  });
}

void LateAlertSweep::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; })) break;
    lock.unlock();
    try {
      SweepOnce();
      SweepLapsedHolds();
      SweepExpiredRequestIds(db_, absl::Now());
    } catch (const domain::DomainError& e) {
      // A lost race or a database hiccup: the next sweep tries again.
      observability::LogEvent(observability::LogLevel::kWarning, "late_alert_sweep_failed", {{"reason", e.reason()}});
    } catch (const std::exception&) {
      observability::LogEvent(observability::LogLevel::kError, "late_alert_sweep_failed", {{"reason", "UNEXPECTED"}});
    }
    lock.lock();
  }
}

}  // namespace homevisit::api
