// SPDX-License-Identifier: Apache-2.0
// Tests of to_timeval and timeval_until: seconds/microseconds split, milliseconds in, negative durations clamped.
#include "frame_tracking/timeval.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

using namespace std::chrono_literals;

TEST(TimevalTest, SplitsIntoSecondsAndMicroseconds) {
  const timeval tv = to_timeval(2'345'678us);
  EXPECT_EQ(tv.tv_sec, 2);
  EXPECT_EQ(tv.tv_usec, 345'678);
}

TEST(TimevalTest, TakesMilliseconds) {
  const timeval tv = to_timeval(1500ms);
  EXPECT_EQ(tv.tv_sec, 1);
  EXPECT_EQ(tv.tv_usec, 500'000);
  const timeval whole = to_timeval(2000ms);
  EXPECT_EQ(whole.tv_sec, 2);
  EXPECT_EQ(whole.tv_usec, 0);
}

TEST(TimevalTest, ZeroAndNegativeDurationsAreZero) {
  for (auto d : {0us, -1us, -1500000us}) {
    const timeval tv = to_timeval(d);
    EXPECT_EQ(tv.tv_sec, 0) << d.count();
    EXPECT_EQ(tv.tv_usec, 0) << d.count();
  }
}

TEST(TimevalTest, TimeUntilADeadline) {
  const timeval passed = timeval_until(std::chrono::steady_clock::now() - 1s);
  EXPECT_EQ(passed.tv_sec, 0);
  EXPECT_EQ(passed.tv_usec, 0);
  const timeval hour = timeval_until(std::chrono::steady_clock::now() + 1h);
  EXPECT_GE(hour.tv_sec, 3000);  // just under an hour: some time passed since the deadline was set
  EXPECT_LE(hour.tv_sec, 3599);
  EXPECT_LT(hour.tv_usec, 1'000'000);
}

}  // namespace
}  // namespace frame_tracking
