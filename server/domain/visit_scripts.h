#pragma once
// The provider's lines of the seed procedure [B3, B6.a, B6.e, B7.a], in Spanish as the seed
// writes them, with the blanks filled in for one order.
#include <string>

#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::domain {

// Numbering matches homevisit.v1.RenderScriptRequest.Script.
enum class Script { kGreeting = 1, kEscalationAnnouncement = 2, kFarewellEscalated = 3, kFarewellResolved = 4 };
inline constexpr int kMaxScript = 4;

// "días" before 12:00 local time in `time_zone`, "tardes" from 12:00 on (the seed offers only
// these two; an evening visit is still "tardes").
bool IsMorning(absl::Time now, absl::TimeZone time_zone);

// The lines of `script` for `order`: the technician's display name (greeting) and the
// subscriber's family name (the others). Needs a booked technician: FAILED_PRECONDITION otherwise.
std::string RenderScript(const ServiceOrder& order, Script script, absl::TimeZone time_zone, absl::Time now);

}  // namespace homevisit::domain
