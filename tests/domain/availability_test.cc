#include "domain/availability.h"

#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace homevisit::domain {

void PrintTo(const SlotOption& o, std::ostream* os) {
  *os << o.technician_id << " [" << o.window.start << ", " << o.window.end << ")";
}

namespace {

// Loaded at static-init time, before any test runs, so fail loudly rather than via EXPECT.
absl::TimeZone Zone(const char* name) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) {
    std::fprintf(stderr, "time zone %s missing (tzdata)\n", name);
    std::abort();
  }
  return tz;
}

const absl::TimeZone kMexicoCity = Zone("America/Mexico_City");
const absl::TimeZone kTijuana = Zone("America/Tijuana");

// 2026-03-01 is a Sunday, so 2026-03-02 is a Monday.
absl::Time Cdmx(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), kMexicoCity);
}

absl::Time Utc(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), absl::UTCTimeZone());
}

// Monday to Saturday, 09:00-18:00.
std::vector<WeeklyShift> WeekdayShifts() {
  std::vector<WeeklyShift> shifts;
  for (int d = 1; d <= 6; ++d) shifts.push_back({d, 9 * 60, 18 * 60});
  return shifts;
}

TechnicianCalendar Tech(std::string id) {
  TechnicianCalendar t;
  t.display_name = "Name " + id;
  t.technician_id = std::move(id);
  t.postal_codes = {"01000"};
  t.delegaciones = {"Álvaro Obregón"};
  t.weekly_shifts = WeekdayShifts();
  return t;
}

AvailabilityRequest At(absl::Time start) {
  return {{start, start + absl::Hours(2)}, "01000", "Álvaro Obregón"};
}

// Options as "MM-DD HH:MM tech" in local time: concrete and readable on failure.
std::vector<std::string> Describe(const std::vector<SlotOption>& options,
                                  absl::TimeZone tz = kMexicoCity) {
  std::vector<std::string> out;
  for (const SlotOption& o : options) {
    out.push_back(absl::FormatTime("%m-%d %H:%M ", o.window.start, tz) + o.technician_id);
  }
  return out;
}

using V = std::vector<std::string>;

class AvailabilityTest : public ::testing::Test {
 protected:
  SchedulingPolicy policy_;  // defaults: CDMX, 2h window, 1h visit, 30 min buffer, 14 days
  absl::Time now_ = Cdmx(3, 2, 7);  // Monday 07:00
};

TEST_F(AvailabilityTest, FreeRequestedWindow) {
  const Availability a = ComputeAvailability(At(Cdmx(3, 3, 10)), {Tech("t1")}, policy_, now_);
  EXPECT_TRUE(a.requested_available);
  EXPECT_EQ(a.reason, UnavailableReason::kNone);
  ASSERT_TRUE(a.requested.has_value());
  EXPECT_EQ(a.requested->window, (Interval{Cdmx(3, 3, 10), Cdmx(3, 3, 12)}));
  EXPECT_EQ(a.requested->technician_id, "t1");
  EXPECT_EQ(a.requested->technician_name, "Name t1");
  // Nearest first, equal distance earlier first, the requested start itself excluded.
  EXPECT_EQ(Describe(a.same_day), (V{"03-03 09:30 t1", "03-03 10:30 t1", "03-03 09:00 t1"}));
  EXPECT_EQ(a.same_day[0].window.end, Cdmx(3, 3, 11, 30));
}

TEST_F(AvailabilityTest, RequestedLengthIsReplacedByWindowLength) {
  AvailabilityRequest r = At(Cdmx(3, 3, 10));
  r.requested_window.end = Cdmx(3, 3, 10, 45);
  const Availability a = ComputeAvailability(r, {Tech("t1")}, policy_, now_);
  ASSERT_TRUE(a.requested.has_value());
  EXPECT_EQ(a.requested->window, (Interval{Cdmx(3, 3, 10), Cdmx(3, 3, 12)}));

  r.requested_window.end = Cdmx(3, 3, 9);  // ends before it starts
  const Availability bad = ComputeAvailability(r, {Tech("t1")}, policy_, now_);
  EXPECT_EQ(bad.reason, UnavailableReason::kInvalidWindow);
  EXPECT_FALSE(bad.requested_available);
  EXPECT_TRUE(bad.same_day.empty());
  EXPECT_TRUE(bad.other_days.empty());
}

