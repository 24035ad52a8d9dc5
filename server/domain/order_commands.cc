#include "domain/order_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/ids.h"
#include "domain/order_validation.h"
#include "domain/scheduling.h"

namespace homevisit::domain {
namespace {

bool IsCancellable(OrderState state) {
  // Cancellation is possible until the technician is on site (SPEC §4).
  return state == OrderState::kRequested || state == OrderState::kScheduled || state == OrderState::kConfirmed;
}

bool IsClosed(OrderState state) { return state == OrderState::kCompleted || state == OrderState::kCancelled; }

}  // namespace

[[noreturn]] void ThrowWrongState(const ServiceOrder& order, absl::string_view action) {
  throw DomainError(ErrorKind::kFailedPrecondition, "WRONG_STATE",
                    absl::StrCat("cannot ", action, " an order in state ", StateName(order.state)));
}

void Touch(ServiceOrder& order, absl::Time now) {
  order.update_time = now;
  ++order.version;
}

void CheckEtag(const ServiceOrder& order, const std::string& etag) {
  if (!etag.empty() && etag != EtagOf(order)) {
    throw DomainError(ErrorKind::kAborted, "ETAG_MISMATCH",
                      "the order changed since it was read (etag mismatch): read it again and retry");
  }
}

CreateOrderResult CreateOrder(UnitOfWork& work, const OrderIntake& intake, const std::string& request_id,
                              const Actor& actor, absl::Time now) {
  auto validate = [&](Violations violations) {
    Violations order_violations("service_order.");
    ValidateIntake(intake, now, order_violations);
    for (auto& v : order_violations.list()) violations.list().push_back(std::move(v));
    violations.ThrowIfAny();
  };
  Violations request_violations;
  ValidateRequestId("request_id", request_id, request_violations);
  if (!request_violations.empty()) validate(std::move(request_violations));  // throws, naming every field

  auto first_with_same_id = [&](std::optional<ServiceOrder> existing) -> CreateOrderResult {
    if (!existing) {
      throw DomainError(ErrorKind::kAborted, "REQUEST_ID_RACE", "a concurrent request with this request_id; retry");
    }
    if (!(existing->intake == intake)) {
      throw DomainError(ErrorKind::kAlreadyExists, "REQUEST_ID_REUSED",
                        "request_id was already used for a different order");
    }
    return {std::move(*existing), false};
  };

  // A retry is answered even when the request no longer validates (its window may have started
  // since the first attempt): an invalid request first looks for the order its id made.
  try {
    validate(Violations());
  } catch (const DomainError&) {
    if (auto existing = work.orders().FindByRequestId(request_id)) return first_with_same_id(std::move(existing));
    throw;
  }

  ServiceOrder order;
  order.id = NewId();
  order.intake = intake;
  order.state = OrderState::kRequested;
  order.create_time = now;
  order.update_time = now;
  order.version = 1;
  Event created = MakeEvent(order, EventType::kOrderCreated, actor, now);
  created.attributes["charge"] = intake.charge == Charge::kCharged ? "CHARGED" : "FREE";
  // The insert is the request-id check (ON CONFLICT DO NOTHING): a new request costs no lookup.
  // It writes the creation event with the order, as one statement where the database allows.
  if (!work.orders().InsertIfNewRequest(order, request_id, created)) {
    // A retry, or another replica inserted the same request id first.
    return first_with_same_id(work.orders().FindByRequestId(request_id));
  }
  return {std::move(order), true};
}

ServiceOrder GetOrder(UnitOfWork& work, const std::string& id, const Actor& actor) {
  auto order = work.orders().Find(id);
  // A technician learns nothing of orders not assigned to them: the same answer as no order.
  bool hidden = actor.role == Role::kTechnician &&
                (!order || !order->appointment || order->appointment->technician_id != actor.technician_id);
  if (!order || hidden) throw DomainError(ErrorKind::kNotFound, "ORDER_NOT_FOUND", "no such service order");
  return std::move(*order);
}

ServiceOrder UpdateOrder(UnitOfWork& work, const std::string& id, const OrderIntake& changes,
                         const std::set<std::string>& paths, const std::string& etag, const Actor& actor,
                         absl::Time now) {
  Violations v("service_order.");
  if (paths.count("charge") && changes.charge != Charge::kFree && changes.charge != Charge::kCharged) {
    v.Add("charge", "must be CHARGE_FREE or CHARGE_CHARGED");
  }
  bool whole_receiver = paths.count("receiver") > 0;
  if (whole_receiver || paths.count("receiver.name")) v.RequireText("receiver.name", changes.receiver_name, kMaxNameChars);
  if ((whole_receiver || paths.count("receiver.phone")) && !changes.receiver_phone.empty() &&
      !IsMexicanPhone(changes.receiver_phone)) {
    v.Add("receiver.phone", "must be a 10-digit phone number");
  }
  if (paths.count("problem_description")) {
    v.RequireText("problem_description", changes.problem_description, kMaxProblemChars, true);
  }
  if (paths.count("address.references")) {
    v.OptionalText("address.references", changes.address.references, kMaxReferencesChars, true);
  }
  v.ThrowIfAny();

  ServiceOrder order = GetOrder(work, id, actor);
  CheckEtag(order, etag);
  if (IsClosed(order.state)) ThrowWrongState(order, "update");
  int expected = order.version;
  OrderIntake& in = order.intake;
  if (paths.count("charge")) in.charge = changes.charge;
  if (whole_receiver || paths.count("receiver.name")) in.receiver_name = changes.receiver_name;
  if (whole_receiver || paths.count("receiver.phone")) in.receiver_phone = changes.receiver_phone;
  if (paths.count("problem_description")) in.problem_description = changes.problem_description;
  if (paths.count("address.references")) in.address.references = changes.address.references;
  Touch(order, now);
  work.orders().Update(order, expected);
  Event event = MakeEvent(order, EventType::kOrderUpdated, actor, now);
  std::string fields;
  for (const auto& path : paths) absl::StrAppend(&fields, fields.empty() ? "" : ",", path);
  event.attributes["fields"] = fields;  // names only: the values may be personal data
  work.events().Append(event);
  return order;
}

ServiceOrder CancelOrder(UnitOfWork& work, const std::string& id, const std::string& reason,
                         const std::string& etag, const Actor& actor, absl::Time now) {
  Violations v;
  v.RequireText("reason", reason, kMaxReasonChars, /*multiline=*/true);
  v.ThrowIfAny();
  ServiceOrder order = GetOrder(work, id, actor);
  CheckEtag(order, etag);
  if (!IsCancellable(order.state)) ThrowWrongState(order, "cancel");
  int expected = order.version;
  order.state = OrderState::kCancelled;
  order.cancellation = Cancellation{reason, now, actor.principal};
  Touch(order, now);
  work.orders().Update(order, expected);
  ReleaseOrderTime(work, order.id);  // cancel frees the time, in the same transaction
  work.events().Append(MakeEvent(order, EventType::kCancelled, actor, now));
  return order;
}

}  // namespace homevisit::domain
