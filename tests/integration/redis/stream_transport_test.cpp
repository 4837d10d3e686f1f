// SPDX-License-Identifier: Apache-2.0
// Redis Streams transport against a real redis-server: round trip, claims, dead letters, failures.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/message_checks.hpp"
#include "messaging_support/redis_fixture.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(RedisEndpointTest, ParsesUrls) {
  auto e = RedisEndpoint::from_url("redis://10.1.2.3:6380/2");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "10.1.2.3");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->database, 2);
  EXPECT_EQ(e->to_url(), "redis://10.1.2.3:6380/2");
  EXPECT_EQ(RedisEndpoint::from_url("redis://cache")->port, 6379);
  EXPECT_EQ(RedisEndpoint::from_url("redis://h:70000").error().message, "redis url: port '70000' is not in 1..65535");
  EXPECT_EQ(RedisEndpoint::from_url("http://h").error().message, "redis url: 'http://h' does not start with redis://");
  EXPECT_EQ(RedisEndpoint::from_url("redis://h/x").error().message,
            "redis url: database 'x' is not a non-negative integer");
}

TEST(RedisStreamTest, RoundTripKeepsPayloadHeadersAndId) {
  ASSERT_NE(fixture_port("redis"), 0) << "no " FT_FIXTURE_DIR "/redis.port";
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  // Split literal: "\x01binary" would read as the escape \x01b. 9 bytes: NUL, 0x01, "binary", 0xff.
  const std::string payload("\x00\x01" "binary" "\xff", 9);
  MessageHeaders headers{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                         {"tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"},
                         {"frame_metadata", R"({"frame_id":"x"})"}};
  SendResult sent = producer.send(stream, payload, headers);
  ASSERT_TRUE(sent.ok()) << sent.error;
  EXPECT_NE(sent.message_id.find('-'), std::string::npos);

  StreamConsumer consumer(stream_consumer_options(stream, "workers", "c1"));
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_TRUE(polled.ok()) << polled.error;
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  EXPECT_EQ(m.id, sent.message_id);
  EXPECT_EQ(m.destination, stream);
  EXPECT_EQ(m.payload, payload);
  expect_headers_as_sent(m, headers);
  EXPECT_GE(m.received_unix_ns, m.sent_unix_ns);
  EXPECT_EQ(m.delivery_count, 1u);
  EXPECT_TRUE(consumer.ack(m));
  EXPECT_TRUE(consumer.poll(10, 10ms).messages.empty());

  EXPECT_EQ(producer.counters().sent, 1u);
  EXPECT_EQ(producer.counters().failed, 0u);
  EXPECT_EQ(consumer.counters().received, 1u);
  EXPECT_EQ(consumer.counters().acked, 1u);
}

TEST(RedisStreamTest, ReservedHeaderIsRejectedAndCounted) {
  StreamProducer producer({redis_endpoint(), 0});
  SendResult r = producer.send(unique_name("frames"), "p", {{"payload", "x"}});
  EXPECT_EQ(r.status, TransportStatus::kInvalidArgument);
  EXPECT_EQ(r.error, "redis XADD frames.RedisStreamTest.ReservedHeaderIsRejectedAndCounted: header 'payload' is a reserved field");
  EXPECT_EQ(producer.counters().failed, 1u);
}

TEST(RedisStreamTest, UnreachableServerIsReportedAndCounted) {
  StreamProducerOptions o{redis_endpoint(), 0};
  o.endpoint.port = 1;  // nothing listens on port 1
  o.endpoint.reconnect.deadline = 100ms;
  StreamProducer producer(o);
  SendResult r = producer.send("frames", "p", {});
  EXPECT_EQ(r.status, TransportStatus::kUnavailable);
  EXPECT_NE(r.error.find("redis redis://127.0.0.1:1/0: connect failed"), std::string::npos) << r.error;
  EXPECT_EQ(producer.counters().failed, 1u);
  EXPECT_EQ(producer.counters().sent, 0u);
}

TEST(RedisStreamTest, IdleConsumersPendingEntriesAreClaimed) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(producer.send(stream, "frame-" + std::to_string(i), {}).ok());

  // The "dead" consumer reads everything and never acks.
  StreamConsumer dead(stream_consumer_options(stream, "workers", "dead"));
  ASSERT_EQ(dead.poll(100, 1000ms).messages.size(), 5u);

  auto o = stream_consumer_options(stream, "workers", "rescuer");
  o.claim_min_idle = 50ms;
  StreamConsumer rescuer(o);
  std::this_thread::sleep_for(80ms);
  PollResult claimed = rescuer.poll(100, 100ms);
  ASSERT_TRUE(claimed.ok()) << claimed.error;
  ASSERT_EQ(claimed.messages.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(claimed.messages[i].payload, "frame-" + std::to_string(i));
    EXPECT_EQ(claimed.messages[i].delivery_count, 2u);
    EXPECT_TRUE(rescuer.ack(claimed.messages[i]));
  }
  EXPECT_EQ(rescuer.counters().claimed, 5u);
  EXPECT_TRUE(rescuer.poll(100, 10ms).messages.empty());
}