TEST_F(AvailabilityTest, WindowCrossingShiftEnd) {
  // Window 16:00-18:00 plus a 1 h visit ends at 19:00, after the 18:00 shift end.
  const Availability a = ComputeAvailability(At(Cdmx(3, 3, 16)), {Tech("t1")}, policy_, now_);
  EXPECT_FALSE(a.requested_available);
  EXPECT_FALSE(a.requested.has_value());
  EXPECT_EQ(a.reason, UnavailableReason::kOutsideWorkingHours);
  EXPECT_EQ(Describe(a.same_day), (V{"03-03 15:00 t1", "03-03 14:30 t1", "03-03 14:00 t1"}));
  // 15:00 works: the visit ends 18:00 exactly; the travel buffer may run past the shift.
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), At(Cdmx(3, 3, 15)), policy_, now_),
            UnavailableReason::kNone);
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), At(Cdmx(3, 3, 15, 30)), policy_, now_),
            UnavailableReason::kOutsideWorkingHours);
}

TEST_F(AvailabilityTest, TimeOffBlocks) {
  TechnicianCalendar t = Tech("t1");
  t.time_off = {{Cdmx(3, 3, 8), Cdmx(3, 3, 13)}};
  const Availability a = ComputeAvailability(At(Cdmx(3, 3, 10)), {t}, policy_, now_);
  EXPECT_FALSE(a.requested_available);
  // A day off is not a full calendar: the reason says which.
  EXPECT_EQ(a.reason, UnavailableReason::kTimeOff);
  EXPECT_EQ(Describe(a.same_day), (V{"03-03 13:00 t1", "03-03 13:30 t1", "03-03 14:00 t1"}));
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 10)), policy_, now_), UnavailableReason::kTimeOff);
  // One technician off and another booked: booked wins (the calendar is full for those at work).
  TechnicianCalendar busy = Tech("t2");
  busy.busy = {{Cdmx(3, 3, 8), Cdmx(3, 3, 15)}};
  EXPECT_EQ(ComputeAvailability(At(Cdmx(3, 3, 10)), {t, busy}, policy_, now_).reason, UnavailableReason::kAllBooked);
}

TEST_F(AvailabilityTest, TravelBufferBlocksUntilItPasses) {
  EXPECT_EQ(OccupancyOf({Cdmx(3, 3, 9), Cdmx(3, 3, 11)}, policy_),
            (Interval{Cdmx(3, 3, 9), Cdmx(3, 3, 12, 30)}));
  TechnicianCalendar t = Tech("t1");
  t.busy = {OccupancyOf({Cdmx(3, 3, 9), Cdmx(3, 3, 11)}, policy_),      // until 12:30
            OccupancyOf({Cdmx(3, 3, 17), Cdmx(3, 3, 19)}, policy_)};    // from 17:00
  // Work ends 12:00 + visit; the buffer keeps the next window out until 12:30.
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 12)), policy_, now_),
            UnavailableReason::kAllBooked);
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 12, 30)), policy_, now_),
            UnavailableReason::kNone);
  // Our own buffer counts too: 13:30 occupies until 17:00 (touching is fine), 14:00 not.
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 13, 30)), policy_, now_),
            UnavailableReason::kNone);
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 14)), policy_, now_),
            UnavailableReason::kAllBooked);
  const Availability a = ComputeAvailability(At(Cdmx(3, 3, 12)), {t}, policy_, now_);
  EXPECT_EQ(a.reason, UnavailableReason::kAllBooked);
  EXPECT_EQ(Describe(a.same_day), (V{"03-03 12:30 t1", "03-03 13:00 t1", "03-03 13:30 t1"}));
}

