#include "domain/scheduling.h"

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "domain/errors.h"
#include "domain/ids.h"
#include "domain/order_commands.h"
#include "domain/order_validation.h"

namespace homevisit::domain {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

bool IsBookedState(OrderState s) { return s == OrderState::kScheduled || s == OrderState::kConfirmed; }

[[noreturn]] void ThrowSlotTaken() {
  throw DomainError(ErrorKind::kAborted, "SLOT_TAKEN",
                    "the option was taken meanwhile: check availability again and pick another");
}

std::string TimeText(absl::Time t) { return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone()); }

void ValidateChoice(const SlotChoice& choice, const std::string& prefix) {
  Violations v;
  if (choice.technician_id.empty()) v.Add(prefix + "technician", "is required: technicians/{id}");
  if (choice.start == absl::InfinitePast() || choice.start == absl::InfiniteFuture()) {
    v.Add(prefix + "window.start_time", "is required");
  }
  v.ThrowIfAny();
}

// Throws the error a technician-specific reason means for a booking.
void ThrowIfUnavailable(UnavailableReason reason) {
  switch (reason) {
    case UnavailableReason::kNone: return;
    case UnavailableReason::kAllBooked: ThrowSlotTaken();
    case UnavailableReason::kInvalidWindow:
      throw DomainError(ErrorKind::kInvalidArgument, "INVALID_WINDOW", "the window is not valid");
    case UnavailableReason::kInThePast:
      throw DomainError(ErrorKind::kFailedPrecondition, "IN_THE_PAST", "the window has started already");
    case UnavailableReason::kBeyondHorizon:
      throw DomainError(ErrorKind::kFailedPrecondition, "BEYOND_HORIZON", "the window is beyond the booking horizon");
    case UnavailableReason::kNoTechnicianCoversZone:
      throw DomainError(ErrorKind::kFailedPrecondition, "NO_COVERAGE",
                        "the technician is inactive or does not cover the order's zone");
    case UnavailableReason::kOutsideWorkingHours:
      throw DomainError(ErrorKind::kFailedPrecondition, "OUTSIDE_WORKING_HOURS",
                        "the visit is outside the technician's working hours");
    case UnavailableReason::kTimeOff:
      throw DomainError(ErrorKind::kFailedPrecondition, "TIME_OFF", "the technician is on time off then");
  }
}

// Re-checks the choice against the technician's current calendar (the order's own claims do not
// count) and returns that calendar. This check reads; the claim that follows is what decides.
TechnicianCalendar VerifyChoice(UnitOfWork& work, const ServiceOrder& order, const SlotChoice& choice,
                                const SchedulingPolicy& policy, absl::Time now) {
  auto calendars = work.scheduling().Calendars({choice.technician_id}, {choice.start - kDay, choice.start + 2 * kDay},
                                               now, order.id);
  if (calendars.empty()) throw DomainError(ErrorKind::kNotFound, "TECHNICIAN_NOT_FOUND", "no such technician");
  AvailabilityRequest request{{choice.start, choice.start + policy.window_length},
                              order.intake.address.postal_code,
                              order.intake.address.delegacion};
  ThrowIfUnavailable(CheckTechnicianWindow(calendars.front(), request, policy, now));
  return std::move(calendars.front());
}

// Claims the occupancy of `choice` for the order's appointment (hold_id empty) or a hold.
void Occupy(UnitOfWork& work, const ServiceOrder& order, const SlotChoice& choice, const SchedulingPolicy& policy,
            const std::string& hold_id, absl::Time expire_time, absl::Time now) {
  const Interval window{choice.start, choice.start + policy.window_length};
  SlotClaim claim{choice.technician_id, order.id, hold_id, expire_time, GranulesOf(OccupancyOf(window, policy))};
  if (!work.scheduling().Claim(claim, now)) ThrowSlotTaken();
}

