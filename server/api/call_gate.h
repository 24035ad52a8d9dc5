#pragma once
// Admission of every call: the bearer token is looked up (by its hash) in the database, so a
// revocation takes effect at once on every replica; then the role table decides.
#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "domain/service_order.h"
#include "storage/database.h"

namespace homevisit::api {

class CallGate {
 public:
  explicit CallGate(storage::Database& db) : db_(db) {}
  // The caller's principal; UNAUTHENTICATED without a valid token, PERMISSION_DENIED when the
  // role may not call `method`.
  domain::Actor Admit(const grpc::CallbackServerContext* context, absl::string_view method) const;

 private:
  storage::Database& db_;
};

}  // namespace homevisit::api