TEST_F(AvailabilityTest, ZoneMismatch) {
  AvailabilityRequest r = At(Cdmx(3, 3, 10));
  r.postal_code = "06600";
  r.delegacion = "Cuauhtémoc";
  const Availability a = ComputeAvailability(r, {Tech("t1")}, policy_, now_);
  EXPECT_FALSE(a.requested_available);
  EXPECT_EQ(a.reason, UnavailableReason::kNoTechnicianCoversZone);
  EXPECT_TRUE(a.same_day.empty());
  EXPECT_TRUE(a.other_days.empty());
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), r, policy_, now_),
            UnavailableReason::kNoTechnicianCoversZone);

  r.delegacion = "  ALVARO   obregon ";  // delegación matches, case and accents ignored
  EXPECT_TRUE(ComputeAvailability(r, {Tech("t1")}, policy_, now_).requested_available);
  r.delegacion = "";
  r.postal_code = " 01000";  // postal code alone matches
  EXPECT_TRUE(ComputeAvailability(r, {Tech("t1")}, policy_, now_).requested_available);
  r.postal_code = "";  // nothing given covers nothing
  EXPECT_EQ(ComputeAvailability(r, {Tech("t1")}, policy_, now_).reason,
            UnavailableReason::kNoTechnicianCoversZone);
}

TEST(NormalizeZoneNameTest, FoldsCaseAccentsAndSpaces) {
  EXPECT_EQ(NormalizeZoneName("  Álvaro   OBREGÓN "), "alvaro obregon");
  EXPECT_EQ(NormalizeZoneName("Cuauhtémoc"), "cuauhtemoc");
  EXPECT_EQ(NormalizeZoneName("A\xCC\x81lvaro Obrego\xCC\x81n"), "alvaro obregon");  // NFD
  EXPECT_EQ(NormalizeZoneName("Ñuñoa"), "nunoa");
  EXPECT_EQ(NormalizeZoneName(""), "");
}

TEST_F(AvailabilityTest, RequestedTimeInThePast) {
  const Availability a = ComputeAvailability(At(Cdmx(3, 2, 6)), {Tech("t1")}, policy_, now_);
  EXPECT_FALSE(a.requested_available);
  EXPECT_EQ(a.reason, UnavailableReason::kInThePast);
  EXPECT_EQ(Describe(a.same_day), (V{"03-02 09:00 t1", "03-02 09:30 t1", "03-02 10:00 t1"}));
  // Sunday 03-01 is as near as Tuesday but already past.
  EXPECT_EQ(Describe(a.other_days), (V{"03-03 09:00 t1", "03-03 09:30 t1", "03-04 09:00 t1"}));
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), At(Cdmx(3, 2, 6, 59)), policy_, now_),
            UnavailableReason::kInThePast);
}

TEST_F(AvailabilityTest, BeyondTheHorizon) {
  // now + 14 days = Monday 03-16 07:00, so nothing on 03-16 itself; Sunday 03-15 has no shift.
  const Availability a = ComputeAvailability(At(Cdmx(3, 17, 10)), {Tech("t1")}, policy_, now_);
  EXPECT_FALSE(a.requested_available);
  EXPECT_EQ(a.reason, UnavailableReason::kBeyondHorizon);
  EXPECT_TRUE(a.same_day.empty());
  EXPECT_EQ(Describe(a.other_days), (V{"03-14 09:00 t1", "03-14 09:30 t1", "03-13 09:00 t1"}));
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), At(Cdmx(3, 16, 9)), policy_, now_),
            UnavailableReason::kBeyondHorizon);
}

TEST_F(AvailabilityTest, DayWithoutAnyTechnicianStillOffersOtherDays) {
  // Sunday 03-08: nobody works. Monday and Saturday are both one day away: later first.
  const Availability a = ComputeAvailability(At(Cdmx(3, 8, 10)), {Tech("t1"), Tech("t2")},
                                             policy_, now_);
  EXPECT_FALSE(a.requested_available);
  EXPECT_EQ(a.reason, UnavailableReason::kOutsideWorkingHours);
  EXPECT_TRUE(a.same_day.empty());
  EXPECT_EQ(Describe(a.other_days), (V{"03-09 09:00 t1", "03-09 09:30 t1", "03-07 09:00 t1"}));
}

TEST_F(AvailabilityTest, SameDayOrderedByDistanceFromRequestedStart) {
  TechnicianCalendar t = Tech("t1");
  // Occupancy is 3.5 h, so only 09:00, 09:30 (before) and 14:00..15:00 (after) stay free.
  t.busy = {{Cdmx(3, 3, 13), Cdmx(3, 3, 14)}};
  policy_.same_day_options = 5;
  const Availability a = ComputeAvailability(At(Cdmx(3, 3, 12)), {t}, policy_, now_);
  EXPECT_EQ(a.reason, UnavailableReason::kAllBooked);
  EXPECT_EQ(Describe(a.same_day), (V{"03-03 14:00 t1", "03-03 09:30 t1", "03-03 14:30 t1",
                                     "03-03 09:00 t1", "03-03 15:00 t1"}));
}

