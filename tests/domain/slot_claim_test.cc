// Granules: what a slot claim covers (see domain/scheduling_repository.h).
#include <gmock/gmock.h>

#include "domain/scheduling_repository.h"

namespace homevisit::domain {
namespace {

absl::Time At(int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(2026, 12, 3, hour, minute), absl::UTCTimeZone());
}

TEST(GranulesOfTest, CoversEveryGranuleTheOccupancyTouches) {
  // 10:00-13:30 aligned: 14 granules, the last starting 13:15.
  auto g = GranulesOf({At(10, 0), At(13, 30)});
  ASSERT_EQ(g.size(), 14u);
  EXPECT_EQ(g.front(), At(10, 0));
  EXPECT_EQ(g.back(), At(13, 15));
  // Off the grid: widened to whole granules on both sides.
  g = GranulesOf({At(10, 5), At(10, 20)});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g.front(), At(10, 0));
  EXPECT_EQ(g.back(), At(10, 15));
  EXPECT_TRUE(GranulesOf({At(10, 0), At(10, 0)}).empty());
}

TEST(GranulesOfTest, OverlappingOccupanciesShareAGranuleAndTouchingOnesDoNot) {
  auto a = GranulesOf({At(10, 0), At(13, 30)});
  auto touching = GranulesOf({At(13, 30), At(17, 0)});
  auto overlapping = GranulesOf({At(13, 29), At(17, 0)});
  EXPECT_THAT(touching, ::testing::Not(::testing::Contains(a.back())));
  EXPECT_THAT(overlapping, ::testing::Contains(a.back()));
}

TEST(GranulesOfTest, AlignsToTheEpochBeforeItToo) {
  auto g = GranulesOf({absl::FromUnixSeconds(-60), absl::FromUnixSeconds(60)});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g.front(), absl::FromUnixSeconds(-15 * 60));
  EXPECT_EQ(g.back(), absl::UnixEpoch());
}

}  // namespace
}  // namespace homevisit::domain
