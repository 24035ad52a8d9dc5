#include "domain/service_order.h"

#include "absl/strings/str_cat.h"

namespace homevisit::domain {

const char* StateName(OrderState state) {
  switch (state) {
    case OrderState::kRequested: return "REQUESTED";
    case OrderState::kScheduled: return "SCHEDULED";
    case OrderState::kConfirmed: return "CONFIRMED";
    case OrderState::kOnSite: return "ON_SITE";
    case OrderState::kEscalating: return "ESCALATING";
    case OrderState::kOutcomeRecorded: return "OUTCOME_RECORDED";
    case OrderState::kSigned: return "SIGNED";
    case OrderState::kCompleted: return "COMPLETED";
    case OrderState::kCancelled: return "CANCELLED";
  }
  return "UNKNOWN";
}

bool IsValidState(int value) {
  return value >= static_cast<int>(OrderState::kRequested) && value <= static_cast<int>(OrderState::kCancelled);
}

std::string EtagOf(const ServiceOrder& order) { return absl::StrCat("v", order.version); }

}  // namespace homevisit::domain