TEST_F(AvailabilityTest, OtherDaysNearestDateFirstThenEarliestTime) {
  TechnicianCalendar t = Tech("t1");
  t.time_off = {{Cdmx(3, 5, 0), Cdmx(3, 6, 0)}};  // Thursday off
  policy_.other_day_options = 5;
  // Requested Wednesday 03-04. Distance 1: Thursday (off), Tuesday; distance 2: Friday, then
  // Monday (today). At most two options per date.
  const Availability a = ComputeAvailability(At(Cdmx(3, 4, 10)), {t}, policy_, now_);
  EXPECT_TRUE(a.requested_available);
  EXPECT_EQ(Describe(a.other_days), (V{"03-03 09:00 t1", "03-03 09:30 t1", "03-06 09:00 t1",
                                       "03-06 09:30 t1", "03-02 09:00 t1"}));
}

TEST_F(AvailabilityTest, LoadBalancingThenSmallerId) {
  TechnicianCalendar a = Tech("a");
  TechnicianCalendar b = Tech("b");
  const AvailabilityRequest r = At(Cdmx(3, 3, 10));
  // Equal load: the smaller id.
  EXPECT_EQ(ComputeAvailability(r, {b, a}, policy_, now_).requested->technician_id, "a");
  // Busy time on another date does not count.
  a.busy = {{Cdmx(3, 4, 9), Cdmx(3, 4, 17)}};
  EXPECT_EQ(ComputeAvailability(r, {b, a}, policy_, now_).requested->technician_id, "a");
  // One hour busy that date (not clashing with the window): the less loaded "b" takes it.
  a.busy.push_back({Cdmx(3, 3, 16), Cdmx(3, 3, 17)});
  const Availability av = ComputeAvailability(r, {a, b}, policy_, now_);
  EXPECT_EQ(av.requested->technician_id, "b");
  EXPECT_EQ(av.requested->technician_name, "Name b");
  // "b" busier still, but then "a" is the only one free at 10:00.
  b.busy = {{Cdmx(3, 3, 9), Cdmx(3, 3, 12)}};
  EXPECT_EQ(ComputeAvailability(r, {a, b}, policy_, now_).requested->technician_id, "a");
}

TEST_F(AvailabilityTest, InactiveTechnicianIgnored) {
  TechnicianCalendar off = Tech("a");
  off.active = false;
  const AvailabilityRequest r = At(Cdmx(3, 3, 10));
  EXPECT_EQ(ComputeAvailability(r, {off}, policy_, now_).reason,
            UnavailableReason::kNoTechnicianCoversZone);
  EXPECT_EQ(CheckTechnicianWindow(off, r, policy_, now_),
            UnavailableReason::kNoTechnicianCoversZone);
  TechnicianCalendar on = Tech("z");
  on.busy = {{Cdmx(3, 3, 16), Cdmx(3, 3, 17)}};
  const Availability a = ComputeAvailability(r, {off, on}, policy_, now_);
  EXPECT_EQ(a.requested->technician_id, "z");
  for (const SlotOption& o : a.same_day) EXPECT_EQ(o.technician_id, "z");
  for (const SlotOption& o : a.other_days) EXPECT_EQ(o.technician_id, "z");
}

TEST_F(AvailabilityTest, ShiftsTouchingAcrossMidnightAreContinuous) {
  TechnicianCalendar t = Tech("t1");
  t.weekly_shifts = {{2, 20 * 60, 24 * 60}, {3, 0, 4 * 60}};  // Tue 20-24, Wed 00-04
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 3, 23)), policy_, now_),
            UnavailableReason::kNone);  // works until 02:00 Wednesday
  EXPECT_EQ(CheckTechnicianWindow(t, At(Cdmx(3, 4, 1, 30)), policy_, now_),
            UnavailableReason::kOutsideWorkingHours);  // would work until 04:30
}

