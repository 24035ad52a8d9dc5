#pragma once
// What scheduling needs from storage: technicians' calendars, holds, and slot claims.
//
// No double booking, enforced by the database (SPEC §3). Time is cut into granules of
// kClaimGranule aligned to the Unix epoch. An appointment or a live hold claims every granule its
// occupancy [window start, window end + visit length + travel buffer) touches, one row
// (technician_id, granule) under PRIMARY KEY (technician_id, granule). Two overlapping
// occupancies of one technician touch at least one common granule, so the second claim hits the
// key and fails whatever replica, thread or transaction it comes from; no lock in any process is
// involved. A unique key was chosen over a PostgreSQL exclusion constraint because it works the
// same on SQLite and on distributed PostgreSQL-compatible engines, and a claim is one INSERT.
// The price is rounding: occupancies are widened to whole granules, and availability reads the
// very same claims as busy time, so what it offers is exactly what a claim accepts.
// Holds claim granules too, with their expiry; an expired hold's claims are deleted lazily by the
// next claim that wants those granules (inside its transaction), so expiry needs no background
// job and readers simply ignore claims past their expiry.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/availability.h"
#include "domain/service_order.h"

namespace homevisit::domain {

inline constexpr absl::Duration kClaimGranule = absl::Minutes(15);

// The granule starts `occupancy` touches, ascending.
std::vector<absl::Time> GranulesOf(const Interval& occupancy);

// kExpired: lapsed and swept (its event emitted). A kLive hold past its expire_time has lapsed
// too; the sweep turns it kExpired.
enum class HoldStatus { kLive = 1, kReleased = 2, kBooked = 3, kExpired = 4 };

struct Hold {
  std::string id;
  std::string order_id;
  std::string technician_id;
  std::string technician_name;
  TimeWindow window;
  absl::Time expire_time;
  absl::Time create_time;
  HoldStatus status = HoldStatus::kLive;

  bool LiveAt(absl::Time now) const { return status == HoldStatus::kLive && now < expire_time; }
};

// A claim on a technician's time for an order: by its appointment (hold_id empty) or by a hold.
struct SlotClaim {
  std::string technician_id;
  std::string order_id;
  std::string hold_id;     // empty: the order's appointment
  absl::Time expire_time;  // holds only
  std::vector<absl::Time> granules;
};

// Which holds a listing returns; every field is optional and they combine with AND.
struct HoldFilter {
  std::string technician_id;                      // empty: any
  std::optional<absl::Time> window_end_after;     // the hold's window ends after this
  std::optional<absl::Time> window_start_before;  // the hold's window starts before this
  std::optional<absl::Time> live_at;              // only holds live at this instant
};

// Keyset position for pages in window order: (window start, id) of the last hold returned.
struct HoldPosition {
  absl::Time window_start;
  std::string id;
};

class SchedulingRepository {
 public:
  virtual ~SchedulingRepository() = default;
  // Ids of active technicians covering the postal code (exact) or the delegación (normalized).
  virtual std::vector<std::string> TechniciansCovering(const std::string& postal_code,
                                                       const std::string& delegacion) = 0;
  // Calendars of these technicians (inactive ones too, marked so) with their time off and their
  // busy time within `range`: the granules claimed by appointments and live holds at `now`, except
  // claims of `except_order_id` (an order never blocks itself). A fixed number of queries.
  virtual std::vector<TechnicianCalendar> Calendars(const std::vector<std::string>& technician_ids,
                                                    const Interval& range, absl::Time now,
                                                    const std::string& except_order_id) = 0;
  // Deletes the expired hold claims among the wanted granules, then claims them all. Returns false
  // when a granule is claimed by another order (rows it did claim stay until the caller's
  // transaction rolls back, which the caller must make happen). Granules the same order claimed
  // already count as claimed.
  virtual bool Claim(const SlotClaim& claim, absl::Time now) = 0;
  // Deletes the claims of the order's appointment.
  virtual void ReleaseAppointmentClaims(const std::string& order_id) = 0;
  // Deletes the claims of one hold.
  virtual void ReleaseHoldClaims(const Hold& hold) = 0;

  virtual void InsertHold(const Hold& hold) = 0;
  virtual std::optional<Hold> FindHold(const std::string& id) = 0;
  // Holds of the order with status kLive (some may have expired by time).
  virtual std::vector<Hold> LiveHoldsOf(const std::string& order_id) = 0;
  virtual void SetHoldStatus(const std::string& id, HoldStatus status) = 0;
  // Holds matching `filter` after `after`, by (window start, id), at most `limit`.
  virtual std::vector<Hold> ListHolds(const HoldFilter& filter, const std::optional<HoldPosition>& after,
                                      int limit) = 0;
  // Live holds whose expire_time is at or before `now`, oldest expiry first.
  virtual std::vector<Hold> LapsedHolds(absl::Time now, int limit) = 0;
  // kLive -> kExpired if still live; returns whether this call changed it (exactly one sweeper,
  // across replicas, wins).
  virtual bool ExpireHold(const std::string& id) = 0;
};

}  // namespace homevisit::domain
