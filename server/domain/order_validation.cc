#include "domain/order_validation.h"

#include "absl/strings/ascii.h"

namespace homevisit::domain {
namespace {

bool IsFileNumber(absl::string_view value) {
  if (value.empty() || value.size() > 32) return false;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

void ValidateWindow(const TimeWindow& window, absl::Time now, Violations& v) {
  bool has_start = window.start != absl::InfinitePast();
  bool has_end = window.end != absl::InfinitePast();
  if (!has_start) v.Add("requested_window.start_time", "is required");
  if (!has_end) v.Add("requested_window.end_time", "is required");
  if (!has_start || !has_end) return;
  if (window.end <= window.start) {
    v.Add("requested_window.end_time", "must be after start_time");
  } else if (window.end - window.start > kMaxRequestedWindow) {
    v.Add("requested_window.end_time", "the window must be at most 12 hours long");
  }
  if (window.start < now) {
    v.Add("requested_window.start_time", "must not be in the past");
  } else if (window.start - now > kMaxIntakeLead) {
    v.Add("requested_window.start_time", "must be within 180 days");
  }
}

}  // namespace

void ValidateIntake(const OrderIntake& in, absl::Time now, Violations& v) {
  if (IsBlank(in.file_number)) {
    v.Add("file_number", "is required");
  } else if (!IsFileNumber(in.file_number)) {
    v.Add("file_number", "must be 1-32 letters, digits or dashes");
  }
  v.RequireText("subscriber.given_name", in.given_name, kMaxNameChars);
  v.RequireText("subscriber.family_name", in.family_name, kMaxNameChars);
  if (IsBlank(in.email)) {
    v.Add("subscriber.email", "is required");
  } else if (!IsValidEmail(in.email)) {
    v.Add("subscriber.email", "must be a valid email address such as name@example.com");
  }
  v.RequireText("address.street", in.address.street, kMaxLineChars);
  v.RequireText("address.exterior_number", in.address.exterior_number, 20);
  v.OptionalText("address.interior_number", in.address.interior_number, 20);
  v.RequireText("address.colonia", in.address.colonia, kMaxLineChars);
  v.RequireText("address.delegacion", in.address.delegacion, kMaxLineChars);
  if (IsBlank(in.address.postal_code)) {
    v.Add("address.postal_code", "is required");
  } else if (!IsPostalCode(in.address.postal_code)) {
    v.Add("address.postal_code", "must be exactly five digits");
  }
  v.OptionalText("address.references", in.address.references, kMaxReferencesChars, /*multiline=*/true);
  ValidateWindow(in.requested_window, now, v);
  v.RequireText("receiver.name", in.receiver_name, kMaxNameChars);
  if (!in.receiver_phone.empty() && !IsMexicanPhone(in.receiver_phone)) {
    v.Add("receiver.phone", "must be a 10-digit phone number");
  }
  v.RequireText("problem_description", in.problem_description, kMaxProblemChars, /*multiline=*/true);
  if (in.charge != Charge::kFree && in.charge != Charge::kCharged) {
    v.Add("charge", "must be CHARGE_FREE or CHARGE_CHARGED: DOT decides whether the visit is charged");
  }
}

void ValidateRequestId(absl::string_view field, absl::string_view request_id, Violations& v) {
  if (request_id.empty()) {
    v.Add(field, "is required so that a retried request never creates a second order");
    return;
  }
  if (request_id.size() > kMaxRequestIdChars) {
    v.Add(field, "must be at most 64 characters");
    return;
  }
  for (char c : request_id) {
    if (c <= 0x20 || c >= 0x7F) {
      v.Add(field, "must be printable ASCII without spaces");
      return;
    }
  }
}

}  // namespace homevisit::domain
