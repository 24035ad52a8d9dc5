#pragma once
// When and how long to wait before retrying a call: the policy of sdk/README.md, shared by every
// SDK. Only calls that are safe to repeat (reads, and writes carrying a request_id, which the
// client fills in when the caller gives none) are retried, and only on errors that say the work
// may be repeated as is: UNAVAILABLE, ABORTED other than ETAG_MISMATCH and SLOT_TAKEN, and
// RESOURCE_EXHAUSTED with reason SERVER_BUSY.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

namespace homevisit::client {

struct RetryPolicy {
  int max_attempts = 4;  // 1 disables retries
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
  double multiplier = 2.0;
  bool jitter = true;  // "full jitter": wait a random time in [0, backoff]
};

// Whether an error with `code` and ErrorInfo `reason` says the call may be repeated as is.
bool IsRetryableError(grpc::StatusCode code, const std::string& reason);
// Whether another attempt may follow `attempt` (1-based) that ended with `status`.
bool ShouldRetry(const RetryPolicy& policy, bool idempotent, const grpc::Status& status, int attempt);
// The wait before attempt `attempt + 1`: initial_backoff * multiplier^(attempt-1), capped, with jitter.
std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt);

}  // namespace homevisit::client
