#pragma once
// The scheduling use cases [S2-S4]: availability, holds, booking, rescheduling, reassignment.
// Each runs inside the caller's unit of work (one transaction) and appends its events there.
// Double booking is ruled out by the database, not here: see domain/scheduling_repository.h.
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/availability.h"
#include "domain/repositories.h"

namespace homevisit::domain {

struct SchedulingSettings {
  SchedulingPolicy policy;
  absl::Duration hold_ttl = absl::Minutes(10);  // a hold lapses by itself after this
};

// An option as DOT sends it back: who, and when the arrival window starts (its end is always
// start + window_length).
struct SlotChoice {
  std::string technician_id;
  absl::Time start = absl::InfinitePast();
};

// What to book: a live hold of the order (hold_id set), or a choice directly.
struct BookingSource {
  std::string hold_id;
  SlotChoice choice;
};

// Where availability reads the covering technicians' calendars from when not from the unit of
// work's repository: a replica's in-memory index (storage/calendar_index.h).
struct CoveringCalendars {
  // In the repository's technician id order. Shared, not copied: a source hands the same
  // calendar to many calls (read-only; it may cover more time than asked, and list every zone
  // the technician covers). Each points into `keep_alive` or `own`.
  std::vector<const TechnicianCalendar*> calendars;
  // What the shared calendars belong to (the source's snapshot): one reference per call, not one
  // per calendar.
  std::shared_ptr<const void> keep_alive;
  // Calendars built for this call alone (a deque: what `calendars` points to stays put).
  std::deque<TechnicianCalendar> own;
  // Covering technicians whose claims changed through this replica after the source loaded
  // them: their entries in `calendars` hold only the id, and the caller reads them from the
  // repository.
  std::vector<std::string> stale;
};

class CalendarSource {
 public:
  virtual ~CalendarSource() = default;
  // The active technicians covering the postal code or delegación, with their calendars over
  // at least `range` (busy time of live claims at `now`, without `except_order_id`'s), but for the stale
  // ones; nullopt when this source cannot answer now (not loaded yet, or behind a change of a
  // technician's zones, shifts or activity made through this replica).
  virtual std::optional<CoveringCalendars> Covering(const std::string& postal_code, const std::string& delegacion,
                                                    const Interval& range, absl::Time now,
                                                    const std::string& except_order_id) = 0;
  // Whether Covering can be expected to answer (loaded); a hint for where to run a call, since a
  // call it cannot answer reads every covering calendar from the repository.
  virtual bool Loaded() const = 0;
};

// Availability for the order's zone at `start` (the order's requested start when not given).
// The order's own appointment and holds do not count as busy. Calendars come from `calendars`
// when it answers, else from the repository.
Availability CheckOrderAvailability(UnitOfWork& work, const std::string& order_id,
                                    std::optional<absl::Time> start, const SchedulingSettings& settings,
                                    absl::Time now, CalendarSource* calendars = nullptr);

// Holds a choice for the order; the order's earlier live holds are released (one at a time).
Hold CreateHold(UnitOfWork& work, const std::string& order_id, const SlotChoice& choice,
                const SchedulingSettings& settings, const Actor& actor, absl::Time now);

// Releases a live hold; a hold released, booked or expired already is returned as it is.
Hold ReleaseHold(UnitOfWork& work, const std::string& hold_id, const Actor& actor, absl::Time now);
// Marks up to `limit` lapsed holds expired, frees their time and appends one TYPE_HOLD_RELEASED
// event each (attribute why=expired), exactly once across replicas. Returns how many.
int ExpireLapsedHolds(UnitOfWork& work, const Actor& actor, absl::Time now, int limit);

// REQUESTED -> SCHEDULED with the technician. With a request_id, a retry on an order already
// booked with the same option returns the order unchanged. Throws ABORTED "SLOT_TAKEN" when the
// option is no longer free (the caller may offer fresh alternatives).
ServiceOrder BookAppointment(UnitOfWork& work, const std::string& order_id, const BookingSource& source,
                             const std::string& request_id, const SchedulingSettings& settings,
                             const Actor& actor, absl::Time now);

// Moves a SCHEDULED or CONFIRMED appointment to another option (back to SCHEDULED).
ServiceOrder RescheduleAppointment(UnitOfWork& work, const std::string& order_id, const BookingSource& source,
                                   const std::string& etag, const std::string& reason,
                                   const SchedulingSettings& settings, const Actor& actor, absl::Time now);

// Gives the same window to another technician, who must cover the zone, be on shift and free.
ServiceOrder ReassignAppointment(UnitOfWork& work, const std::string& order_id, const std::string& technician_id,
                                 const std::string& etag, const std::string& reason,
                                 const SchedulingSettings& settings, const Actor& actor, absl::Time now);

// Frees the order's time: its appointment's claims and its live holds (on cancellation).
void ReleaseOrderTime(UnitOfWork& work, const std::string& order_id);

// "2026-12-03 10:00 Luis Hernández; ..." in the policy's time zone, same day first.
std::string DescribeAlternatives(const Availability& availability, const SchedulingPolicy& policy);

}  // namespace homevisit::domain
