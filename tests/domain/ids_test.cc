// Resource ids: RFC 9562 version-7 UUIDs, unique, and growing with time (what keeps index
// inserts at the right edge of the b-trees keyed by them).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/ids.h"

namespace homevisit::domain {
namespace {

TEST(NewIdTest, IsALowercaseVersion7Uuid) {
  const std::regex v7("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId();
    EXPECT_TRUE(std::regex_match(id, v7)) << id;
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
