#pragma once
// What a unit of work changed in the calendars availability reads, and the log of those changes
// committed through this process.
//
// Repositories mark the unit of work running on this thread: a claim change names its technician
// and its order (a release knows only the order: the calendar index knows whose claims an order
// holds), a change of a technician's row marks everything (zones, shifts, activity). Whoever ran
// the unit's transaction takes the marks once its COMMIT returned and records them in the
// Database's CalendarChangeLog under a new generation. The calendar index (calendar_index.h)
// compares that log with the generation its load began at: technicians changed since are read
// from the database for the call, so a caller always sees its own writes, while every other
// technician still comes from memory.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace homevisit::storage {

struct CalendarChange {
  std::set<std::string> technicians;  // whose claims changed
  std::set<std::string> orders;       // whose claims changed, on whichever technician
  bool everything = false;            // a technician's row changed

  bool empty() const { return !everything && technicians.empty() && orders.empty(); }
  void Merge(CalendarChange&& other);
};

// A technician's row (zones, shifts, time off, activity) changed.
void MarkCalendarChange();
// Claims of `order_id` changed; `technician_id` when the caller knows whose ("" when not).
void MarkClaimsChange(const std::string& technician_id, const std::string& order_id);
// What was marked on this thread since the last call; clears the marks.
CalendarChange TakeCalendarChange();
// Marks `change` again (an enclosing unit of work's marks, set aside while a nested one ran).
void RestoreCalendarChange(CalendarChange&& change);

// The calendar changes committed through this process, by generation. Thread-safe.
class CalendarChangeLog {
 public:
  // How many commits recorded a change so far.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Records a committed change under the next generation (nothing when it is empty).
  void Record(CalendarChange&& change);

  // What changed after generation `after`. When that is no longer known (forgotten), or a
  // technician's row changed, `everything` is set.
  CalendarChange Since(uint64_t after) const;

  // Entries at or below `through` may be dropped: a reader asking about an older generation is
  // then told everything changed, which is safe. The calendar index calls it once a load that
  // began at `through` is in place. The log also keeps itself bounded on its own.
  void Forget(uint64_t through);

 private:
  void ForgetLocked(uint64_t through);

  mutable std::mutex mutex_;
  std::atomic<uint64_t> generation_{0};
  uint64_t forgotten_through_ = 0;  // under mutex_
  uint64_t everything_at_ = 0;      // the last generation that changed a technician's row
  std::unordered_map<std::string, uint64_t> technicians_;  // technician -> last generation
  std::unordered_map<std::string, uint64_t> orders_;       // order -> last generation
};

}  // namespace homevisit::storage