TEST_F(AvailabilityTest, MexicoCityHasNoDaylightSavingTime) {
  // Under the pre-2023 rules 04-07 would have been UTC-5; now 09:00 is 15:00 UTC all year.
  EXPECT_EQ(Cdmx(1, 6, 9), Utc(1, 6, 15));
  EXPECT_EQ(Cdmx(4, 7, 9), Utc(4, 7, 15));
  EXPECT_EQ(SchedulingPolicy{}.time_zone, kMexicoCity);
  const absl::Time now = Utc(4, 1, 0);
  const Availability a = ComputeAvailability(At(Utc(4, 7, 15)), {Tech("t1")}, policy_, now);
  EXPECT_TRUE(a.requested_available);
  EXPECT_EQ(CheckTechnicianWindow(Tech("t1"), At(Utc(4, 7, 14, 30)), policy_, now),
            UnavailableReason::kOutsideWorkingHours);
}

class TijuanaTest : public ::testing::Test {
 protected:
  TijuanaTest() {
    policy_.time_zone = kTijuana;
    tech_ = Tech("t1");
    tech_.weekly_shifts.push_back({0, 9 * 60, 18 * 60});  // Sundays too
  }
  UnavailableReason Check(absl::Time start, absl::Time now) {
    return CheckTechnicianWindow(tech_, At(start), policy_, now);
  }
  SchedulingPolicy policy_;
  TechnicianCalendar tech_;
};

TEST_F(TijuanaTest, SpringForward) {
  const absl::Time now = Utc(3, 1, 0);
  // Saturday 03-07 09:00 PST = 17:00 UTC; Sunday 03-08 09:00 PDT = 16:00 UTC.
  EXPECT_EQ(Check(Utc(3, 7, 16), now), UnavailableReason::kOutsideWorkingHours);
  EXPECT_EQ(Check(Utc(3, 7, 17), now), UnavailableReason::kNone);
  EXPECT_EQ(Check(Utc(3, 8, 16), now), UnavailableReason::kNone);
  EXPECT_EQ(Check(Utc(3, 8, 15, 30), now), UnavailableReason::kOutsideWorkingHours);
  // Last window of the day: 15:00 PDT = 22:00 UTC.
  EXPECT_EQ(Check(Utc(3, 8, 22), now), UnavailableReason::kNone);
  EXPECT_EQ(Check(Utc(3, 8, 22, 30), now), UnavailableReason::kOutsideWorkingHours);
  const Availability a = ComputeAvailability(At(Utc(3, 8, 16)), {tech_}, policy_, now);
  EXPECT_EQ(Describe(a.same_day, kTijuana),
            (V{"03-08 09:30 t1", "03-08 10:00 t1", "03-08 10:30 t1"}));
  EXPECT_EQ(a.same_day[0].window.start, Utc(3, 8, 16, 30));
}

TEST_F(TijuanaTest, NightShiftOverTheSkippedHour) {
  // Sunday 03-08 00:00 PST (08:00 UTC) to 06:00 PDT (13:00 UTC): five real hours; the local
  // 02:00 and 02:30 grid points do not exist.
  tech_.weekly_shifts = {{0, 0, 6 * 60}};
  const absl::Time now = Utc(3, 1, 0);
  EXPECT_EQ(Check(Utc(3, 8, 10), now), UnavailableReason::kNone);  // 03:00 PDT
  EXPECT_EQ(Check(Utc(3, 8, 10, 30), now), UnavailableReason::kOutsideWorkingHours);
  policy_.same_day_options = 10;
  const Availability a = ComputeAvailability(At(Utc(3, 8, 8)), {tech_}, policy_, now);
  EXPECT_TRUE(a.requested_available);
  EXPECT_EQ(Describe(a.same_day, kTijuana),
            (V{"03-08 00:30 t1", "03-08 01:00 t1", "03-08 01:30 t1", "03-08 03:00 t1"}));
  EXPECT_EQ(a.same_day.back().window.start, Utc(3, 8, 10));
}

