#pragma once
// Availability from memory (issue 13): every replica keeps the calendars of all technicians —
// shifts, time off, zones, and the busy intervals of appointments and holds with their owners —
// and CheckAvailability reads them here instead of the database.
//
// It is a view, never the guard: bookings and holds still claim granules in the database, so a
// stale answer ends as SLOT_TAKEN with fresh alternatives, never as a double booking.
//
// Freshness. A background thread compares the database's version stamp every `poll_interval`: the
// last position among the event types that change claims (every booking, hold, release,
// cancellation, reschedule, reassignment and hold expiry appends one) and the technicians' count
// and last update time. When only claims changed, it reloads just the technicians whose claims
// changed — those holding claims of the orders named by the new events, before or after — and
// shares every other technician with the previous snapshot; a change to technicians' rows, or
// ten minutes, bring a full reload. A change made through another replica reaches this index
// within about one interval plus one load (on PostgreSQL plus the event's publication, at most
// one more interval: see DESIGN.md).
//
// A change committed through this replica (Database::calendar_changes) is seen at once: the
// technicians it touched are handed back as stale, for the caller to read from the database, until
// a load that began after that commit is in place; a change of a technician's row makes the index
// step aside (nullopt) until then. A caller always sees its own writes.
//
// Loading reads appointments and holds as intervals (runs of granules per owner), not one row
// per granule.
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/time/time.h"
#include "domain/scheduling.h"
#include "storage/calendar_changes.h"
#include "storage/database.h"

namespace homevisit::storage {

struct CalendarIndexOptions {
  absl::Duration poll_interval = absl::Milliseconds(200);
  // Loaded range: from a day ago to this far ahead (the booking horizon plus the margin the
  // availability computation reads past it).
  absl::Duration ahead = absl::Hours(24 * 17);
  // A full reload at least this often even without a change, so the loaded range keeps up with
  // the clock.
  absl::Duration max_age = absl::Minutes(10);
  // The scheduling policy CheckAvailability computes with, when known: each shared calendar then
  // carries its day summaries for that policy over the loaded dates (domain::SummarizeDays),
  // computed once per load instead of once per call and date.
  std::optional<domain::SchedulingPolicy> policy = std::nullopt;
};

class CalendarIndex final : public domain::CalendarSource {
 public:
  // Starts the loader thread; the first load happens at once in the background.
  CalendarIndex(Database& db, CalendarIndexOptions options);
  ~CalendarIndex() override;
  CalendarIndex(const CalendarIndex&) = delete;
  CalendarIndex& operator=(const CalendarIndex&) = delete;

  std::optional<domain::CoveringCalendars> Covering(const std::string& postal_code, const std::string& delegacion,
                                                    const domain::Interval& range, absl::Time now,
                                                    const std::string& except_order_id) override;

  bool Loaded() const override { return Current() != nullptr; }

  // Loads now, on this thread (tests, and start-up when the caller wants a warm index).
  void LoadNow();

  struct Stats {
    bool loaded = false;
    size_t technicians = 0;
    size_t busy_intervals = 0;
    size_t bytes = 0;  // an estimate of the index's memory
    absl::Duration last_load_time;
    uint64_t loads = 0;          // full loads
    uint64_t partial_loads = 0;  // of the technicians whose claims changed
  };
  Stats stats() const;

 private:
  struct Busy {
    domain::Interval interval;
    std::string order_id;
    size_t order_hash = 0;  // of order_id: most calls compare thousands of them with one order
    absl::Time expire_time = absl::InfiniteFuture();  // a hold's claims lapse then
  };
  struct Entry {
    domain::TechnicianCalendar calendar;  // busy left empty: see `busy`
    std::vector<Busy> busy;               // sorted by start
    // What Covering hands out for this technician when no hold of it can lapse and the order
    // asked about has no claim of it (almost always): the calendar with every busy interval,
    // merged and summed (PrepareBusy), delegaciones normalized. Null while it has live holds.
    std::shared_ptr<const domain::TechnicianCalendar> shared;
  };
  struct Stamp {
    long long last_event = 0;
    long long technicians = 0;
    long long technicians_updated = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  // Who the active technicians are and what they cover: changes only with a full load.
  struct Roster {
    std::unordered_map<std::string, size_t> position;  // technician id -> entry
    std::map<std::string, std::vector<size_t>> by_postal_code;
    std::map<std::string, std::vector<size_t>> by_delegacion;  // normalized names
  };
  struct Snapshot {
    Stamp stamp;
    uint64_t generation = 0;  // Database::calendar_generation when the load began
    absl::Time loaded_at;     // of the last full load
    domain::Interval range;
    // In the database's technician id order; a partial load shares the unchanged ones.
    std::vector<std::shared_ptr<const Entry>> entries;
    std::shared_ptr<const Roster> roster;
    std::unordered_map<std::string, std::vector<size_t>> owners;  // order id -> entries with its claims
    size_t bytes = 0;
  };

  void Loop();
  Stamp ReadStamp();
  std::shared_ptr<const Snapshot> Load(const Stamp& stamp, uint64_t generation);
  // `current` with the busy time of the technicians touched by `change` (and by the claims of
  // its orders, before or after) read again; nullptr when a full load is the better choice.
  std::shared_ptr<const Snapshot> LoadPartly(const Snapshot& current, const Stamp& stamp, uint64_t generation,
                                             CalendarChange change);
  // Reads the busy intervals over `range` of every active technician, or only of `only`.
  void LoadBusy(soci::session& sql, const domain::Interval& range, const std::vector<std::string>* only,
                const std::function<void(const std::string& technician_id, Busy)>& each);
  // Fills `owners` and `bytes` from the entries.
  static void IndexOwners(Snapshot& snapshot);
  // Builds entry.shared from its calendar and busy time, with day summaries over `range`'s dates
  // when the policy is known.
  void Share(Entry& entry, const domain::Interval& range) const;
  void Install(std::shared_ptr<const Snapshot> snapshot, absl::Duration took, bool partial);
  std::shared_ptr<const Snapshot> Current() const;

  Database& db_;
  const CalendarIndexOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool wanted_ = false;  // a reader found the index behind: load without waiting for the tick
  std::shared_ptr<const Snapshot> snapshot_;
  uint64_t loads_ = 0;
  uint64_t partial_loads_ = 0;
  absl::Duration last_load_time_;
  std::thread loader_;  // last: starts once everything above exists
};

}  // namespace homevisit::storage
