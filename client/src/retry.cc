#include "homevisit/client/retry.h"

#include "homevisit/client/error.h"

#include <algorithm>
#include <random>

namespace homevisit::client {

bool IsRetryableError(grpc::StatusCode code, const std::string& reason) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE: return true;
    case grpc::StatusCode::ABORTED: return reason != "ETAG_MISMATCH" && reason != "SLOT_TAKEN";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return reason == "SERVER_BUSY";
    default: return false;
  }
}

bool ShouldRetry(const RetryPolicy& policy, bool idempotent, const grpc::Status& status, int attempt) {
  if (!idempotent || attempt >= policy.max_attempts || status.ok()) return false;
  return IsRetryableError(status.error_code(), Error::FromStatus(status).reason());
}

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt) {
  double ms = static_cast<double>(policy.initial_backoff.count());
  for (int i = 1; i < attempt; ++i) ms *= policy.multiplier;
  ms = std::min(ms, static_cast<double>(policy.max_backoff.count()));
  if (policy.jitter) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    ms = std::uniform_real_distribution<double>(0, ms)(engine);
  }
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace homevisit::client
