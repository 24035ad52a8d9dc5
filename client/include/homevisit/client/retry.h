#pragma once
// When and how long to wait before retrying a call. Only calls that are safe to repeat (reads,
// and writes carrying a request_id) are retried, and only on UNAVAILABLE: the server either never
// saw the call or will recognise the repeat.
#include <grpcpp/grpcpp.h>

#include <chrono>

namespace homevisit::client {

struct RetryPolicy {
  int max_attempts = 4;  // 1 disables retries
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
  double multiplier = 2.0;
  bool jitter = true;  // wait a random time in [backoff/2, backoff]
};

// Whether another attempt may follow `attempt` (1-based) that ended with `code`.
bool ShouldRetry(const RetryPolicy& policy, bool idempotent, grpc::StatusCode code, int attempt);
// The wait before attempt `attempt + 1`: initial_backoff * multiplier^(attempt-1), capped, with jitter.
std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt);

}  // namespace homevisit::client
