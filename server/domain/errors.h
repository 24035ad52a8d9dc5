#pragma once
// Domain errors: what went wrong in the domain's own words. The transport maps each kind to a
// gRPC code in exactly one place (server/api/status_mapping.cc).
#include <stdexcept>
#include <string>
#include <vector>

namespace homevisit::domain {

enum class ErrorKind {
  kInvalidArgument,     // bad input; carries one violation per bad field
  kNotFound,            // no such resource (or not visible to the caller)
  kFailedPrecondition,  // wrong state or a broken guard
  kAborted,             // etag mismatch or a lost race: retry with fresh data
  kAlreadyExists,       // a unique key taken
  kUnavailable,         // database unreachable or busy
  kResourceExhausted,   // a limit reached
  kUnauthenticated,     // no valid credential
  kPermissionDenied,    // the credential's role may not do this
  kInternal,            // a bug or an unexpected database answer
};

struct FieldViolation {
  std::string field;        // path relative to the request, e.g. "service_order.address.postal_code"
  std::string description;  // what is wrong and what is expected, for a human
};

class DomainError : public std::runtime_error {
 public:
  // `reason` is a stable UPPER_SNAKE identifier clients may switch on.
  DomainError(ErrorKind kind, std::string reason, const std::string& message,
              std::vector<FieldViolation> violations = {})
      : std::runtime_error(message),
        kind_(kind),
        reason_(std::move(reason)),
        violations_(std::move(violations)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& reason() const { return reason_; }
  const std::vector<FieldViolation>& violations() const { return violations_; }

 private:
  ErrorKind kind_;
  std::string reason_;
  std::vector<FieldViolation> violations_;
};

// Throws INVALID_ARGUMENT when `violations` is not empty.
// At most this many violations travel back (a request with hundreds of bad elements would
// otherwise overflow the client's trailer limit and arrive as RESOURCE_EXHAUSTED instead).
inline constexpr size_t kMaxReportedViolations = 20;

inline void ThrowIfInvalid(std::vector<FieldViolation> violations) {
  if (violations.empty()) return;
  const size_t total = violations.size();
  if (total > kMaxReportedViolations) violations.resize(kMaxReportedViolations);
  std::string message = "invalid request: ";
  for (size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) message += ", ";
    message += violations[i].field;
  }
  if (total > violations.size()) {
    message += " and " + std::to_string(total - violations.size()) + " more (" + std::to_string(total) +
               " invalid fields; the first " + std::to_string(violations.size()) + " are listed)";
  }
  throw DomainError(ErrorKind::kInvalidArgument, "INVALID_FIELDS", message, std::move(violations));
}

}  // namespace homevisit::domain
