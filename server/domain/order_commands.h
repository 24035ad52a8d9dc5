#pragma once
// The intake use cases [S1]: each runs inside the caller's unit of work (one transaction) and
// appends its event there, so an order never changes without its event.
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "domain/repositories.h"

namespace homevisit::domain {

struct CreateOrderResult {
  ServiceOrder order;
  bool created = false;  // false: the request id was seen before and this is the first order
};

// Intake [A]: validates, then inserts the order with its creation event in one repository call
// (one statement on PostgreSQL: the caller may run it without a transaction). A request id seen
// before returns the first order, whatever this request says, if it is the same request.
CreateOrderResult CreateOrder(UnitOfWork& work, const OrderIntake& intake, const std::string& request_id,
                              const Actor& actor, absl::Time now);

// The service itself (background sweeps, reads that no technician can reach): sees every order.
inline const Actor& SystemActor() {
  static const Actor system{"homevisitd", Role::kUnspecified, ""};
  return system;
}

// The order, or NOT_FOUND; also NOT_FOUND for a technician the order is not assigned to.
ServiceOrder GetOrder(UnitOfWork& work, const std::string& id, const Actor& actor);

// The fields DOT may still change, named by their API paths.
inline const std::set<std::string>& UpdatableOrderPaths() {
  static const std::set<std::string> paths = {"charge", "receiver", "receiver.name", "receiver.phone",
                                              "problem_description", "address.references"};
  return paths;
}

// Copies the fields named in `paths` from `changes` onto the stored order.
ServiceOrder UpdateOrder(UnitOfWork& work, const std::string& id, const OrderIntake& changes,
                         const std::set<std::string>& paths, const std::string& etag, const Actor& actor,
                         absl::Time now);

ServiceOrder CancelOrder(UnitOfWork& work, const std::string& id, const std::string& reason,
                         const std::string& etag, const Actor& actor, absl::Time now);

// FAILED_PRECONDITION naming the order's current state: "cannot <action> an order in state X".
[[noreturn]] void ThrowWrongState(const ServiceOrder& order, absl::string_view action);
// Records that the order changed now: update time and version (the etag follows the version).
void Touch(ServiceOrder& order, absl::Time now);

// Throws ABORTED when `etag` is given and differs from the order's.
void CheckEtag(const ServiceOrder& order, const std::string& etag);

}  // namespace homevisit::domain
