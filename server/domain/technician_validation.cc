#include "domain/technician_validation.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace homevisit::domain {
namespace {

bool IsEmployeeNumber(absl::string_view value) {
  if (value.empty() || value.size() > kMaxEmployeeNumberChars) return false;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

std::string Item(absl::string_view list, size_t index) { return absl::StrCat(list, "[", index, "]"); }

// Reports the first earlier item equal to items[i], so each repeated value is named once.
template <typename T>
bool RepeatsEarlier(const std::vector<T>& items, size_t i, size_t* earlier) {
  for (size_t j = 0; j < i; ++j) {
    if (items[j] == items[i]) {
      *earlier = j;
      return true;
    }
  }
  return false;
}

void ValidatePostalCodes(const std::vector<std::string>& codes, Violations& v) {
  if (codes.size() > kMaxPostalCodes) {
    v.Add("postal_codes", absl::StrCat("must hold at most ", kMaxPostalCodes, " postal codes"));
    return;
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    size_t earlier = 0;
    if (!IsPostalCode(codes[i])) {
      v.Add(Item("postal_codes", i), "must be exactly five digits");
    } else if (RepeatsEarlier(codes, i, &earlier)) {
      v.Add(Item("postal_codes", i), absl::StrCat("repeats ", Item("postal_codes", earlier)));
    }
  }
}

void ValidateDelegaciones(const std::vector<std::string>& delegaciones, Violations& v) {
  if (delegaciones.size() > kMaxDelegaciones) {
    v.Add("delegaciones", absl::StrCat("must hold at most ", kMaxDelegaciones, " delegaciones"));
    return;
  }
  for (size_t i = 0; i < delegaciones.size(); ++i) {
    size_t before = v.list().size();
    v.RequireText(Item("delegaciones", i), delegaciones[i], kMaxZoneChars);
    size_t earlier = 0;
    if (v.list().size() == before && RepeatsEarlier(delegaciones, i, &earlier)) {
      v.Add(Item("delegaciones", i), absl::StrCat("repeats ", Item("delegaciones", earlier)));
    }
  }
}

bool IsValidShift(const WorkingHours& h) {
  return h.weekday >= 0 && h.weekday <= 6 && h.start_minute >= 0 && h.start_minute < h.end_minute &&
         h.end_minute <= kMinutesPerDay;
}

void ValidateWorkingHours(const std::vector<WorkingHours>& hours, Violations& v) {
  if (hours.size() > kMaxWorkingHours) {
    v.Add("working_hours", absl::StrCat("must hold at most ", kMaxWorkingHours, " shifts"));
    return;
  }
  for (size_t i = 0; i < hours.size(); ++i) {
    const WorkingHours& h = hours[i];
    std::string item = Item("working_hours", i);
    if (h.weekday < 0 || h.weekday > 6) v.Add(item + ".day_of_week", "is required: MONDAY to SUNDAY");
    bool start_ok = h.start_minute >= 0 && h.start_minute < kMinutesPerDay;
    bool end_ok = h.end_minute > 0 && h.end_minute <= kMinutesPerDay;
    if (!start_ok) v.Add(item + ".start_time", "must be a time of day from 00:00 to 23:59 in whole minutes");
    if (!end_ok) {
      v.Add(item + ".end_time", "must be a time of day from 00:01 to 24:00 in whole minutes");
    } else if (start_ok && h.end_minute <= h.start_minute) {
      v.Add(item + ".end_time", "must be after start_time");
    }
    if (!IsValidShift(h)) continue;
    for (size_t j = 0; j < i; ++j) {
      const WorkingHours& other = hours[j];
      if (IsValidShift(other) && other.weekday == h.weekday && other.start_minute < h.end_minute &&
          h.start_minute < other.end_minute) {
        v.Add(item, absl::StrCat("overlaps ", Item("working_hours", j), " on the same weekday"));
        break;
      }
    }
  }
}

bool IsValidAbsence(const TimeOff& off) {
  return off.start != absl::InfinitePast() && off.end != absl::InfinitePast() && off.end > off.start;
}

void ValidateTimeOff(const std::vector<TimeOff>& time_off, Violations& v) {
  if (time_off.size() > kMaxTimeOff) {
    v.Add("time_off", absl::StrCat("must hold at most ", kMaxTimeOff, " absences"));
    return;
  }
  for (size_t i = 0; i < time_off.size(); ++i) {
    const TimeOff& off = time_off[i];
    std::string item = Item("time_off", i);
    bool has_start = off.start != absl::InfinitePast();
    if (!has_start) v.Add(item + ".start_time", "is required");
    if (off.end == absl::InfinitePast()) {
      v.Add(item + ".end_time", "is required");
    } else if (has_start && off.end <= off.start) {
      v.Add(item + ".end_time", "must be after start_time");
    }
    v.OptionalText(item + ".reason", off.reason, kMaxTimeOffReasonChars);
    if (!IsValidAbsence(off)) continue;
    // Absences are keyed by their start; overlapping ones would only say the same thing twice.
    for (size_t j = 0; j < i; ++j) {
      const TimeOff& other = time_off[j];
      if (IsValidAbsence(other) && other.start < off.end && off.start < other.end) {
        v.Add(item, absl::StrCat("overlaps ", Item("time_off", j)));
        break;
      }
    }
  }
}

}  // namespace

void ValidateTechnicianFields(const Technician& t, const std::set<std::string>& fields, Violations& v) {
  auto wanted = [&](const char* field) { return fields.count(field) > 0; };
  if (wanted("display_name")) v.RequireText("display_name", t.display_name, kMaxTechnicianNameChars);
  if (wanted("employee_number")) {
    if (IsBlank(t.employee_number)) {
      v.Add("employee_number", "is required");
    } else if (!IsEmployeeNumber(t.employee_number)) {
      v.Add("employee_number", "must be 1-32 letters, digits or dashes");
    }
  }
  if (wanted("official_id_type") &&
      (t.official_id_type < kMinOfficialIdType || t.official_id_type > kMaxOfficialIdType)) {
    v.Add("official_id_type", "is required: the type of official ID the technician carries");
  }
  if (wanted("mobile_phone")) {
    if (IsBlank(t.mobile_phone)) {
      v.Add("mobile_phone", "is required");
    } else if (!IsMexicanPhone(t.mobile_phone)) {
      v.Add("mobile_phone", "must be a 10-digit phone number");
    }
  }
  if (wanted("postal_codes")) ValidatePostalCodes(t.postal_codes, v);
  if (wanted("delegaciones")) ValidateDelegaciones(t.delegaciones, v);
  if (wanted("working_hours")) ValidateWorkingHours(t.working_hours, v);
  if (wanted("time_off")) ValidateTimeOff(t.time_off, v);
}

void ValidateNewTechnician(const Technician& t, Violations& v) {
  std::set<std::string> all = UpdatableTechnicianPaths();
  all.insert("employee_number");
  ValidateTechnicianFields(t, all, v);
}

void NormalizeSchedule(Technician& t) {
  std::sort(t.postal_codes.begin(), t.postal_codes.end());
  std::sort(t.delegaciones.begin(), t.delegaciones.end());
  std::sort(t.working_hours.begin(), t.working_hours.end(), [](const WorkingHours& a, const WorkingHours& b) {
    return std::tie(a.weekday, a.start_minute, a.end_minute) < std::tie(b.weekday, b.start_minute, b.end_minute);
  });
  std::sort(t.time_off.begin(), t.time_off.end(), [](const TimeOff& a, const TimeOff& b) {
    return std::tie(a.start, a.end) < std::tie(b.start, b.end);
  });
}

}  // namespace homevisit::domain
