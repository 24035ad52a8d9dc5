#pragma once
// Events: the append-only log of every change (SPEC §6).
#include <map>
#include <string>

#include "absl/time/time.h"
#include "domain/service_order.h"

namespace homevisit::domain {

// Numbering matches homevisit.v1.Event.Type.
enum class EventType {
  kOrderCreated = 1,
  kOrderUpdated = 2,
  kSlotHeld = 3,
  kHoldReleased = 4,
  kBooked = 5,
  kTechnicianAssigned = 6,
  kRescheduled = 7,
  kCallRecorded = 8,
  kTechnicianLate = 9,
  kCheckedIn = 10,
  kDiagnosisRecorded = 11,
  kEscalationRequested = 12,
  kConferenceSetUp = 13,
  kHandedOver = 14,
  kOutcomeRecorded = 15,
  kSigned = 16,
  kCompleted = 17,
  kCancelled = 18,
};
constexpr int kMaxEventType = 18;

struct Event {
  long long seq = 0;  // position in the log, assigned by the database
  std::string order_id;
  std::string file_number;
  EventType type = EventType::kOrderCreated;
  Actor actor;
  absl::Time time;
  // No personal data here: events are read by supervisors' tooling and kept forever.
  std::map<std::string, std::string> attributes;
};

// A new event about `order`, made by `actor` at `now`.
Event MakeEvent(const ServiceOrder& order, EventType type, const Actor& actor, absl::Time now);

}  // namespace homevisit::domain
