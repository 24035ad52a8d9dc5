#include "domain/ids.h"

#include <chrono>
#include <cstdint>
#include <random>

#include "absl/strings/str_format.h"

namespace homevisit::domain {

std::string NewId() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  // unix_ts_ms (48 bits) | version 7 (4 bits) | rand_a (12 bits)
  uint64_t high = (static_cast<uint64_t>(millis) << 16) | 0x7000ULL | (engine() & 0x0FFFULL);
  uint64_t low = engine();
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10, rand_b (62 bits)
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                         low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace homevisit::domain
