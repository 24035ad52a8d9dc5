#pragma once
// grpc::StatusCode's names by value, as the log lines and the metrics' grpc_code label spell them.
#include <array>

namespace homevisit::observability {

inline constexpr std::array<const char*, 17> kStatusCodeNames = {
    "OK",           "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED",     "INTERNAL",          "UNAVAILABLE",      "DATA_LOSS",         "UNAUTHENTICATED"};

// The index of `code` in kStatusCodeNames; UNKNOWN's for a value gRPC does not define.
inline constexpr size_t StatusCodeIndex(int code) {
  return code >= 0 && static_cast<size_t>(code) < kStatusCodeNames.size() ? static_cast<size_t>(code) : 2;
}

}  // namespace homevisit::observability
