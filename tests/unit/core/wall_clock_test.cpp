// SPDX-License-Identifier: Apache-2.0
// Tests of unix_now_ns: the system clock's reading in Unix nanoseconds.
#include "frame_tracking/wall_clock.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

std::int64_t system_clock_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

TEST(WallClockTest, ReadsTheSystemClockInUnixNanoseconds) {
  const std::int64_t before = system_clock_ns();
  const std::int64_t now = unix_now_ns();
  const std::int64_t after = system_clock_ns();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
  EXPECT_GT(now, 1'700'000'000'000'000'000);  // after November 2023: nanoseconds, not µs or ms
}

}  // namespace
}  // namespace frame_tracking
