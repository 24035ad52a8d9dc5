#include "domain/event.h"

namespace homevisit::domain {

Event MakeEvent(const ServiceOrder& order, EventType type, const Actor& actor, absl::Time now) {
  Event event;
  event.order_id = order.id;
  event.file_number = order.intake.file_number;
  event.type = type;
  event.actor = actor;
  event.time = now;
  event.attributes["state"] = StateName(order.state);
  return event;
}

}  // namespace homevisit::domain
