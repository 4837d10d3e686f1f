// SPDX-License-Identifier: Apache-2.0
// Retry policy: retryable statuses, Retry-After in both forms, back-off growth, cap and jitter bounds.
#include "retry_policy.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::otlp::detail {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, OnlyThrottlingAndGatewayStatusesAreRetryable) {
  for (long s : {429L, 502L, 503L, 504L}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (long s : {200L, 400L, 401L, 403L, 404L, 413L, 500L, 501L}) EXPECT_FALSE(is_retryable_status(s)) << s;
}

TEST(RetryPolicyTest, RetryAfterDelaySeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("3", now), milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

TEST(RetryPolicyTest, RetryAfterHttpDateInAllThreeForms) {
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 (RFC 9110 §5.6.7 example).
  const auto now = std::chrono::system_clock::from_time_t(784111777 - 120);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), milliseconds(120000));
  // A date in the past means "now".
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), milliseconds(0));
}

TEST(RetryPolicyTest, BackoffGrowsByTheMultiplierUpToTheCap) {
  Backoff b(milliseconds(100), milliseconds(300), 2.0);
  EXPECT_EQ(b.next(1.0), milliseconds(100));
  EXPECT_EQ(b.next(1.0), milliseconds(200));
  EXPECT_EQ(b.next(1.0), milliseconds(300));
  EXPECT_EQ(b.next(1.0), milliseconds(300));
}

TEST(RetryPolicyTest, JitterKeepsHalfToAllOfTheDelay) {
  Backoff low(milliseconds(1000), milliseconds(5000), 1.5);
  EXPECT_EQ(low.next(0.0), milliseconds(500));
  EXPECT_EQ(low.next(0.0), milliseconds(750));
  Backoff mid(milliseconds(1000), milliseconds(5000), 1.5);
  EXPECT_EQ(mid.next(0.5), milliseconds(750));
}

}  // namespace
}  // namespace frame_tracking::otlp::detail
