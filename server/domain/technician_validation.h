#pragma once
// Validation of a technician's data and schedule (SPEC §3): every bad field at once.
#include <set>
#include <string>

#include "domain/technician.h"
#include "domain/text_rules.h"

namespace homevisit::domain {

inline constexpr size_t kMaxTechnicianNameChars = 100;
inline constexpr size_t kMaxEmployeeNumberChars = 32;
inline constexpr size_t kMaxZoneChars = 200;
inline constexpr size_t kMaxTimeOffReasonChars = 200;
inline constexpr int kMinutesPerDay = 24 * 60;
// Caps on list sizes keep one technician's row set (and the availability scan) bounded.
inline constexpr size_t kMaxPostalCodes = 500;
inline constexpr size_t kMaxDelegaciones = 100;
inline constexpr size_t kMaxWorkingHours = 50;
inline constexpr size_t kMaxTimeOff = 500;
// OfficialIdType numbering (homevisit.v1.OfficialIdType): INE = 1 ... COMPANY_BADGE = 5.
inline constexpr int kMinOfficialIdType = 1;
inline constexpr int kMaxOfficialIdType = 5;

// The fields a dispatcher may change, named by their API paths. The employee number is the
// technician's identity in the provider's systems and does not change.
inline const std::set<std::string>& UpdatableTechnicianPaths() {
  static const std::set<std::string> paths = {"display_name", "postal_codes", "delegaciones", "mobile_phone",
                                              "official_id_type", "working_hours", "time_off"};
  return paths;
}

// Adds a violation per bad field among `fields` (API paths as in UpdatableTechnicianPaths, plus
// "employee_number"); paths in violations are relative to the technician
// ("working_hours[2].end_time"), prefixed by the Violations' own prefix.
void ValidateTechnicianFields(const Technician& technician, const std::set<std::string>& fields,
                              Violations& violations);
// Every field of a new technician.
void ValidateNewTechnician(const Technician& technician, Violations& violations);

// Puts the lists in the order storage returns them (hours by weekday and start, time off by
// start, zones by byte value), so what a client sends and what it reads back compare equal.
void NormalizeSchedule(Technician& technician);

}  // namespace homevisit::domain
