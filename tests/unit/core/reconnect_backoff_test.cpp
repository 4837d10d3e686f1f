// SPDX-License-Identifier: Apache-2.0
// Tests of ReconnectBackoff: doubling delays up to the cap, and giving up before the deadline with a note.
#include "frame_tracking/reconnect_backoff.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

using namespace std::chrono_literals;

TEST(ReconnectBackoffTest, DelaysDoubleUpToTheCap) {
  ReconnectPolicy policy;
  policy.initial_delay = 1ms;
  policy.max_delay = 3ms;
  policy.deadline = 1h;
  ReconnectBackoff backoff(policy);
  std::string error = "connect failed";
  EXPECT_EQ(backoff.next_delay(), 1ms);
  ASSERT_TRUE(backoff.wait(error));
  EXPECT_EQ(backoff.next_delay(), 2ms);
  ASSERT_TRUE(backoff.wait(error));
  EXPECT_EQ(backoff.next_delay(), 3ms);
  ASSERT_TRUE(backoff.wait(error));
  EXPECT_EQ(backoff.next_delay(), 3ms);
  EXPECT_EQ(error, "connect failed");
}

TEST(ReconnectBackoffTest, GivesUpWhenTheNextSleepWouldPassTheDeadline) {
  ReconnectPolicy policy;
  policy.initial_delay = 20ms;
  policy.deadline = 0ms;
  ReconnectBackoff backoff(policy);
  std::string error = "redis redis://127.0.0.1:1/0: connect failed: Connection refused";
  EXPECT_FALSE(backoff.wait(error));
  EXPECT_EQ(error, "redis redis://127.0.0.1:1/0: connect failed: Connection refused (gave up after 0 ms)");
  EXPECT_EQ(backoff.next_delay(), 20ms);
}

TEST(ReconnectBackoffTest, TheDefaultPolicyNotesItsFiveSecondDeadline) {
  ReconnectPolicy policy;
  policy.initial_delay = 1h;  // longer than the deadline: gives up without sleeping
  ReconnectBackoff backoff(policy);
  std::string error = "x";
  EXPECT_FALSE(backoff.wait(error));
  EXPECT_EQ(error, "x (gave up after 5000 ms)");
}

}  // namespace
}  // namespace frame_tracking