// The choice behind a booking source, and the hold when booked from one.
std::pair<SlotChoice, std::optional<Hold>> Resolve(UnitOfWork& work, const ServiceOrder& order,
                                                   const BookingSource& source, absl::Time now) {
  if (source.hold_id.empty()) {
    ValidateChoice(source.choice, "option.");
    return {source.choice, std::nullopt};
  }
  auto hold = work.scheduling().FindHold(source.hold_id);
  if (!hold) throw DomainError(ErrorKind::kNotFound, "HOLD_NOT_FOUND", "no such hold");
  if (hold->order_id != order.id) {
    throw DomainError(ErrorKind::kFailedPrecondition, "HOLD_OF_ANOTHER_ORDER", "the hold is for another order");
  }
  if (hold->status == HoldStatus::kBooked) {
    throw DomainError(ErrorKind::kFailedPrecondition, "HOLD_USED", "the hold was booked already");
  }
  if (hold->status == HoldStatus::kReleased) {
    throw DomainError(ErrorKind::kFailedPrecondition, "HOLD_RELEASED", "the hold was released");
  }
  if (!hold->LiveAt(now)) {
    throw DomainError(ErrorKind::kFailedPrecondition, "HOLD_EXPIRED",
                      "the hold expired: check availability again and hold or book an option");
  }
  return {SlotChoice{hold->technician_id, hold->window.start}, std::move(hold)};
}

// Releases the order's live holds; `booked` (if any) is marked as turned into the booking.
void ReleaseLiveHolds(UnitOfWork& work, const ServiceOrder& order, const std::string& booked, const Actor& actor,
                      absl::Time now, bool with_events) {
  for (const Hold& h : work.scheduling().LiveHoldsOf(order.id)) {
    work.scheduling().ReleaseHoldClaims(h);
    const bool is_booked = h.id == booked;
    work.scheduling().SetHoldStatus(h.id, is_booked ? HoldStatus::kBooked : HoldStatus::kReleased);
    if (with_events && !is_booked && h.LiveAt(now)) {
      Event event = MakeEvent(order, EventType::kHoldReleased, actor, now);
      event.attributes["hold"] = h.id;
      event.attributes["technician"] = h.technician_id;
      event.attributes["window_start"] = TimeText(h.window.start);
      event.attributes["why"] = "replaced";
      work.events().Append(event);
    }
  }
}

Event SchedulingEvent(const ServiceOrder& order, EventType type, const Actor& actor, absl::Time now) {
  Event event = MakeEvent(order, type, actor, now);
  event.attributes["technician"] = order.appointment->technician_id;
  event.attributes["window_start"] = TimeText(order.appointment->window.start);
  return event;
}

void CheckReason(const std::string& reason) {
  Violations v;
  v.OptionalText("reason", reason, kMaxReasonChars, /*multiline=*/true);
  v.ThrowIfAny();
}

}  // namespace

std::vector<absl::Time> GranulesOf(const Interval& occupancy) {
  std::vector<absl::Time> granules;
  if (!(occupancy.start < occupancy.end)) return granules;
  const int64_t g = absl::ToInt64Microseconds(kClaimGranule);
  int64_t first = absl::ToUnixMicros(occupancy.start);
  first -= ((first % g) + g) % g;  // floor to the granule, also before the epoch
  const int64_t end = absl::ToUnixMicros(occupancy.end);
  for (int64_t at = first; at < end; at += g) granules.push_back(absl::FromUnixMicros(at));
  return granules;
}

