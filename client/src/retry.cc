#include "homevisit/client/retry.h"

#include <algorithm>
#include <random>

namespace homevisit::client {

bool ShouldRetry(const RetryPolicy& policy, bool idempotent, grpc::StatusCode code, int attempt) {
  return idempotent && code == grpc::StatusCode::UNAVAILABLE && attempt < policy.max_attempts;
}

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt) {
  double ms = static_cast<double>(policy.initial_backoff.count());
  for (int i = 1; i < attempt; ++i) ms *= policy.multiplier;
  ms = std::min(ms, static_cast<double>(policy.max_backoff.count()));
  if (policy.jitter) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    ms = std::uniform_real_distribution<double>(ms / 2, ms)(engine);
  }
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace homevisit::client
