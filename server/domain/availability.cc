#include "domain/availability.h"

#include <algorithm>
#include <deque>
#include <cstdint>
#include <cstdlib>
#include <unordered_map>
#include <utility>

#include "absl/time/civil_time.h"

namespace homevisit::domain {
namespace {

// Sorted by start, disjoint, touching intervals joined, empty ones dropped. Joining touching
// intervals is what makes back-to-back shifts one continuous stretch of work.
// Whether a list is what Merged would make of it: appointments and holds usually come sorted and
// apart already (the calendar index keeps them so).
bool IsMerged(const std::vector<Interval>& intervals) {
  for (size_t i = 0; i < intervals.size(); ++i) {
    if (!(intervals[i].start < intervals[i].end) || (i > 0 && !(intervals[i - 1].end < intervals[i].start))) {
      return false;
    }
  }
  return true;
}

std::vector<Interval> Merged(std::vector<Interval> intervals) {
  if (IsMerged(intervals)) return intervals;
  std::erase_if(intervals, [](const Interval& i) { return !(i.start < i.end); });
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> out;
  out.reserve(intervals.size());
  for (const Interval& i : intervals) {
    if (!out.empty() && i.start <= out.back().end) {
      out.back().end = std::max(out.back().end, i.end);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

// First interval of a merged list that ends after t (binary search).
std::vector<Interval>::const_iterator FirstEndingAfter(const std::vector<Interval>& merged,
                                                       absl::Time t) {
  return std::partition_point(merged.begin(), merged.end(),
                              [t](const Interval& i) { return i.end <= t; });
}

// Whether one interval of a merged list contains all of [a, b).
bool Contains(const std::vector<Interval>& merged, absl::Time a, absl::Time b) {
  auto it = FirstEndingAfter(merged, a);
  return it != merged.end() && it->start <= a && b <= it->end;
}

bool Intersects(const std::vector<Interval>& merged, absl::Time a, absl::Time b) {
  auto it = FirstEndingAfter(merged, a);
  return it != merged.end() && it->start < b;
}

int SundayBasedWeekday(absl::CivilDay day) {
  // absl::Weekday counts from monday = 0.
  return (static_cast<int>(absl::GetWeekday(day)) + 1) % 7;
}

absl::Time StartOfDay(absl::CivilDay day, absl::TimeZone tz) { return absl::FromCivil(day, tz); }

// sums[i] = total length of intervals[0, i).
std::vector<absl::Duration> PrefixSums(const std::vector<Interval>& intervals) {
  std::vector<absl::Duration> sums;
  sums.reserve(intervals.size() + 1);
  sums.push_back(absl::ZeroDuration());
  for (const Interval& i : intervals) sums.push_back(sums.back() + (i.end - i.start));
  return sums;
}

// The local dates of one computation (the prepared range plus a day each side), each with its
// weekday and, unless the zone changes its offset that day, its midnight: then a local minute
// of the date is midnight plus that many minutes, with no time-zone lookup. Technicians mostly
// share their shift times and dates, so this replaces tens of thousands of conversions (which
// were most of a call's CPU) with a few per date.
class LocalDays {
 public:
  struct Day {
    absl::CivilDay day;
    int weekday = 0;  // Sunday = 0
    absl::Time midnight;
    bool uniform = false;  // one UTC offset from this midnight to the next
  };

  LocalDays(absl::TimeZone tz, absl::CivilDay first, absl::CivilDay last) : tz_(tz) {
    absl::Time midnight = absl::FromCivil(first - 1, tz);
    for (absl::CivilDay day = first - 1; day <= last + 1; ++day) {
      const absl::Time next = absl::FromCivil(day + 1, tz);
      const bool uniform = next - midnight == absl::Hours(24) && tz.At(midnight).offset == tz.At(next).offset;
      days_.push_back({day, SundayBasedWeekday(day), midnight, uniform});
      midnight = next;
    }
  }

  const std::vector<Day>& days() const { return days_; }

  absl::Time At(const Day& day, int minute) const {
    if (day.uniform) return day.midnight + absl::Minutes(minute);
    return absl::FromCivil(absl::CivilMinute(day.day) + minute, tz_);
  }

 private:
  absl::TimeZone tz_;
  std::vector<Day> days_;
};

// Everything needed to answer "can this technician take the window starting at s" with two
// binary searches, built once per request.
struct PreparedTechnician {
  const TechnicianCalendar* calendar = nullptr;
  // Absolute shift stretches over the prepared dates; shared by technicians with the same
  // weekly shifts (ShiftStretches owns them).
  const std::vector<Interval>* on_shift = nullptr;
  std::vector<Interval> time_off;  // to tell a day off from a full calendar
  bool busy_is_calendars = false;  // the calendar's busy list was merged already: no copy
  std::vector<Interval> busy_merged;        // otherwise
  bool prefix_is_calendars = false;         // the calendar's busy_prefix applies: no sums
  std::vector<absl::Duration> busy_prefix;  // otherwise
  std::vector<Interval> busy_and_time_off;  // only when there is time off, see blocked()

  // Appointments and holds, merged: for the load-balancing measure.
  const std::vector<Interval>& busy() const { return busy_is_calendars ? calendar->busy : busy_merged; }
  // prefix()[i] = total length of busy()[0, i).
  const std::vector<absl::Duration>& prefix() const {
    return prefix_is_calendars ? calendar->busy_prefix : busy_prefix;
  }
  // Busy and time off.
  const std::vector<Interval>& blocked() const { return time_off.empty() ? busy() : busy_and_time_off; }

  // Busy time within [a, b).
  absl::Duration BusyWithin(absl::Time a, absl::Time b) const {
    const std::vector<Interval>& busy = this->busy();
    const auto first = FirstEndingAfter(busy, a);
    const auto last = std::partition_point(first, busy.cend(),
                                           [b](const Interval& i) { return i.start < b; });
    if (first == last) return absl::ZeroDuration();
    const std::vector<absl::Duration>& prefix = this->prefix();
    absl::Duration total = prefix[last - busy.begin()] - prefix[first - busy.begin()];
    total -= std::max(absl::ZeroDuration(), a - first->start);
    total -= std::max(absl::ZeroDuration(), std::prev(last)->end - b);
    return total;
  }
};

// The shift stretches of each distinct weekly pattern over the prepared dates, computed once
// per computation: most technicians share their shift times, so 500 of them cost a handful.
// Shifts are expanded one day beyond each end, so a visit running past midnight into a following
// shift is seen as on shift.
class ShiftStretches {
 public:
  explicit ShiftStretches(const LocalDays& local) : local_(local) {}

  // Looked up by a hash of the pattern, without allocating (this runs once per technician).
  const std::vector<Interval>& Of(const std::vector<WeeklyShift>& weekly) {
    uint64_t hash = weekly.size();
    for (const WeeklyShift& s : weekly) {
      hash = hash * 1000003 + static_cast<uint64_t>(s.weekday);
      hash = hash * 1000003 + static_cast<uint64_t>(s.start_minute);
      hash = hash * 1000003 + static_cast<uint64_t>(s.end_minute);
    }
    auto [first, last] = by_hash_.equal_range(hash);
    for (auto it = first; it != last; ++it) {
      if (Same(patterns_[it->second].first, weekly)) return patterns_[it->second].second;
    }
    by_hash_.emplace(hash, patterns_.size());
    patterns_.emplace_back(weekly, Expand(weekly));
    return patterns_.back().second;
  }

 private:
  static bool Same(const std::vector<WeeklyShift>& a, const std::vector<WeeklyShift>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const WeeklyShift& x, const WeeklyShift& y) {
      return x.weekday == y.weekday && x.start_minute == y.start_minute && x.end_minute == y.end_minute;
    });
  }

  std::vector<Interval> Expand(const std::vector<WeeklyShift>& weekly) const {
    std::vector<Interval> shifts;
    shifts.reserve(local_.days().size() * weekly.size() / 7 + 1);
    for (const LocalDays::Day& day : local_.days()) {
      for (const WeeklyShift& s : weekly) {
        if (s.weekday != day.weekday || s.start_minute < 0 || s.end_minute > 24 * 60 ||
            s.start_minute >= s.end_minute) {
          continue;
        }
        shifts.push_back({local_.At(day, s.start_minute), local_.At(day, s.end_minute)});
      }
    }
    return Merged(std::move(shifts));
  }

  const LocalDays& local_;
  // A deque: the stretches handed out stay where they are as patterns are added.
  std::deque<std::pair<std::vector<WeeklyShift>, std::vector<Interval>>> patterns_;
  std::unordered_multimap<uint64_t, size_t> by_hash_;
};

PreparedTechnician Prepare(const TechnicianCalendar& calendar, ShiftStretches& shifts) {
  PreparedTechnician p;
  p.calendar = &calendar;
  p.on_shift = &shifts.Of(calendar.weekly_shifts);
  p.time_off = Merged(calendar.time_off);
  if (!p.time_off.empty()) {
    std::vector<Interval> blocked;
    blocked.reserve(calendar.busy.size() + calendar.time_off.size());
    blocked.insert(blocked.end(), calendar.busy.begin(), calendar.busy.end());
    blocked.insert(blocked.end(), calendar.time_off.begin(), calendar.time_off.end());
    p.busy_and_time_off = Merged(std::move(blocked));
  }

  if (calendar.busy_prefix.size() == calendar.busy.size() + 1) {  // PrepareBusy's: merged and summed
    p.busy_is_calendars = p.prefix_is_calendars = true;
    return p;
  }
  p.busy_is_calendars = IsMerged(calendar.busy);
  if (!p.busy_is_calendars) p.busy_merged = Merged(calendar.busy);
  const std::vector<Interval>& busy = p.busy();
  p.busy_prefix = PrefixSums(busy);
  return p;
}

enum class Fit { kOffShift, kTimeOff, kBlocked, kFree };

// What a visit starting at some time takes: on shift for `work`, nothing else for `occupied`.
// Computed once per request (absl's Duration arithmetic is not inlined).
struct VisitSpan {
  explicit VisitSpan(const SchedulingPolicy& policy)
      : work(policy.window_length + policy.visit_length), occupied(work + policy.travel_buffer) {}
  absl::Duration work;      // window + visit
  absl::Duration occupied;  // window + visit + travel buffer
};

Fit FitAt(const PreparedTechnician& t, absl::Time start, const VisitSpan& span) {
  const absl::Time work_end = start + span.work;
  if (!Contains(*t.on_shift, start, work_end)) return Fit::kOffShift;
  const absl::Time occupied_end = start + span.occupied;
  if (Intersects(t.blocked(), start, occupied_end)) {
    return Intersects(t.time_off, start, occupied_end) ? Fit::kTimeOff : Fit::kBlocked;
  }
  return Fit::kFree;
}

bool PolicyValid(const SchedulingPolicy& p) {
  return p.window_length > absl::ZeroDuration() && p.slot_step >= absl::Minutes(1) &&
         p.slot_step % absl::Minutes(1) == absl::ZeroDuration() &&
         p.slot_step <= absl::Hours(24) && p.visit_length >= absl::ZeroDuration() &&
         p.travel_buffer >= absl::ZeroDuration() && p.horizon >= absl::ZeroDuration();
}

// Reasons that do not depend on any technician.
UnavailableReason TimingReason(const Interval& window, const SchedulingPolicy& policy,
                               absl::Time now) {
  if (!PolicyValid(policy) || window.start == absl::InfinitePast() ||
      window.start == absl::InfiniteFuture() || window.end < window.start) {
    return UnavailableReason::kInvalidWindow;
  }
  if (window.start < now) return UnavailableReason::kInThePast;
  if (window.start > now + policy.horizon) return UnavailableReason::kBeyondHorizon;
  return UnavailableReason::kNone;
}

std::string_view Trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Zone of a request, normalized once rather than per technician.
struct NormalizedZone {
  std::string_view postal_code;
  std::string delegacion;
};

bool Covers(const TechnicianCalendar& t, const NormalizedZone& zone) {
  if (!t.active) return false;
  if (!zone.postal_code.empty()) {
    for (const std::string& pc : t.postal_codes) {
      if (Trimmed(pc) == zone.postal_code) return true;
    }
  }
  if (!zone.delegacion.empty()) {
    for (const std::string& d : t.delegaciones) {
      if (NormalizeZoneName(d) == zone.delegacion) return true;
    }
  }
  return false;
}

// Grid starts of one local date in ascending order; skipped local times (spring forward) are
// left out, repeated ones (fall back) are taken at their first occurrence.
std::vector<absl::Time> GridStarts(absl::CivilDay day, const SchedulingPolicy& policy) {
  const int64_t step = absl::ToInt64Minutes(policy.slot_step);
  std::vector<absl::Time> out;
  out.reserve(static_cast<size_t>(24 * 60 / step + 1));
  const absl::CivilMinute midnight(day);
  for (int64_t m = 0; m < 24 * 60; m += step) {
    const auto info = policy.time_zone.At(absl::CivilSecond(midnight + m));
    if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) continue;
    out.push_back(info.pre);
  }
  return out;
}

// Whether some start in [from, to) could fit `t` (on shift for the whole visit, nothing blocked
// through the travel buffer), ignoring the grid: a necessary condition for FitAt == kFree at any
// grid start of that date, checked with one pass over the day's intervals. On a fully booked
// date it drops the technician before any start is tried.
bool MayFitWithin(const PreparedTechnician& t, absl::Time from, absl::Time to, const VisitSpan& span) {
  const absl::Duration work = span.work;
  const absl::Duration occupied = span.occupied;
  const std::vector<Interval>& shifts = *t.on_shift;
  for (auto shift = FirstEndingAfter(shifts, from); shift != shifts.end() && shift->start < to; ++shift) {
    const absl::Time last = std::min(shift->end - work, to - absl::Nanoseconds(1));  // latest start
    absl::Time s = std::max(shift->start, from);
    for (auto b = FirstEndingAfter(t.blocked(), s); s <= last; ++b) {
      if (b == t.blocked().end() || b->start >= s + occupied) return true;
      s = b->end;  // the earliest start after this blocked stretch (merged: the next ends later)
    }
  }
  return false;
}

// Covering technicians that may fit some start of the date (MayFitWithin, which also means on
// shift that date), least busy that date first, then by id: the order in which they are
// offered. On a fully booked date the list is empty at the cost of a few searches each.
// `techs` sorted by technician id.
std::vector<const PreparedTechnician*> CandidatesOf(const std::vector<PreparedTechnician>& techs, absl::CivilDay day,
                                                    absl::TimeZone tz, const VisitSpan& span) {
  const absl::Time from = StartOfDay(day, tz);
  const absl::Time to = StartOfDay(day + 1, tz);
  std::vector<std::pair<absl::Duration, const PreparedTechnician*>> ranked;
  for (const PreparedTechnician& t : techs) {
    if (MayFitWithin(t, from, to, span)) ranked.emplace_back(t.BusyWithin(from, to), &t);
  }
  // `techs` is in id order, so on equal load the earlier element has the smaller id.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  std::vector<const PreparedTechnician*> out;
  out.reserve(ranked.size());
  for (const auto& r : ranked) out.push_back(r.second);
  return out;
}

struct Pick {
  const PreparedTechnician* technician = nullptr;  // null: nobody free
  bool anyone_booked = false;    // someone on shift and working then, but busy
  bool anyone_off = false;       // someone on shift then, but on time off
};

Pick PickTechnician(const std::vector<const PreparedTechnician*>& roster, absl::Time start, const VisitSpan& span) {
  Pick pick;
  for (const PreparedTechnician* t : roster) {
    const Fit fit = FitAt(*t, start, span);
    if (fit == Fit::kFree) return {t, false, false};
    if (fit == Fit::kBlocked) pick.anyone_booked = true;
    if (fit == Fit::kTimeOff) pick.anyone_off = true;
  }
  return pick;
}

// Why nobody can take a window starting at `start`: asked of every covering technician (those
// off shift then answer kOffShift, which sets no flag).
Pick WhyNot(const std::vector<PreparedTechnician>& techs, absl::Time start, const VisitSpan& span) {
  Pick why;
  for (const PreparedTechnician& t : techs) {
    const Fit fit = FitAt(t, start, span);
    if (fit == Fit::kBlocked) why.anyone_booked = true;
    if (fit == Fit::kTimeOff) why.anyone_off = true;
  }
  return why;
}

SlotOption OptionOf(const PreparedTechnician& t, absl::Time start, const SchedulingPolicy& p) {
  return {{start, start + p.window_length}, t.calendar->technician_id, t.calendar->display_name};
}

}  // namespace

absl::TimeZone DefaultServiceTimeZone() {
  absl::TimeZone tz;
  if (absl::LoadTimeZone("America/Mexico_City", &tz)) return tz;
  return absl::FixedTimeZone(-6 * 60 * 60);
}

Interval OccupancyOf(const Interval& window, const SchedulingPolicy& policy) {
  return {window.start,
          window.start + policy.window_length + policy.visit_length + policy.travel_buffer};
}

std::string NormalizeZoneName(std::string_view name) {
  // Folds the Latin-1 supplement letters (UTF-8 lead byte 0xC3), indexed by the second byte
  // minus 0x80; '\0' keeps the original bytes.
  static constexpr char kFold[] =
      "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0\0"   // U+00C0..U+00DF
      "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";  // U+00E0..U+00FF
  static_assert(sizeof(kFold) == 64 + 1);
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  name = Trimmed(name);
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0xBF && kFold[next - 0x80] != '\0') {
      out.push_back(kFold[next - 0x80]);
      ++i;
    } else if ((c == 0xCC && next >= 0x80 && next <= 0xBF) ||
               (c == 0xCD && next >= 0x80 && next <= 0xAF)) {
      ++i;  // combining diacritical mark (U+0300..U+036F): decomposed accents
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

bool CoversZone(const TechnicianCalendar& technician, std::string_view postal_code,
                std::string_view delegacion) {
  return Covers(technician, {Trimmed(postal_code), NormalizeZoneName(delegacion)});
}

UnavailableReason CheckTechnicianWindow(const TechnicianCalendar& technician,
                                        const AvailabilityRequest& request,
                                        const SchedulingPolicy& policy, absl::Time now) {
  const absl::Time start = request.requested_window.start;
  if (auto r = TimingReason(request.requested_window, policy, now); r != UnavailableReason::kNone) {
    return r;
  }
  if (!CoversZone(technician, request.postal_code, request.delegacion)) {
    return UnavailableReason::kNoTechnicianCoversZone;
  }
  const absl::CivilDay day = absl::ToCivilDay(start, policy.time_zone);
  const LocalDays local(policy.time_zone, day, day);
  ShiftStretches shifts(local);
  switch (FitAt(Prepare(technician, shifts), start, VisitSpan(policy))) {
    case Fit::kOffShift: return UnavailableReason::kOutsideWorkingHours;
    case Fit::kTimeOff: return UnavailableReason::kTimeOff;
    case Fit::kBlocked: return UnavailableReason::kAllBooked;
    case Fit::kFree: break;
  }
  return UnavailableReason::kNone;
}

void PrepareBusy(TechnicianCalendar& calendar) {
  calendar.busy = Merged(std::move(calendar.busy));
  calendar.busy_prefix = PrefixSums(calendar.busy);
}

Availability ComputeAvailability(const AvailabilityRequest& request,
                                 const std::vector<TechnicianCalendar>& technicians,
                                 const SchedulingPolicy& policy, absl::Time now) {
  std::vector<const TechnicianCalendar*> pointers;
  pointers.reserve(technicians.size());
  for (const TechnicianCalendar& t : technicians) pointers.push_back(&t);
  return ComputeAvailability(request, pointers, policy, now);
}

Availability ComputeAvailability(const AvailabilityRequest& request,
                                 const std::vector<const TechnicianCalendar*>& technicians,
                                 const SchedulingPolicy& policy, absl::Time now) {
  Availability result;
  result.reason = TimingReason(request.requested_window, policy, now);
  if (result.reason == UnavailableReason::kInvalidWindow) return result;

  const absl::TimeZone tz = policy.time_zone;
  const absl::Time start = request.requested_window.start;
  const absl::CivilDay requested_day = absl::ToCivilDay(start, tz);
  // Every bookable start falls on these dates, so nothing outside them is ever evaluated.
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  const absl::CivilDay last_day = absl::ToCivilDay(now + policy.horizon, tz);

  const NormalizedZone zone{Trimmed(request.postal_code), NormalizeZoneName(request.delegacion)};
  const VisitSpan span(policy);
  std::vector<PreparedTechnician> covering;
  covering.reserve(technicians.size());
  const LocalDays local(tz, today, last_day);
  ShiftStretches shifts(local);
  for (const TechnicianCalendar* t : technicians) {
    if (Covers(*t, zone)) covering.push_back(Prepare(*t, shifts));
  }
  // In id order once, so every date's roster breaks ties by position instead of comparing ids.
  std::sort(covering.begin(), covering.end(), [](const PreparedTechnician& a, const PreparedTechnician& b) {
    return a.calendar->technician_id < b.calendar->technician_id;
  });
  if (covering.empty()) {
    if (result.reason == UnavailableReason::kNone) {
      result.reason = UnavailableReason::kNoTechnicianCoversZone;
    }
    return result;
  }

  const auto bookable = [&](absl::Time s) { return now <= s && s <= now + policy.horizon; };
  const auto in_range = [&](absl::CivilDay d) { return today <= d && d <= last_day; };

  // The requested window and the same-day alternatives share the requested date's roster.
  if (in_range(requested_day)) {
    const auto candidates = CandidatesOf(covering, requested_day, tz, span);
    if (result.reason == UnavailableReason::kNone) {
      const Pick pick = PickTechnician(candidates, start, span);
      if (pick.technician != nullptr) {
        result.requested_available = true;
        result.requested = OptionOf(*pick.technician, start, policy);
      } else {
        // Nobody fits: why not is asked of everyone, not only of the candidates.
        const Pick why = WhyNot(covering, start, span);
        result.reason = why.anyone_booked ? UnavailableReason::kAllBooked
                        : why.anyone_off  ? UnavailableReason::kTimeOff
                                          : UnavailableReason::kOutsideWorkingHours;
      }
    }
    std::vector<absl::Time> starts = GridStarts(requested_day, policy);
    std::erase_if(starts, [&](absl::Time s) { return s == start || !bookable(s); });
    std::sort(starts.begin(), starts.end(), [start](absl::Time a, absl::Time b) {
      const absl::Duration da = absl::AbsDuration(a - start);
      const absl::Duration db = absl::AbsDuration(b - start);
      return da != db ? da < db : a < b;
    });
    for (absl::Time s : starts) {
      if (static_cast<int>(result.same_day.size()) >= policy.same_day_options) break;
      const Pick pick = PickTechnician(candidates, s, span);
      if (pick.technician != nullptr) result.same_day.push_back(OptionOf(*pick.technician, s, policy));
    }
  } else if (result.reason == UnavailableReason::kNone) {
    // Unreachable when bookable (a bookable start lies in range); kept as a safe default.
    result.reason = UnavailableReason::kBeyondHorizon;
  }

  // Other dates: nearest to the requested date first, the later one on equal distance.
  std::vector<absl::CivilDay> days;
  for (absl::CivilDay d = today; d <= last_day; ++d) {
    if (d != requested_day) days.push_back(d);
  }
  std::sort(days.begin(), days.end(), [requested_day](absl::CivilDay a, absl::CivilDay b) {
    const auto da = std::abs(a - requested_day);
    const auto db = std::abs(b - requested_day);
    return da != db ? da < db : a > b;
  });
  for (absl::CivilDay d : days) {
    if (static_cast<int>(result.other_days.size()) >= policy.other_day_options) break;
    const auto candidates = CandidatesOf(covering, d, tz, span);
    if (candidates.empty()) continue;
    int taken_this_day = 0;
    for (absl::Time s : GridStarts(d, policy)) {
      if (static_cast<int>(result.other_days.size()) >= policy.other_day_options) break;
      if (policy.options_per_other_day > 0 && taken_this_day >= policy.options_per_other_day) {
        break;
      }
      if (!bookable(s)) continue;
      const Pick pick = PickTechnician(candidates, s, span);
      if (pick.technician == nullptr) continue;
      result.other_days.push_back(OptionOf(*pick.technician, s, policy));
      ++taken_this_day;
    }
  }
  return result;
}

}  // namespace homevisit::domain