Availability CheckOrderAvailability(UnitOfWork& work, const std::string& order_id, std::optional<absl::Time> start,
                                    const SchedulingSettings& settings, absl::Time now, CalendarSource* source) {
  // Technicians may not ask for availability (role table), so no object-level filter applies.
  const std::optional<ServiceOrder> found = work.orders().FindForAvailability(order_id);
  if (!found) throw DomainError(ErrorKind::kNotFound, "ORDER_NOT_FOUND", "no such service order");
  const ServiceOrder& order = *found;
  if (order.state != OrderState::kRequested && !IsBookedState(order.state)) {
    ThrowWrongState(order, "check availability for");
  }
  const absl::Time at = start.value_or(order.intake.requested_window.start);
  const SchedulingPolicy& policy = settings.policy;
  const Address& address = order.intake.address;
  const Interval range{now - kDay, now + policy.horizon + 2 * kDay};
  AvailabilityRequest request{{at, at}, address.postal_code, address.delegacion};
  std::optional<CoveringCalendars> covering;
  if (source) covering = source->Covering(address.postal_code, address.delegacion, range, now, order.id);
  if (!covering) {
    const auto ids = work.scheduling().TechniciansCovering(address.postal_code, address.delegacion);
    return ComputeAvailability(request, work.scheduling().Calendars(ids, range, now, order.id), policy, now);
  }
  std::vector<const TechnicianCalendar*>& calendars = covering->calendars;
  std::vector<TechnicianCalendar> fresh;
  if (!covering->stale.empty()) {
    // Technicians this replica booked or freed since the source loaded: read from the
    // database, each in its place (the order is the database's, whatever its collation).
    fresh = work.scheduling().Calendars(covering->stale, range, now, order.id);
    for (const TechnicianCalendar& f : fresh) {
      for (const TechnicianCalendar*& c : calendars) {
        if (c->technician_id == f.technician_id) {
          c = &f;
          break;
        }
      }
    }
    // Read now, they may have been deactivated or moved elsewhere since the source loaded them
    // (or be gone: a placeholder left unfilled covers nothing).
    std::erase_if(calendars, [&](const TechnicianCalendar* c) {
      return absl::c_linear_search(covering->stale, c->technician_id) &&
             !CoversZone(*c, address.postal_code, address.delegacion);
    });
  }
  request.covering_known = true;  // the source's calendars, and the fresh ones just checked
  return ComputeAvailability(request, calendars, policy, now);
}

Hold CreateHold(UnitOfWork& work, const std::string& order_id, const SlotChoice& choice,
                const SchedulingSettings& settings, const Actor& actor, absl::Time now) {
  ValidateChoice(choice, "option.");
  const ServiceOrder order = GetOrder(work, order_id, actor);
  if (order.state != OrderState::kRequested && !IsBookedState(order.state)) ThrowWrongState(order, "hold a slot for");
  const SchedulingPolicy& policy = settings.policy;
  const TechnicianCalendar technician = VerifyChoice(work, order, choice, policy, now);
  ReleaseLiveHolds(work, order, "", actor, now, /*with_events=*/true);
  Hold hold;
  hold.id = NewId();
  hold.order_id = order.id;
  hold.technician_id = choice.technician_id;
  hold.technician_name = technician.display_name;
  hold.window = {choice.start, choice.start + policy.window_length};
  hold.expire_time = now + settings.hold_ttl;
  hold.create_time = now;
  work.scheduling().InsertHold(hold);
  Occupy(work, order, choice, policy, hold.id, hold.expire_time, now);
  Event event = MakeEvent(order, EventType::kSlotHeld, actor, now);
  event.attributes["hold"] = hold.id;
  event.attributes["technician"] = hold.technician_id;
  event.attributes["window_start"] = TimeText(hold.window.start);
  event.attributes["expire_time"] = TimeText(hold.expire_time);
  work.events().Append(event);
  return hold;
}

Hold ReleaseHold(UnitOfWork& work, const std::string& hold_id, const Actor& actor, absl::Time now) {
  auto hold = work.scheduling().FindHold(hold_id);
  if (!hold) throw DomainError(ErrorKind::kNotFound, "HOLD_NOT_FOUND", "no such hold");
  if (hold->status != HoldStatus::kLive) return std::move(*hold);
  work.scheduling().ReleaseHoldClaims(*hold);
  work.scheduling().SetHoldStatus(hold->id, HoldStatus::kReleased);
  if (hold->LiveAt(now)) {
    Event event = MakeEvent(GetOrder(work, hold->order_id, actor), EventType::kHoldReleased, actor, now);
    event.attributes["hold"] = hold->id;
    event.attributes["technician"] = hold->technician_id;
    event.attributes["window_start"] = TimeText(hold->window.start);
    work.events().Append(event);
  }
  hold->status = HoldStatus::kReleased;
  return std::move(*hold);
}