TEST_F(TijuanaTest, FallBack) {
  const absl::Time now = Utc(10, 25, 0);
  // Saturday 10-31 09:00 PDT = 16:00 UTC; Sunday 11-01 09:00 PST = 17:00 UTC.
  EXPECT_EQ(Check(Utc(10, 31, 16), now), UnavailableReason::kNone);
  EXPECT_EQ(Check(Utc(11, 1, 16), now), UnavailableReason::kOutsideWorkingHours);
  EXPECT_EQ(Check(Utc(11, 1, 17), now), UnavailableReason::kNone);
  const Availability a = ComputeAvailability(At(Utc(11, 1, 16)), {tech_}, policy_, now);
  EXPECT_EQ(a.reason, UnavailableReason::kOutsideWorkingHours);
  EXPECT_EQ(a.same_day.front().window.start, Utc(11, 1, 17));
  EXPECT_EQ(Describe(a.same_day, kTijuana),
            (V{"11-01 09:00 t1", "11-01 09:30 t1", "11-01 10:00 t1"}));
}

// Random calendars checked against a brute-force reading of the rules: a technician is free at
// s when every 15-minute granule of [s, s + window + visit) lies in one of their shifts and no
// appointment, hold or time off touches [s, s + window + visit + buffer). Whatever shortcuts
// the computation takes (pruning whole dates, binary searches), its answers must be these.
class AvailabilityModelTest : public AvailabilityTest {
 protected:
  bool OnShift(const TechnicianCalendar& t, absl::Time at) const {
    const absl::CivilMinute local = absl::ToCivilMinute(at, policy_.time_zone);
    const int weekday = (static_cast<int>(absl::GetWeekday(absl::CivilDay(local))) + 1) % 7;
    const int minute = local.hour() * 60 + local.minute();
    for (const WeeklyShift& s : t.weekly_shifts) {
      if (s.weekday == weekday && s.start_minute <= minute && minute < s.end_minute) return true;
    }
    return false;
  }
  bool Free(const TechnicianCalendar& t, absl::Time s) const {
    const absl::Time work_end = s + policy_.window_length + policy_.visit_length;
    for (absl::Time g = s; g < work_end; g += absl::Minutes(15)) {
      if (!OnShift(t, g)) return false;
    }
    const absl::Time occupied_end = work_end + policy_.travel_buffer;
    for (const auto* list : {&t.busy, &t.time_off}) {
      for (const Interval& i : *list) {
        if (i.start < occupied_end && s < i.end) return false;
      }
    }
    return true;
  }
  bool AnyoneFree(const std::vector<TechnicianCalendar>& techs, absl::Time s) const {
    for (const auto& t : techs) {
      if (Free(t, s)) return true;
    }
    return false;
  }
  const TechnicianCalendar* Find(const std::vector<TechnicianCalendar>& techs, const std::string& id) const {
    for (const auto& t : techs) {
      if (t.technician_id == id) return &t;
    }
    return nullptr;
  }
  // Up to two random shifts a weekday, up to `max_busy` busy stretches (15 min to 4 h) and up to
  // three absences (1 to 24 h), starting on the 15-minute grid within `days` days from `first`.
  template <typename Uniform>
  static TechnicianCalendar RandomTechnician(std::string id, const Uniform& uniform, absl::Time first, int days,
                                             int max_busy) {
    TechnicianCalendar t = Tech(std::move(id));
    t.weekly_shifts.clear();
    for (int d = 0; d < 7; ++d) {
      for (int n = uniform(0, 2); n > 0; --n) {
        const int start = uniform(0, 40) * 30;
        t.weekly_shifts.push_back({d, start, std::min(24 * 60, start + uniform(2, 24) * 30)});
      }
    }
    for (int n = uniform(0, max_busy); n > 0; --n) {
      const absl::Time b = first + absl::Minutes(15) * uniform(0, days * 96);
      t.busy.push_back({b, b + absl::Minutes(15) * uniform(1, 16)});
    }
    for (int n = uniform(0, 3); n > 0; --n) {
      const absl::Time b = first + absl::Minutes(15) * uniform(0, days * 96);
      t.time_off.push_back({b, b + absl::Minutes(15) * uniform(4, 96)});
    }
    return t;
  }

  std::vector<absl::Time> Grid(absl::CivilDay day) const {
    std::vector<absl::Time> out;
    for (int m = 0; m < 24 * 60; m += 30) out.push_back(absl::FromCivil(absl::CivilMinute(day) + m, policy_.time_zone));
    return out;
  }
};

