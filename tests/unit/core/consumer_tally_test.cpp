// SPDX-License-Identifier: Apache-2.0
// Tests of ConsumerTally: a failed poll is counted once, and snapshots carry the connection's reconnects.
#include "frame_tracking/consumer_tally.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

TEST(ConsumerTallyTest, AFailedPollIsCountedAndCarriesItsStatusAndError) {
  ConsumerTally tally;
  PollResult r = tally.failed_poll(TransportStatus::kUnavailable, "redis redis://127.0.0.1:1/0: connect failed");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, TransportStatus::kUnavailable);
  EXPECT_EQ(r.error, "redis redis://127.0.0.1:1/0: connect failed");
  EXPECT_TRUE(r.messages.empty());
  EXPECT_EQ(tally.counters.errors, 1u);
  tally.failed_poll(TransportStatus::kRejected, "x");
  EXPECT_EQ(tally.counters.errors, 2u);
}

TEST(ConsumerTallyTest, ASnapshotAddsTheReconnectsAndKeepsEveryOtherCounter) {
  ConsumerTally tally;
  tally.counters = ConsumerCounters{10, 7, 1, 2, 3, 4, 5, 6, 99};
  const ConsumerCounters c = tally.snapshot(8);
  EXPECT_EQ(c.received, 10u);
  EXPECT_EQ(c.acked, 7u);
  EXPECT_EQ(c.requeued, 1u);
  EXPECT_EQ(c.dead_lettered, 2u);
  EXPECT_EQ(c.claimed, 3u);
  EXPECT_EQ(c.stale_acks, 4u);
  EXPECT_EQ(c.deleted, 5u);
  EXPECT_EQ(c.errors, 6u);
  EXPECT_EQ(c.reconnects, 8u);
  EXPECT_EQ(tally.counters.reconnects, 99u);  // the tally itself is unchanged
}

}  // namespace
}  // namespace frame_tracking