int ExpireLapsedHolds(UnitOfWork& work, const Actor& actor, absl::Time now, int limit) {
  int expired = 0;
  for (const Hold& hold : work.scheduling().LapsedHolds(now, limit)) {
    if (!work.scheduling().ExpireHold(hold.id)) continue;  // another replica swept it
    work.scheduling().ReleaseHoldClaims(hold);
    Event event = MakeEvent(GetOrder(work, hold.order_id, SystemActor()), EventType::kHoldReleased, actor, now);
    event.attributes["hold"] = hold.id;
    event.attributes["technician"] = hold.technician_id;
    event.attributes["window_start"] = TimeText(hold.window.start);
    event.attributes["why"] = "expired";
    work.events().Append(event);
    ++expired;
  }
  return expired;
}

ServiceOrder BookAppointment(UnitOfWork& work, const std::string& order_id, const BookingSource& source,
                             const std::string& request_id, const SchedulingSettings& settings, const Actor& actor,
                             absl::Time now) {
  if (!request_id.empty()) {
    Violations v;
    ValidateRequestId("request_id", request_id, v);
    v.ThrowIfAny();
  }
  ServiceOrder order = GetOrder(work, order_id, actor);
  if (order.state != OrderState::kRequested) {
    // A retry of the booking that went through answers it again; any other request is refused.
    if (!request_id.empty() && !order.book_request_id.empty()) {
      if (order.book_request_id == request_id && order.appointment) return order;
      ThrowWrongState(order, "book");
    }
    // Booked before request ids were stored: a retry is recognised by its option (or hold).
    if (!request_id.empty() && IsBookedState(order.state) && order.appointment) {
      SlotChoice wanted = source.choice;
      if (!source.hold_id.empty()) {
        if (auto hold = work.scheduling().FindHold(source.hold_id);
            hold && hold->order_id == order.id && hold->status == HoldStatus::kBooked) {
          wanted = {hold->technician_id, hold->window.start};
        }
      }
      if (wanted.technician_id == order.appointment->technician_id &&
          wanted.start == order.appointment->window.start) {
        return order;
      }
    }
    ThrowWrongState(order, "book");
  }
  const SchedulingPolicy& policy = settings.policy;
  auto [choice, hold] = Resolve(work, order, source, now);
  const TechnicianCalendar technician = VerifyChoice(work, order, choice, policy, now);
  // The hold's claims become the appointment's: released and claimed again in this transaction,
  // so no other transaction can take them in between.
  ReleaseLiveHolds(work, order, hold ? hold->id : "", actor, now, /*with_events=*/false);
  Occupy(work, order, choice, policy, "", absl::InfinitePast(), now);

  const int expected = order.version;
  order.state = OrderState::kScheduled;
  order.appointment = Appointment{choice.technician_id, technician.display_name,
                                  {choice.start, choice.start + policy.window_length}, now};
  order.book_request_id = request_id;
  Touch(order, now);
  work.orders().Update(order, expected);
  Event booked = SchedulingEvent(order, EventType::kBooked, actor, now);
  if (hold) booked.attributes["hold"] = hold->id;
  work.events().Append(booked);
  work.events().Append(SchedulingEvent(order, EventType::kTechnicianAssigned, actor, now));
  return order;
}

