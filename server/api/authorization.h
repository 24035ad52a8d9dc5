#pragma once
// Who may call what: one table of RPC x role, enforced for every call by ServeUnary (and by
// the event watch), never by checks scattered through handlers. Object-level rules (a technician
// sees only their own orders) live in the domain.
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "domain/service_order.h"

namespace homevisit::api {

// The roles allowed to call `method` (the RPC's short name, unique across our services), or an
// empty set for a method missing from the table, which nobody may call.
const std::set<domain::Role>& AllowedRoles(absl::string_view method);

// Throws PERMISSION_DENIED unless `actor` may call `method`.
void Authorize(absl::string_view method, const domain::Actor& actor);

// Every method in the table, for the matrix test.
std::set<std::string> AuthorizedMethods();

}  // namespace homevisit::api
