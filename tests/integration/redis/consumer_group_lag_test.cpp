// SPDX-License-Identifier: Apache-2.0
// ConsumerGroupLag against a real redis-server: exact lag as entries are added and read, errors named.
#include "frame_tracking/redis/consumer_group_lag.hpp"
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/redis_fixture.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(ConsumerGroupLagTest, CountsEntriesTheGroupHasNotRead) {
  ASSERT_NE(fixture_port("redis"), 0) << "no " FT_FIXTURE_DIR "/redis.port";
  const std::string stream = unique_name("lag");
  StreamConsumer consumer(stream_consumer_options(stream, "workers", "c1"));
  ASSERT_TRUE(consumer.poll(10, 10ms).ok());  // creates the group at the stream's start
  ConsumerGroupLag lag(redis_endpoint(), stream, "workers");
  auto none = lag.read();
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, 0u);

  StreamProducer producer({redis_endpoint(), 0});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(producer.send(stream, "x", {}).ok());
  auto five = lag.read();
  ASSERT_TRUE(five) << five.error().message;
  EXPECT_EQ(*five, 5u);

  PollResult polled = consumer.poll(3, 100ms);
  ASSERT_TRUE(polled.ok()) << polled.error;
  ASSERT_EQ(polled.messages.size(), 3u);
  auto two = lag.read();
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(*two, 2u);  // read but unacked entries are pending, not lag
}

TEST(ConsumerGroupLagTest, UnknownGroupAndStreamAreNamedErrors) {
  ASSERT_NE(fixture_port("redis"), 0);
  const std::string stream = unique_name("lag");
  ConsumerGroupLag missing_stream(redis_endpoint(), stream, "workers");
  auto error = missing_stream.read();
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message, "XINFO GROUPS " + stream + " (group workers): ERR no such key");

  StreamProducer producer({redis_endpoint(), 0});
  ASSERT_TRUE(producer.send(stream, "x", {}).ok());
  auto no_group = missing_stream.read();
  ASSERT_FALSE(no_group);
  EXPECT_EQ(no_group.error().message, "XINFO GROUPS " + stream + " (group workers): no such consumer group");
}

}  // namespace
}  // namespace frame_tracking::redis
