#pragma once
// [B2] A background thread that raises TYPE_TECHNICIAN_LATE for technicians not checked in by the
// window start plus the tolerance. Every replica runs one; the database decides (a conditional
// UPDATE of the order) so each alert is raised exactly once however many replicas sweep.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "domain/visit.h"
#include "storage/database.h"

namespace homevisit::api {

class LateAlertSweep {
 public:
  LateAlertSweep(storage::Database& db, domain::VisitPolicy policy, absl::Duration interval);
  ~LateAlertSweep();  // stops and joins
  LateAlertSweep(const LateAlertSweep&) = delete;
  LateAlertSweep& operator=(const LateAlertSweep&) = delete;

  // Runs one sweep now, on the calling thread; returns how many alerts it raised.
  int SweepOnce();
  // Expires the holds that lapsed (each gets its TYPE_HOLD_RELEASED event); returns how many.
  // The same thread runs it after each late-alert sweep.
  int SweepLapsedHolds();
  void Stop();

 private:
  void Loop();
  storage::Database& db_;
  const domain::VisitPolicy policy_;
  const absl::Duration interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace homevisit::api