TEST(RedisStreamTest, RestartedConsumerFirstFinishesItsOwnPendingEntries) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  ASSERT_TRUE(producer.send(stream, "a", {}).ok());
  {
    StreamConsumer first(stream_consumer_options(stream, "workers", "worker-1"));
    ASSERT_EQ(first.poll(10, 1000ms).messages.size(), 1u);
  }
  ASSERT_TRUE(producer.send(stream, "b", {}).ok());
  StreamConsumer again(stream_consumer_options(stream, "workers", "worker-1"));
  PollResult r1 = again.poll(10, 1000ms);
  ASSERT_EQ(r1.messages.size(), 1u);
  EXPECT_EQ(r1.messages[0].payload, "a");
  EXPECT_EQ(r1.messages[0].delivery_count, 2u);  // re-reading its own history is a second delivery
  PollResult r2 = again.poll(10, 1000ms);
  ASSERT_EQ(r2.messages.size(), 1u);
  EXPECT_EQ(r2.messages[0].payload, "b");
}

TEST(RedisStreamTest, DeadLetterMovesEntryWithItsFields) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  SendResult sent = producer.send(stream, "bad", {{"camera_id", "cam-7"}});
  ASSERT_TRUE(sent.ok());
  auto o = stream_consumer_options(stream, "workers", "c1");
  o.dead_letter_stream = stream + ".dead";
  StreamConsumer consumer(o);
  PollResult r = consumer.poll(10, 1000ms);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_TRUE(consumer.reject(r.messages[0], RejectAction::kDeadLetter));
  EXPECT_EQ(consumer.counters().dead_lettered, 1u);

  auto dlo = stream_consumer_options(stream + ".dead", "workers", "inspector");
  StreamConsumer inspector(dlo);
  PollResult dead = inspector.poll(10, 1000ms);
  ASSERT_EQ(dead.messages.size(), 1u);
  EXPECT_EQ(dead.messages[0].payload, "bad");
  ASSERT_NE(dead.messages[0].header("camera_id"), nullptr);
  EXPECT_EQ(dead.messages[0].header("camera_id")->value, "cam-7");
  ASSERT_NE(dead.messages[0].header("dead_letter_from"), nullptr);
  EXPECT_EQ(dead.messages[0].header("dead_letter_from")->value, stream + ":" + sent.message_id);
  EXPECT_TRUE(consumer.poll(10, 10ms).messages.empty());
}

TEST(RedisStreamTest, PoisonMessageIsDeadLetteredAfterMaxDeliveries) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  ASSERT_TRUE(producer.send(stream, "poison", {}).ok());
  auto o = stream_consumer_options(stream, "workers", "c1");
  o.claim_min_idle = 20ms;
  o.claim_interval = 0ms;
  o.max_deliveries = 2;
  StreamConsumer consumer(o);
  ASSERT_EQ(consumer.poll(10, 1000ms).messages.size(), 1u);  // delivery 1, requeued
  std::this_thread::sleep_for(40ms);
  PollResult second = consumer.poll(10, 10ms);               // delivery 2 (claimed back)
  ASSERT_EQ(second.messages.size(), 1u);
  EXPECT_EQ(second.messages[0].delivery_count, 2u);
  EXPECT_TRUE(consumer.reject(second.messages[0], RejectAction::kRequeue));
  std::this_thread::sleep_for(40ms);
  EXPECT_TRUE(consumer.poll(10, 10ms).messages.empty());      // delivery 3 > 2: dead-lettered
  EXPECT_EQ(consumer.counters().dead_lettered, 1u);
  EXPECT_EQ(consumer.counters().requeued, 1u);
}

TEST(RedisStreamTest, MaxLengthTrimsTheStream) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 10});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(producer.send(stream, "x", {}).ok());
  StreamConsumer consumer(stream_consumer_options(stream, "workers", "c1"));
  PollResult r = consumer.poll(2000, 1000ms);
  // MAXLEN ~ trims whole macro nodes (100 entries by default), so "about 10" is at most 110.
  EXPECT_GE(r.messages.size(), 10u);
  EXPECT_LE(r.messages.size(), 110u);
}

}  // namespace
}  // namespace frame_tracking::redis
