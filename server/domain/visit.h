#pragma once
// What happens at the visit [B1-B11], as the domain sees it: plain types, no protobuf, no SQL.
// Enum numbering matches homevisit/v1/visit.proto so conversions stay trivial.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace homevisit::domain {

enum class CallResult { kUnspecified = 0, kConfirmed = 1, kChangeRequested = 2, kNotReachable = 3 };
enum class Punctuality { kUnspecified = 0, kEarly = 1, kOnTime = 2, kLate = 3 };
enum class CheckResult { kUnspecified = 0, kPass = 1, kFail = 2, kNotApplicable = 3 };
enum class PhoneUsed { kUnspecified = 0, kSubscriberLine = 1, kTechnicianMobile = 2 };
enum class OutcomeResult { kUnspecified = 0, kResolved = 1, kNotResolved = 2, kEscalated = 3 };
enum class ReasonCategory {
  kUnspecified = 0,
  kSubscriberAbsent = 1,
  kNeedsEquipment = 2,
  kNetworkFault = 3,
  kSubscriberDeclined = 4,
  kOutOfScope = 5,
  kOther = 6,
};
constexpr int kMaxReasonCategory = 6;

// DOT's call before the appointment [B1].
struct ConfirmationCall {
  CallResult result = CallResult::kUnspecified;
  std::string note;
  absl::Time time;
  std::string actor;
};

// DOT's call at the appointment time [B2].
struct FollowUpCall {
  bool technician_present = false;
  std::string note;
  absl::Time time;
  std::string actor;
};

// Arrival and identification [B3-B5].
struct CheckIn {
  absl::Time arrival_time;
  Punctuality punctuality = Punctuality::kUnspecified;
  bool greeting_given = false;
  bool vest_worn = false;
  int official_id_type = 0;  // homevisit.v1.OfficialIdType
  bool reason_explained = false;
};

// [B6]
struct Diagnosis {
  bool internet_related = false;
  std::string summary;
  absl::Time time;
};

struct ChecklistAnswer {
  std::string item_id;
  std::string label;  // copied from the template
  CheckResult result = CheckResult::kUnspecified;
  std::string measured_value;
  std::string note;
  bool service_item = false;  // copied from the template
  bool operator==(const ChecklistAnswer&) const = default;
};

// [B6.a-f]: requested by the technician, set up by a DOT supervisor, then handed over.
struct Escalation {
  PhoneUsed phone_used = PhoneUsed::kUnspecified;
  absl::Time request_time;
  std::string support_agent;
  std::optional<absl::Time> conference_time;
  std::string conference_actor;
  std::optional<absl::Time> hand_over_time;
  std::string hand_over_note;
};

// [B7, B8, G1]
struct Outcome {
  OutcomeResult result = OutcomeResult::kUnspecified;
  std::string problem;
  std::string diagnosis;
  std::string actions_performed;
  ReasonCategory reason_category = ReasonCategory::kUnspecified;
  std::string reason_text;
  absl::Time record_time;
};

// [B9]: a PNG image with the signer's name, or a refusal with its reason.
struct Signature {
  std::string signer_name;
  std::string image_png;  // raw PNG bytes
  absl::Time sign_time;
  bool refused = false;
  std::string refusal_reason;
};

// [B10]
struct Completion {
  absl::Time complete_time;
  std::string note;
};

// Everything recorded so far; each part is set by its step.
struct Visit {
  std::optional<ConfirmationCall> confirmation_call;
  std::optional<FollowUpCall> follow_up_call;
  std::optional<CheckIn> check_in;
  std::optional<Diagnosis> diagnosis;
  std::vector<ChecklistAnswer> checklist;
  std::optional<Escalation> escalation;
  std::optional<Outcome> outcome;
  std::optional<Signature> signature;
  std::optional<Completion> completion;
  // Set once, when the technician was not checked in by the window start plus the tolerance.
  std::optional<absl::Time> late_alert_time;

  bool empty() const {
    return !confirmation_call && !follow_up_call && !check_in && !diagnosis && checklist.empty() && !escalation &&
           !outcome && !signature && !completion && !late_alert_time;
  }
};

// One item of the checklist template [B6].
struct ChecklistItem {
  std::string item_id;
  std::string label;
  bool service_item = false;  // a service/modem check: failing it forces escalation [B6.a]
};

// SPEC §4.4's default items. Labels are in Spanish: technicians read them on site.
std::vector<ChecklistItem> DefaultChecklist();

// The configurable parts of the visit.
struct VisitPolicy {
  std::vector<ChecklistItem> checklist = DefaultChecklist();
  // A technician not checked in by the window start plus this raises TYPE_TECHNICIAN_LATE [B2].
  absl::Duration late_tolerance = absl::Minutes(15);
  // Chooses "días" or "tardes" in the scripts.
  absl::TimeZone time_zone;
  size_t max_signature_bytes = 256 * 1024;
};

}  // namespace homevisit::domain
