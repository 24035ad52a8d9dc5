#pragma once
// Availability (slot) computation for home visits — pure domain logic, no I/O.
//
// Time model
// - Every instant is an absl::Time (UTC). Wall-clock notions (shifts, the slot grid, "the same
//   day") are evaluated in SchedulingPolicy::time_zone, so DST days (e.g. America/Tijuana) shift
//   the UTC instants of a 09:00 shift. Local times that do not exist (spring forward) map to the
//   transition instant; repeated local times (fall back) map to their earlier occurrence.
// - A visit with arrival window [ws, we) needs the technician ON SHIFT for
//   [ws, we + visit_length) and OCCUPIES them for [ws, we + visit_length + travel_buffer); the
//   occupancy must not overlap any busy interval or time off. The travel buffer may run past the
//   shift end (the technician travels home / to the next job).
// - Shifts of one technician that touch (e.g. 09:00-13:00 and 13:00-18:00, or 20:00-24:00
//   followed by 00:00-06:00 the next day) are one continuous stretch of work.
//
// Windows
// - Only the requested START matters: the window evaluated is always
//   [start, start + window_length), whatever end the caller passed (an end equal to the start
//   means "start only"). An infinite start or an end before the start is kInvalidWindow, as is a
//   policy with non-positive window_length/slot_step or a slot_step that is not whole minutes.
// - The requested start may be off the slot grid; alternatives are always on the grid: starts
//   every slot_step of local wall time counted from local midnight (restarting each day).
// - A start is bookable when now <= start <= now + horizon.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace homevisit::domain {