TEST_F(AvailabilityModelTest, RandomCalendarsGetExactlyTheAnswersOfTheRules) {
  std::mt19937 random(20261202);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  const absl::CivilDay today = absl::ToCivilDay(now_, policy_.time_zone);
  for (int round = 0; round < 300; ++round) {
    std::vector<TechnicianCalendar> techs;
    const int count = uniform(1, 6);
    for (int i = 0; i < count; ++i) {
      techs.push_back(RandomTechnician("t" + std::to_string(i), uniform, absl::FromCivil(today, policy_.time_zone), 15, 60));
    }
    const absl::CivilDay requested_day = today + uniform(0, 14);
    const absl::Time start = absl::FromCivil(absl::CivilMinute(requested_day) + uniform(0, 47) * 30, policy_.time_zone);
    const Availability a = ComputeAvailability(At(start), techs, policy_, now_);
    SCOPED_TRACE("round " + std::to_string(round));
    const auto bookable = [&](absl::Time s) { return now_ <= s && s <= now_ + policy_.horizon; };

    if (bookable(start)) {
      EXPECT_EQ(a.requested_available, AnyoneFree(techs, start));
      if (a.requested_available) {
        EXPECT_TRUE(Free(*Find(techs, a.requested->technician_id), start));
      }
    }
    // Same day: the nearest grid starts anyone is free at, each given to someone free then.
    std::vector<absl::Time> starts = Grid(requested_day);
    std::erase_if(starts, [&](absl::Time s) { return s == start || !bookable(s) || !AnyoneFree(techs, s); });
    std::stable_sort(starts.begin(), starts.end(), [&](absl::Time x, absl::Time y) {
      return absl::AbsDuration(x - start) < absl::AbsDuration(y - start);
    });
    if (starts.size() > 3) starts.resize(3);
    ASSERT_EQ(a.same_day.size(), starts.size());
    for (size_t i = 0; i < starts.size(); ++i) {
      EXPECT_EQ(a.same_day[i].window.start, starts[i]);
      EXPECT_TRUE(Free(*Find(techs, a.same_day[i].technician_id), starts[i]));
    }
    // Other days: nearest date first (the later on a tie), the earliest two starts per date.
    std::vector<absl::Time> expected;
    for (int distance = 1; distance <= 15 && expected.size() < 3; ++distance) {
      for (absl::CivilDay d : {requested_day + distance, requested_day - distance}) {
        if (d < today || d > today + 14) continue;
        int taken = 0;
        for (absl::Time s : Grid(d)) {
          if (expected.size() >= 3 || taken >= 2) break;
          if (bookable(s) && AnyoneFree(techs, s)) {
            expected.push_back(s);
            ++taken;
          }
        }
      }
    }
    ASSERT_EQ(a.other_days.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(a.other_days[i].window.start, expected[i]);
      EXPECT_TRUE(Free(*Find(techs, a.other_days[i].technician_id), expected[i]));
    }
  }
}

// Day summaries (what the calendar index precomputes per load) are a shortcut, never a different
// answer: the same random calendars, with and without them, in a zone with daylight saving time
// too, with summaries over part of the horizon (the rest is computed), over all of it, and made
// for another span (ignored).
TEST_F(AvailabilityModelTest, DaySummariesChangeNoAnswer) {
  std::mt19937 random(20261203);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    SchedulingPolicy policy = policy_;
    absl::Time now = now_;
    if (round % 2 == 1) {  // across Tijuana's change to daylight saving time (2026-03-08)
      policy.time_zone = kTijuana;
      now = absl::FromCivil(absl::CivilMinute(2026, 3, 1, 7, 0), kTijuana);
    }
    const absl::CivilDay today = absl::ToCivilDay(now, policy.time_zone);
    std::vector<TechnicianCalendar> plain;
    const int count = uniform(1, 8);
    for (int i = 0; i < count; ++i) {
      plain.push_back(RandomTechnician("t" + std::to_string(i), uniform, absl::FromCivil(today - 1, policy.time_zone), 17, 80));
    }
    std::vector<TechnicianCalendar> summarized = plain;
    const int variant = uniform(0, 2);
    for (TechnicianCalendar& t : summarized) {
      if (variant == 0) {
        SummarizeDays(t, policy, today + uniform(-2, 7), today + uniform(3, 16));
      } else if (variant == 1) {
        SummarizeDays(t, policy, today - 2, today + 17);
      } else {
        SchedulingPolicy other = policy;
        other.travel_buffer += absl::Minutes(15);
        SummarizeDays(t, other, today - 2, today + 17);
      }
    }
    const absl::CivilDay requested_day = today + uniform(0, 14);
    const absl::Time start =
        absl::FromCivil(absl::CivilMinute(requested_day) + uniform(0, 47) * 30, policy.time_zone);
    const Availability a = ComputeAvailability(At(start), plain, policy, now);
    const Availability b = ComputeAvailability(At(start), summarized, policy, now);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.requested_available, b.requested_available);
    EXPECT_EQ(a.requested, b.requested);
    EXPECT_EQ(a.same_day, b.same_day);
    EXPECT_EQ(a.other_days, b.other_days);
  }
}

