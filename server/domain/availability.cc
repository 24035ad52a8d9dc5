#include "domain/availability.h"

#include <algorithm>
#include <deque>
#include <memory>
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
  // Merged lists: the calendar's own when PrepareBusy prepared it (no copy), else `own`'s.
  const std::vector<Interval>* time_off = nullptr;  // to tell a day off from a full calendar
  const std::vector<Interval>* busy = nullptr;      // appointments and holds: the load-balancing measure
  const std::vector<absl::Duration>* prefix = nullptr;  // prefix[i] = total length of busy[0, i)
  const std::vector<Interval>* blocked = nullptr;       // busy and time off
  struct Lists {
    std::vector<Interval> time_off, busy, blocked;
    std::vector<absl::Duration> prefix;
  };
  std::unique_ptr<Lists> own;  // on the heap: what the pointers above point to stays put on a move
  // The calendar's day summaries when they were made for this computation's time zone and span,
  // and the day number (days since 1970-01-01) of their first date.
  const DaySummaries* summaries = nullptr;
  int64_t summaries_first = 0;

  // The summary of the date with this day number, when the calendar has one that applies.
  const DaySummary* SummaryOf(int64_t day_number) const {
    if (summaries == nullptr) return nullptr;
    const int64_t i = day_number - summaries_first;
    if (i < 0 || i >= static_cast<int64_t>(summaries->days.size())) return nullptr;
    return &summaries->days[static_cast<size_t>(i)];
  }

  // Busy time within [a, b).
  absl::Duration BusyWithin(absl::Time a, absl::Time b) const {
    const auto first = FirstEndingAfter(*busy, a);
    const auto last = std::partition_point(first, busy->cend(),
                                           [b](const Interval& i) { return i.start < b; });
    if (first == last) return absl::ZeroDuration();
    absl::Duration total = (*prefix)[last - busy->begin()] - (*prefix)[first - busy->begin()];
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

  // Looked up by a hash of the pattern, without allocating (this runs once per technician),
  // unless it is the previous technician's pattern.
  const std::vector<Interval>& Of(const std::vector<WeeklyShift>& weekly) {
    if (last_weekly_ != nullptr && Same(*last_weekly_, weekly)) return *last_;
    last_weekly_ = &weekly;
    last_ = &Find(weekly);
    return *last_;
  }

 private:
  const std::vector<Interval>& Find(const std::vector<WeeklyShift>& weekly) {
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
  const std::vector<WeeklyShift>* last_weekly_ = nullptr;  // the previous technician's, still alive
  const std::vector<Interval>* last_ = nullptr;            // and its stretches
};

// Merged `a` and `b`.
std::vector<Interval> Union(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> both;
  both.reserve(a.size() + b.size());
  both.insert(both.end(), a.begin(), a.end());
  both.insert(both.end(), b.begin(), b.end());
  return Merged(std::move(both));
}

PreparedTechnician Prepare(const TechnicianCalendar& calendar, ShiftStretches& shifts) {
  PreparedTechnician p;
  p.calendar = &calendar;
  p.on_shift = &shifts.Of(calendar.weekly_shifts);
  if (calendar.busy_prefix.size() == calendar.busy.size() + 1) {  // PrepareBusy's: nothing to build
    p.busy = &calendar.busy;
    p.prefix = &calendar.busy_prefix;
    p.time_off = &calendar.time_off;
    p.blocked = calendar.time_off.empty() ? &calendar.busy : &calendar.busy_and_time_off;
    return p;
  }
  p.own = std::make_unique<PreparedTechnician::Lists>();
  PreparedTechnician::Lists& own = *p.own;
  if (IsMerged(calendar.busy)) {
    p.busy = &calendar.busy;
  } else {
    own.busy = Merged(calendar.busy);
    p.busy = &own.busy;
  }
  own.prefix = PrefixSums(*p.busy);
  p.prefix = &own.prefix;
  own.time_off = Merged(calendar.time_off);
  p.time_off = &own.time_off;
  if (own.time_off.empty()) {
    p.blocked = p.busy;
  } else {
    own.blocked = Union(*p.busy, own.time_off);
    p.blocked = &own.blocked;
  }
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
  if (Intersects(*t.blocked, start, occupied_end)) {
    return Intersects(*t.time_off, start, occupied_end) ? Fit::kTimeOff : Fit::kBlocked;
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

int64_t DayNumber(absl::CivilDay day) { return day - absl::CivilDay(1970, 1, 1); }

// Where the starts of one date that may fit `t` lie: `earliest` is the first start in
// [from, to) that fits (on shift for the whole visit, nothing blocked through the travel buffer),
// ignoring the grid, found with one pass over the date's intervals; no start after `latest` can
// fit. On a fully booked date, earliest is InfiniteFuture and the technician is dropped before
// any start is tried.
DaySummary SummarizeDay(const PreparedTechnician& t, absl::Time from, absl::Time to, const VisitSpan& span) {
  DaySummary day;
  day.busy = t.BusyWithin(from, to);
  const absl::Duration work = span.work;
  const absl::Duration occupied = span.occupied;
  const std::vector<Interval>& shifts = *t.on_shift;
  for (auto shift = FirstEndingAfter(shifts, from); shift != shifts.end() && shift->start < to; ++shift) {
    const absl::Time last = std::min(shift->end - work, to - absl::Nanoseconds(1));  // latest start
    if (last < shift->start || last < from) continue;
    day.latest = last;  // stretches are in order: the last one with room bounds every start
    if (day.may_fit()) continue;
    absl::Time s = std::max(shift->start, from);
    for (auto b = FirstEndingAfter(*t.blocked, s); s <= last; ++b) {
      if (b == t.blocked->end() || b->start >= s + occupied) {
        day.earliest = s;
        break;
      }
      s = b->end;  // the earliest start after this blocked stretch (merged: the next ends later)
    }
  }
  if (!day.may_fit()) day.latest = absl::InfinitePast();
  return day;
}

// One technician of a date's roster, with their busy time that date and where their fitting
// starts of that date lie.
struct Candidate {
  absl::Duration busy;
  const PreparedTechnician* technician;
  absl::Time earliest;
  absl::Time latest;
};

// The covering technicians that may fit some start of one date, in the order in which they are
// offered: least busy that date first, then by id. Sorted as far as it is read: most starts go
// to one of the first few, so sorting hundreds each date would be wasted.
class Roster {
 public:
  void Add(const Candidate& c) {
    candidates_.push_back(c);
    earliest_ = std::min(earliest_, c.earliest);
    latest_ = std::max(latest_, c.latest);
  }
  bool empty() const { return candidates_.empty(); }

  // The first in offer order free at `start` (null: nobody). Those whose fitting starts of the
  // date lie elsewhere are passed over without a look at their calendar.
  const PreparedTechnician* Pick(absl::Time start, const VisitSpan& span) {
    if (start < earliest_ || latest_ < start) return nullptr;
    for (size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& c = InOrder(i);
      if (start < c.earliest || c.latest < start) continue;
      if (FitAt(*c.technician, start, span) == Fit::kFree) return c.technician;
    }
    return nullptr;
  }

 private:
  // candidates_[i], with candidates_[0, i] the least of all in offer order. Techs were added in
  // id order, so on equal load the earlier element (smaller address) has the smaller id.
  const Candidate& InOrder(size_t i) {
    if (i >= sorted_) {
      const size_t upto = std::min(candidates_.size(), std::max({i + 1, sorted_ * 2, size_t{16}}));
      std::partial_sort(candidates_.begin() + static_cast<std::ptrdiff_t>(sorted_),
                        candidates_.begin() + static_cast<std::ptrdiff_t>(upto), candidates_.end(),
                        [](const Candidate& a, const Candidate& b) {
                          return a.busy != b.busy ? a.busy < b.busy : a.technician < b.technician;
                        });
      sorted_ = upto;
    }
    return candidates_[i];
  }

  std::vector<Candidate> candidates_;
  size_t sorted_ = 0;
  absl::Time earliest_ = absl::InfiniteFuture();  // of any candidate
  absl::Time latest_ = absl::InfinitePast();
};

// The date's roster (see Roster). On a fully booked date it is empty at the cost of a few
// searches per technician (or none, from the calendars' day summaries). `techs` sorted by id.
Roster CandidatesOf(const std::vector<PreparedTechnician>& techs, absl::CivilDay day, absl::TimeZone tz,
                    const VisitSpan& span) {
  const absl::Time from = StartOfDay(day, tz);
  const absl::Time to = StartOfDay(day + 1, tz);
  const int64_t day_number = DayNumber(day);
  Roster roster;
  const auto add = [&](const PreparedTechnician& t, const DaySummary& summary) {
    if (summary.may_fit()) roster.Add({summary.busy, &t, summary.earliest, summary.latest});
  };
  for (const PreparedTechnician& t : techs) {
    if (const DaySummary* known = t.SummaryOf(day_number)) add(t, *known);
    else add(t, SummarizeDay(t, from, to, span));
  }
  return roster;
}

struct Why {
  bool anyone_booked = false;    // someone on shift and working then, but busy
  bool anyone_off = false;       // someone on shift then, but on time off
};

// Why nobody can take a window starting at `start`: asked of every covering technician (those
// off shift then answer kOffShift, which sets no flag).
Why WhyNot(const std::vector<PreparedTechnician>& techs, absl::Time start, const VisitSpan& span) {
  Why why;
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
  calendar.time_off = Merged(std::move(calendar.time_off));
  calendar.busy_and_time_off.clear();
  if (!calendar.time_off.empty()) calendar.busy_and_time_off = Union(calendar.busy, calendar.time_off);
}

void SummarizeDays(TechnicianCalendar& calendar, const SchedulingPolicy& policy, absl::CivilDay first,
                   absl::CivilDay last) {
  calendar.day_summaries = DaySummaries{};
  const VisitSpan span(policy);
  // Within 12 hours, a date's answer only depends on the shifts of the dates next to it, which
  // every computation expands (LocalDays reaches one date beyond its range on each side).
  if (!PolicyValid(policy) || span.work > absl::Hours(12) || last < first) return;
  if (calendar.busy_prefix.size() != calendar.busy.size() + 1) PrepareBusy(calendar);
  const LocalDays local(policy.time_zone, first, last);
  ShiftStretches shifts(local);
  const PreparedTechnician t = Prepare(calendar, shifts);
  DaySummaries summaries{policy.time_zone, span.work, span.occupied, first, {}};
  summaries.days.reserve(static_cast<size_t>(last - first + 1));
  for (absl::CivilDay day = first; day <= last; ++day) {
    const absl::Time from = StartOfDay(day, policy.time_zone);
    const absl::Time to = StartOfDay(day + 1, policy.time_zone);
    summaries.days.push_back(SummarizeDay(t, from, to, span));
  }
  calendar.day_summaries = std::move(summaries);
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
    if (!request.covering_known && !Covers(*t, zone)) continue;
    PreparedTechnician& p = covering.emplace_back(Prepare(*t, shifts));
    const DaySummaries& summaries = t->day_summaries;
    if (!summaries.days.empty() && summaries.time_zone == tz && summaries.work == span.work &&
        summaries.occupied == span.occupied) {
      p.summaries = &summaries;
      p.summaries_first = DayNumber(summaries.first);
    }
  }
  // In id order once, so every date's roster breaks ties by position instead of comparing ids.
  // Sources mostly hand them over in that order already.
  const auto by_id = [](const PreparedTechnician& a, const PreparedTechnician& b) {
    return a.calendar->technician_id < b.calendar->technician_id;
  };
  if (!std::is_sorted(covering.begin(), covering.end(), by_id)) std::sort(covering.begin(), covering.end(), by_id);
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
    Roster candidates = CandidatesOf(covering, requested_day, tz, span);
    if (result.reason == UnavailableReason::kNone) {
      if (const PreparedTechnician* t = candidates.Pick(start, span)) {
        result.requested_available = true;
        result.requested = OptionOf(*t, start, policy);
      } else {
        // Nobody fits: why not is asked of everyone, not only of the candidates.
        const Why why = WhyNot(covering, start, span);
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
      if (const PreparedTechnician* t = candidates.Pick(s, span)) {
        result.same_day.push_back(OptionOf(*t, s, policy));
      }
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
    Roster candidates = CandidatesOf(covering, d, tz, span);
    if (candidates.empty()) continue;
    int taken_this_day = 0;
    for (absl::Time s : GridStarts(d, policy)) {
      if (static_cast<int>(result.other_days.size()) >= policy.other_day_options) break;
      if (policy.options_per_other_day > 0 && taken_this_day >= policy.options_per_other_day) {
        break;
      }
      if (!bookable(s)) continue;
      const PreparedTechnician* t = candidates.Pick(s, span);
      if (t == nullptr) continue;
      result.other_days.push_back(OptionOf(*t, s, policy));
      ++taken_this_day;
    }
  }
  return result;
}

}  // namespace homevisit::domain