ServiceOrder RescheduleAppointment(UnitOfWork& work, const std::string& order_id, const BookingSource& source,
                                   const std::string& etag, const std::string& reason,
                                   const SchedulingSettings& settings, const Actor& actor, absl::Time now) {
  CheckReason(reason);
  ServiceOrder order = GetOrder(work, order_id, actor);
  CheckEtag(order, etag);
  if (!IsBookedState(order.state) || !order.appointment) ThrowWrongState(order, "reschedule");
  const SchedulingPolicy& policy = settings.policy;
  auto [choice, hold] = Resolve(work, order, source, now);
  const Appointment previous = *order.appointment;
  if (choice.technician_id == previous.technician_id && choice.start == previous.window.start) {
    return order;  // already there: a retry
  }
  const TechnicianCalendar technician = VerifyChoice(work, order, choice, policy, now);
  ReleaseLiveHolds(work, order, hold ? hold->id : "", actor, now, /*with_events=*/false);
  work.scheduling().ReleaseAppointmentClaims(order.id);
  Occupy(work, order, choice, policy, "", absl::InfinitePast(), now);

  const int expected = order.version;
  order.state = OrderState::kScheduled;  // a confirmation was for the old window
  order.visit.late_alert_time.reset();   // a late alert was for the old window too
  order.appointment = Appointment{choice.technician_id, technician.display_name,
                                  {choice.start, choice.start + policy.window_length}, now};
  Touch(order, now);
  work.orders().Update(order, expected);
  Event event = SchedulingEvent(order, EventType::kRescheduled, actor, now);
  event.attributes["previous_window_start"] = TimeText(previous.window.start);
  if (hold) event.attributes["hold"] = hold->id;
  work.events().Append(event);
  if (choice.technician_id != previous.technician_id) {
    Event assigned = SchedulingEvent(order, EventType::kTechnicianAssigned, actor, now);
    assigned.attributes["previous_technician"] = previous.technician_id;
    work.events().Append(assigned);
  }
  return order;
}

ServiceOrder ReassignAppointment(UnitOfWork& work, const std::string& order_id, const std::string& technician_id,
                                 const std::string& etag, const std::string& reason,
                                 const SchedulingSettings& settings, const Actor& actor, absl::Time now) {
  CheckReason(reason);
  ServiceOrder order = GetOrder(work, order_id, actor);
  CheckEtag(order, etag);
  if (!IsBookedState(order.state) || !order.appointment) ThrowWrongState(order, "reassign");
  const Appointment previous = *order.appointment;
  if (technician_id == previous.technician_id) return order;  // already theirs: a retry
  const SchedulingPolicy& policy = settings.policy;
  const SlotChoice choice{technician_id, previous.window.start};
  const TechnicianCalendar technician = VerifyChoice(work, order, choice, policy, now);
  work.scheduling().ReleaseAppointmentClaims(order.id);
  Occupy(work, order, choice, policy, "", absl::InfinitePast(), now);

  const int expected = order.version;
  order.appointment->technician_id = technician_id;
  order.appointment->technician_name = technician.display_name;
  Touch(order, now);
  work.orders().Update(order, expected);
  Event event = SchedulingEvent(order, EventType::kTechnicianAssigned, actor, now);
  event.attributes["previous_technician"] = previous.technician_id;
  work.events().Append(event);
  return order;
}

void ReleaseOrderTime(UnitOfWork& work, const std::string& order_id) {
  work.scheduling().ReleaseAppointmentClaims(order_id);
  for (const Hold& h : work.scheduling().LiveHoldsOf(order_id)) {
    work.scheduling().ReleaseHoldClaims(h);
    work.scheduling().SetHoldStatus(h.id, HoldStatus::kReleased);
  }
}

std::string DescribeAlternatives(const Availability& availability, const SchedulingPolicy& policy) {
  std::string out;
  auto add = [&](const SlotOption& o) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", absl::FormatTime("%Y-%m-%d %H:%M", o.window.start, policy.time_zone),
                    " ", o.technician_name, " (technicians/", o.technician_id, ")");
  };
  for (const auto& o : availability.same_day) add(o);
  for (const auto& o : availability.other_days) add(o);
  return out.empty() ? "none" : out;
}

}  // namespace homevisit::domain