TEST_F(AvailabilityTest, CoveringKnownSkipsTheZoneCheckTheCallerVouchedFor) {
  TechnicianCalendar elsewhere = Tech("t1");
  elsewhere.postal_codes = {"99999"};
  elsewhere.delegaciones.clear();
  AvailabilityRequest request = At(Cdmx(3, 2, 10));
  EXPECT_EQ(ComputeAvailability(request, std::vector<TechnicianCalendar>{elsewhere}, policy_, now_).reason,
            UnavailableReason::kNoTechnicianCoversZone);
  request.covering_known = true;  // a calendar source selected it for this zone: taken as covering
  const Availability a = ComputeAvailability(request, std::vector<TechnicianCalendar>{elsewhere}, policy_, now_);
  EXPECT_TRUE(a.requested_available);
  ASSERT_TRUE(a.requested.has_value());
  EXPECT_EQ(a.requested->technician_id, "t1");
}

TEST_F(AvailabilityTest, DaySummariesSayWhichDatesMayFitAndTheirBusyTime) {
  TechnicianCalendar t = Tech("t1");  // Monday to Saturday 09:00-18:00
  t.busy.push_back({Cdmx(3, 3, 9), Cdmx(3, 3, 18)});    // Tuesday: booked all day
  t.busy.push_back({Cdmx(3, 4, 9), Cdmx(3, 4, 10)});    // Wednesday: one hour
  t.busy.push_back({Cdmx(3, 4, 23), Cdmx(3, 5, 1)});    // and one hour each side of midnight
  SummarizeDays(t, policy_, absl::CivilDay(2026, 3, 2), absl::CivilDay(2026, 3, 8));
  ASSERT_EQ(t.day_summaries.days.size(), 7u);
  EXPECT_EQ(t.day_summaries.first, absl::CivilDay(2026, 3, 2));
  const auto& days = t.day_summaries.days;
  EXPECT_TRUE(days[0].may_fit());  // Monday, free
  EXPECT_EQ(days[0].earliest, Cdmx(3, 2, 9));
  EXPECT_EQ(days[0].latest, Cdmx(3, 2, 15));  // 18:00 less window and visit
  EXPECT_EQ(days[0].busy, absl::ZeroDuration());
  EXPECT_FALSE(days[1].may_fit());  // Tuesday, booked
  EXPECT_EQ(days[1].busy, absl::Hours(9));
  EXPECT_TRUE(days[2].may_fit());
  EXPECT_EQ(days[2].earliest, Cdmx(3, 4, 10));  // after the 09:00-10:00 appointment
  EXPECT_EQ(days[2].busy, absl::Hours(2));
  EXPECT_EQ(days[3].busy, absl::Hours(1));
  EXPECT_FALSE(days[6].may_fit());  // Sunday: no shift
  EXPECT_EQ(t.busy_prefix.size(), t.busy.size() + 1);  // PrepareBusy was done on the way

  SchedulingPolicy long_visit = policy_;
  long_visit.visit_length = absl::Hours(11);  // window + visit over 12 hours: not summarized
  SummarizeDays(t, long_visit, absl::CivilDay(2026, 3, 2), absl::CivilDay(2026, 3, 8));
  EXPECT_TRUE(t.day_summaries.days.empty());
}

}  // namespace
}  // namespace homevisit::domain
