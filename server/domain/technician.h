#pragma once
// A field technician with the schedule that scheduling reads (SPEC §3).
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace homevisit::domain {

// One shift on a weekday in local wall time of the service time zone.
struct WorkingHours {
  int weekday = 0;       // 0 = Sunday ... 6 = Saturday (absl::Weekday differs; see conversion helpers)
  int start_minute = 0;  // minutes since local midnight
  int end_minute = 0;    // after start_minute, at most 1440
  bool operator==(const WorkingHours&) const = default;
};

struct TimeOff {
  absl::Time start;
  absl::Time end;
  std::string reason;
  bool operator==(const TimeOff&) const = default;
};

struct Technician {
  std::string id;
  std::string display_name;
  std::string employee_number;
  int official_id_type = 0;  // homevisit.v1.OfficialIdType
  std::string mobile_phone;
  std::vector<std::string> postal_codes;
  std::vector<std::string> delegaciones;
  std::vector<WorkingHours> working_hours;
  std::vector<TimeOff> time_off;
  bool active = true;
  absl::Time create_time;
  absl::Time update_time;
  int version = 1;
  std::string update_actor;  // principal of the last change (technicians have no event log)
};

}  // namespace homevisit::domain
