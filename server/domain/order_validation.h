#pragma once
// Intake validation [S1]: every field of SPEC §2, all violations at once.
#include "absl/strings/string_view.h"
#include <string_view>

#include "absl/time/time.h"
#include "domain/service_order.h"
#include "domain/text_rules.h"

namespace homevisit::domain {

// Limits of intake text, in characters.
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxLineChars = 200;
inline constexpr size_t kMaxReferencesChars = 500;
inline constexpr size_t kMaxProblemChars = 4000;
inline constexpr size_t kMaxReasonChars = 1000;
inline constexpr size_t kMaxRequestIdChars = 64;
inline constexpr absl::Duration kMaxRequestedWindow = absl::Hours(12);
inline constexpr absl::Duration kMaxIntakeLead = absl::Hours(24 * 180);

// Adds a violation per bad field of `intake`, paths relative to the order ("address.postal_code").
void ValidateIntake(const OrderIntake& intake, absl::Time now, Violations& violations);
// Request ids: 1-64 printable ASCII characters without spaces.
void ValidateRequestId(absl::string_view field, absl::string_view request_id, Violations& violations);

}  // namespace homevisit::domain
