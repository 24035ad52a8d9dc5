#include "storage/calendar_changes.h"

#include <utility>

namespace homevisit::storage {

namespace {

thread_local CalendarChange pending;

// Past this many remembered technicians and orders, the oldest half is forgotten (readers that
// far behind step aside for one call). The calendar index forgets after every load, so this
// only bounds a process whose index is stuck (an unreachable database).
constexpr size_t kMaxRemembered = 8192;

}  // namespace

void CalendarChange::Merge(CalendarChange&& other) {
  everything = everything || other.everything;
  technicians.merge(other.technicians);
  orders.merge(other.orders);
}

void MarkCalendarChange() { pending.everything = true; }

void MarkClaimsChange(const std::string& technician_id, const std::string& order_id) {
  if (!technician_id.empty()) pending.technicians.insert(technician_id);
  if (!order_id.empty()) pending.orders.insert(order_id);
}

CalendarChange TakeCalendarChange() { return std::exchange(pending, CalendarChange{}); }

void RestoreCalendarChange(CalendarChange&& change) { pending.Merge(std::move(change)); }

void CalendarChangeLog::Record(CalendarChange&& change) {
  if (change.empty()) return;
  std::lock_guard lock(mutex_);
  const uint64_t generation = generation_.load(std::memory_order_relaxed) + 1;
  if (change.everything) everything_at_ = generation;
  for (const std::string& t : change.technicians) technicians_[t] = generation;
  for (const std::string& o : change.orders) orders_[o] = generation;
  if (technicians_.size() + orders_.size() > kMaxRemembered) ForgetLocked(generation - (generation - forgotten_through_) / 2);
  // Published last, under the lock: whoever reads this generation finds its entries recorded.
  generation_.store(generation, std::memory_order_release);
}

CalendarChange CalendarChangeLog::Since(uint64_t after) const {
  CalendarChange change;
  std::lock_guard lock(mutex_);
  if (after >= generation_.load(std::memory_order_relaxed)) return change;
  if (after < forgotten_through_ || everything_at_ > after) {
    change.everything = true;
    return change;
  }
  for (const auto& [t, g] : technicians_) {
    if (g > after) change.technicians.insert(t);
  }
  for (const auto& [o, g] : orders_) {
    if (g > after) change.orders.insert(o);
  }
  return change;
}

void CalendarChangeLog::Forget(uint64_t through) {
  std::lock_guard lock(mutex_);
  ForgetLocked(through);
}

void CalendarChangeLog::ForgetLocked(uint64_t through) {
  if (through <= forgotten_through_) return;
  forgotten_through_ = through;
  std::erase_if(technicians_, [&](const auto& entry) { return entry.second <= through; });
  std::erase_if(orders_, [&](const auto& entry) { return entry.second <= through; });
}

}  // namespace homevisit::storage