// Half-open [start, end).
struct Interval {
  absl::Time start;
  absl::Time end;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// What a computation asks of one technician for one local date before it tries any start.
struct DaySummary {
  // The first start of the date that fits (on shift through window and visit, nothing blocked
  // through the travel buffer), ignoring the slot grid; InfiniteFuture: none that date.
  absl::Time earliest = absl::InfiniteFuture();
  // No start of the date after this fits (a bound, not necessarily a fitting start).
  absl::Time latest = absl::InfinitePast();
  absl::Duration busy;  // busy time within the date (the load-balancing measure)
  bool may_fit() const { return earliest != absl::InfiniteFuture(); }
};

// DaySummary of consecutive local dates, for one time zone and one visit span: computed once for
// a calendar that many computations share (SummarizeDays), so that ranking a date's technicians
// costs a lookup each instead of a walk through their shifts and busy time.
struct DaySummaries {
  absl::TimeZone time_zone;
  absl::Duration work;      // window + visit of the policy they were computed for
  absl::Duration occupied;  // work + travel buffer
  absl::CivilDay first;     // days[i] is of the date first + i
  std::vector<DaySummary> days;
};

// A recurring block of working time in local wall time of the policy's time zone.
struct WeeklyShift {
  int weekday = 0;       // 0 = Sunday .. 6 = Saturday
  int start_minute = 0;  // minutes since local midnight, 0 <= start < end
  int end_minute = 0;    // end <= 1440; malformed shifts are ignored
};

struct TechnicianCalendar {
  std::string technician_id;
  std::string display_name;
  bool active = true;
  std::vector<std::string> postal_codes;  // coverage by exact postal code
  std::vector<std::string> delegaciones;  // coverage by municipality, see NormalizeZoneName
  std::vector<WeeklyShift> weekly_shifts;  // several per weekday allowed
  std::vector<Interval> time_off;
  // Occupancy of existing appointments and live holds, already including visit length and
  // travel buffer (i.e. OccupancyOf(window) of each). Need not be sorted or disjoint.
  std::vector<Interval> busy;
  // Optional, for a calendar that many computations read (the calendar index shares one per
  // technician between calls): with busy.size() + 1 entries, `busy` is merged (sorted, disjoint)
  // and busy_prefix[i] is the total length of busy[0, i), so no computation merges or sums it
  // again. Filled by PrepareBusy; empty otherwise.
  std::vector<absl::Duration> busy_prefix;
  // Filled by PrepareBusy too (which also merges time_off) when there is time off: busy and time
  // off merged.
  std::vector<Interval> busy_and_time_off;
  // Optional, like busy_prefix: filled by SummarizeDays, used by computations whose policy has
  // the same time zone and span, for the dates it covers; any other date is computed. Whoever
  // changes busy, time_off or weekly_shifts afterwards must clear it (or summarize again).
  DaySummaries day_summaries;
};

// Merges calendar.busy and calendar.time_off, and fills calendar.busy_prefix and
// calendar.busy_and_time_off (see there).
void PrepareBusy(TechnicianCalendar& calendar);

// America/Mexico_City (no DST since 2022); falls back to fixed UTC-6 if tzdata is missing.
absl::TimeZone DefaultServiceTimeZone();

struct SchedulingPolicy {
  absl::TimeZone time_zone = DefaultServiceTimeZone();
  absl::Duration window_length = absl::Hours(2);  // arrival window offered to the subscriber
  absl::Duration visit_length = absl::Hours(1);   // work time after arrival at the latest
  absl::Duration travel_buffer = absl::Minutes(30);
  absl::Duration slot_step = absl::Minutes(30);  // grid of window starts from local midnight
  absl::Duration horizon = absl::Hours(24 * 14);  // how far ahead of now a window may start
  int same_day_options = 3;
  int other_day_options = 3;
  // Cap per date of the other-day list, so DOT hears more than one date. <= 0: no cap.
  int options_per_other_day = 2;
};

// Fills calendar.day_summaries for the local dates [first, last] under `policy` (PrepareBusy
// first, if not done). Leaves them empty for a policy ComputeAvailability would refuse, or with
// a window + visit longer than 12 hours (a summary's dates are then not independent of how far
// the computation expands shifts).
void SummarizeDays(TechnicianCalendar& calendar, const SchedulingPolicy& policy, absl::CivilDay first,
                   absl::CivilDay last);

struct SlotOption {
  Interval window;
  std::string technician_id;
  std::string technician_name;
  friend bool operator==(const SlotOption&, const SlotOption&) = default;
};

// In order of precedence (the first that applies is reported).
enum class UnavailableReason {
  kNone,
  kInvalidWindow,
  kInThePast,
  kBeyondHorizon,
  kNoTechnicianCoversZone,  // nobody active covers the postal code or the delegación
  kOutsideWorkingHours,     // covering technicians exist, none on shift for the whole visit
  kAllBooked,               // someone is on shift and not on time off, but busy
  kTimeOff,                 // those on shift then are all on time off (a day off, leave)
};

struct AvailabilityRequest {
  Interval requested_window;  // only the start is used, see "Windows" above
  std::string postal_code;
  std::string delegacion;
  // The caller vouches that every calendar it passes is of an active technician covering the
  // zone (a calendar source selected them): the computation does not check each one again.
  bool covering_known = false;
};

struct Availability {
  bool requested_available = false;
  std::optional<SlotOption> requested;  // who would take the requested window
  UnavailableReason reason = UnavailableReason::kNone;
  // Computed whether or not the requested window is free (DOT may still want choices).
  // Grid windows on the requested local date, excluding the requested start, nearest start to
  // the requested start first; equal distance: earlier first.
  std::vector<SlotOption> same_day;
  // Other local dates within [today, now + horizon], nearest date to the requested date first;
  // equal distance: the LATER date first (the subscriber named that date, presumably because
  // earlier does not suit them). Within a date: earliest first, at most options_per_other_day.
  // The list is in that scan order, so it is chronological per date but not across dates.
  std::vector<SlotOption> other_days;
};

// Technician choice when several can take a window: least busy time on that local date
// (busy intervals clipped to the date; time off does not count), then smaller technician_id.
// Calendars may cover more time than the computation looks at (the horizon's dates).
Availability ComputeAvailability(const AvailabilityRequest& request,
                                 const std::vector<const TechnicianCalendar*>& technicians,
                                 const SchedulingPolicy& policy, absl::Time now);
Availability ComputeAvailability(const AvailabilityRequest& request,
                                 const std::vector<TechnicianCalendar>& technicians,
                                 const SchedulingPolicy& policy, absl::Time now);

// Whether this one technician can take request.requested_window (re-check at booking).
// kNoTechnicianCoversZone covers inactive technicians too. The caller must leave the hold
// being converted out of technician.busy, or it blocks itself.
UnavailableReason CheckTechnicianWindow(const TechnicianCalendar& technician,
                                        const AvailabilityRequest& request,
                                        const SchedulingPolicy& policy, absl::Time now);

// [start, start + window_length + visit_length + travel_buffer): what to store as busy.
Interval OccupancyOf(const Interval& window, const SchedulingPolicy& policy);

// Lowercase ASCII, Spanish accents folded (á->a, ñ->n; precomposed or combining), whitespace
// trimmed and collapsed: "  Álvaro   OBREGÓN " -> "alvaro obregon".
std::string NormalizeZoneName(std::string_view name);

// Active, and the postal code (trimmed, exact) or the delegación (normalized) is listed.
bool CoversZone(const TechnicianCalendar& technician, std::string_view postal_code,
                std::string_view delegacion);

}  // namespace homevisit::domain
