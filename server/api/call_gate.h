#pragma once
// Admission of every call: the bearer token is verified against the database (by its hash) or
// against the credential cache's recent verifications; then the role table decides.
#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "api/credential_cache.h"
#include "domain/service_order.h"
#include "storage/database.h"

namespace homevisit::api {

class CallGate {
 public:
  CallGate(storage::Database& db, CredentialCache& credentials) : db_(db), credentials_(credentials) {}
  // The caller's principal; UNAUTHENTICATED without a valid token, PERMISSION_DENIED when the
  // role may not call `method`. A cache miss reads the credential on this thread's call session
  // (Database::CallSession) when one is open, so it shares the handler's lease. The admitted
  // principal is noted on the call (kCallerMetadataKey) for its access-log line.
  domain::Actor Admit(grpc::CallbackServerContext* context, absl::string_view method) const;

  // Trailing metadata through which Admit tells the call observer (api/call_observer.h) who
  // called; the observer removes it before the trailers leave the server.
  static constexpr const char* kCallerMetadataKey = "x-homevisit-caller";

  // The hash under which a call's bearer token is stored ("" without a token).
  static std::string TokenHashOf(const grpc::CallbackServerContext* context);
  // Whether the credential of `token_hash` is still active: the cache's answer while fresh, else
  // the database's. Open watches ask this, so a revocation ends them within the same bound as
  // it refuses unary calls.
  bool StillActive(const std::string& token_hash) const;

  // Forgets every verified credential on this replica: after a revocation made here.
  void ForgetVerifiedCredentials() const { credentials_.Clear(); }

  storage::Database& database() const { return db_; }

 private:
  // The verified principal of `token_hash`, from the cache or the database.
  domain::Actor Verify(const std::string& token_hash) const;

  storage::Database& db_;
  CredentialCache& credentials_;
};

}  // namespace homevisit::api
