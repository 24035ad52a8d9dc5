// Resource ids: RFC 9562 version-7 UUIDs, unique, and growing with time (what keeps index
// inserts at the right edge of the b-trees keyed by them).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "domain/ids.h"

namespace homevisit::domain {
namespace {

// Checked character by character: std::regex trips GCC 12's -Wmaybe-uninitialized under the
// sanitizer build's -O1 (a false positive inside libstdc++), and that build uses -Werror.
bool IsLowercaseUuidV7(const std::string& id) {
  // xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx, V one of 8 9 a b (the RFC 9562 variant).
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here != (c == '-')) return false;
    if (!dash_here && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return id[14] == '7' && std::string_view("89ab").find(id[19]) != std::string_view::npos;
}

TEST(NewIdTest, IsALowercaseVersion7Uuid) {
  EXPECT_FALSE(IsLowercaseUuidV7("0190b6e2-7c1a-4abc-8def-0123456789ab"));  // version 4
  EXPECT_FALSE(IsLowercaseUuidV7("0190b6e2-7c1a-7abc-cdef-0123456789ab"));  // wrong variant
  EXPECT_FALSE(IsLowercaseUuidV7("0190B6E2-7c1a-7abc-8def-0123456789ab"));  // upper case
  EXPECT_TRUE(IsLowercaseUuidV7("0190b6e2-7c1a-7abc-8def-0123456789ab"));
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId();
    EXPECT_TRUE(IsLowercaseUuidV7(id)) << id;
  }
}

TEST(NewIdTest, CarriesTheCurrentUnixTimeInMilliseconds) {
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  long long before = now_ms();
  std::string id = NewId();
  long long after = now_ms();
  long long stamped = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
  EXPECT_GE(stamped, before);
  EXPECT_LE(stamped, after);
}

TEST(NewIdTest, IdsMadeLaterSortAfterEarlierOnes) {
  std::string earlier = NewId();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::string later = NewId();
  EXPECT_LT(earlier, later);
}

TEST(NewIdTest, NeverRepeatsWithinOneMillisecondAcrossThreads) {
  std::set<std::string> seen;
  std::vector<std::string> other(20000);
  std::thread t([&] {
    for (auto& id : other) id = NewId();
  });
  for (int i = 0; i < 20000; ++i) seen.insert(NewId());
  t.join();
  seen.insert(other.begin(), other.end());
  EXPECT_EQ(seen.size(), 40000u);
}

}  // namespace
}  // namespace homevisit::domain
