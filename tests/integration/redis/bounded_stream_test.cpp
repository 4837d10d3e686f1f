// SPDX-License-Identifier: Apache-2.0
// StreamProducer max_length against a real redis-server: a full stream refuses new entries (counted), never drops unread ones.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/broker_fixture.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using frame_tracking::testing::fixture_port;
using frame_tracking::testing::unique_name;

RedisEndpoint bounded_endpoint() {
  RedisEndpoint e;
  e.port = fixture_port("redis");
  e.reconnect.deadline = 2s;
  return e;
}

StreamConsumerOptions consumer_options(const std::string& stream) {
  StreamConsumerOptions options;
  options.endpoint = bounded_endpoint();
  options.stream = stream;
  options.group = "workers";
  options.consumer = "c1";
  return options;
}

/// Payloads of every entry the consumer can still read (polls until one comes back empty), acked.
std::vector<std::string> drain(StreamConsumer& consumer) {
  std::vector<std::string> payloads;
  for (;;) {
    PollResult polled = consumer.poll(100, 50ms);
    EXPECT_TRUE(polled.ok()) << polled.error;
    if (!polled.ok() || polled.messages.empty()) return payloads;
    for (const auto& message : polled.messages) {
      payloads.push_back(message.payload);
      EXPECT_TRUE(consumer.ack(message));
    }
  }
}

TEST(BoundedStreamTest, AGroupWithNoConsumerReadingKeepsTheFirstMaxLengthEntriesAndTheRestAreRefused) {
  ASSERT_NE(fixture_port("redis"), 0) << "no " FT_FIXTURE_DIR "/redis.port";
  const std::string stream = unique_name("bounded");
  StreamConsumer consumer(consumer_options(stream));
  ASSERT_TRUE(consumer.poll(10, 10ms).ok());  // creates the group, then reads nothing for a while
  StreamProducer producer({bounded_endpoint(), 5});
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    SendResult sent = producer.send(stream, "p" + std::to_string(i), {});
    if (sent.status == TransportStatus::kQueueFull) {
      ++refused;
      EXPECT_EQ(sent.error, "redis XADD " + stream +
                                ": queue_full: 5 entries not yet acknowledged by every consumer group (max_length 5)");
    } else {
      EXPECT_TRUE(sent.ok()) << sent.error;
    }
  }
  EXPECT_EQ(refused, 7);
  EXPECT_EQ(producer.counters().sent, 5u);
  EXPECT_EQ(producer.counters().failed, 7u);

  const std::vector<std::string> delivered = drain(consumer);
  EXPECT_EQ(delivered, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4"}));
  // produced == delivered + counted drops
  EXPECT_EQ(delivered.size() + producer.counters().failed, 12u);
}

TEST(BoundedStreamTest, WithoutAnyGroupTheStreamKeepsTheNewestMaxLengthEntries) {
  ASSERT_NE(fixture_port("redis"), 0);
  const std::string stream = unique_name("bounded");
  StreamProducer producer({bounded_endpoint(), 5});
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(producer.send(stream, "p" + std::to_string(i), {}).ok());
  StreamConsumer consumer(consumer_options(stream));  // the group starts at the stream's first entry
  EXPECT_EQ(drain(consumer), (std::vector<std::string>{"p7", "p8", "p9", "p10", "p11"}));
}

TEST(BoundedStreamTest, AFullStreamMakesRoomOnlyByTrimmingAcknowledgedEntries) {
  ASSERT_NE(fixture_port("redis"), 0);
  const std::string stream = unique_name("bounded");
  StreamConsumer consumer(consumer_options(stream));
  ASSERT_TRUE(consumer.poll(10, 10ms).ok());  // creates the group
  StreamProducer producer({bounded_endpoint(), 5});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(producer.send(stream, "p" + std::to_string(i), {}).ok());

  PollResult first = consumer.poll(3, 100ms);
  ASSERT_TRUE(first.ok()) << first.error;
  ASSERT_EQ(first.messages.size(), 3u);
  std::vector<std::string> delivered;
  for (const auto& message : first.messages) delivered.push_back(message.payload);

  // p0..p2 are delivered but pending (a consumer that dies now must find them again): no room.
  EXPECT_EQ(producer.send(stream, "p5", {}).status, TransportStatus::kQueueFull);
  for (const auto& message : first.messages) EXPECT_TRUE(consumer.ack(message));

  // Acknowledged, p0..p2 make room for three entries; p3, p4 and the new ones are unread.
  std::vector<TransportStatus> statuses;
  for (int i = 6; i < 11; ++i) statuses.push_back(producer.send(stream, "p" + std::to_string(i), {}).status);
  EXPECT_EQ(statuses, (std::vector<TransportStatus>{TransportStatus::kOk, TransportStatus::kOk, TransportStatus::kOk,
                                                    TransportStatus::kQueueFull, TransportStatus::kQueueFull}));

  for (auto& payload : drain(consumer)) delivered.push_back(std::move(payload));
  EXPECT_EQ(delivered, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4", "p6", "p7", "p8"}));
  EXPECT_EQ(producer.counters().sent, 8u);
  EXPECT_EQ(producer.counters().failed, 3u);
  EXPECT_EQ(delivered.size() + producer.counters().failed, 11u);
}

}  // namespace
}  // namespace frame_tracking::redis
