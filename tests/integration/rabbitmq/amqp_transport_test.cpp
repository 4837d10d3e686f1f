// SPDX-License-Identifier: Apache-2.0
// RabbitMQ transport against a real broker: confirms, typed headers, requeue, dead letters, failures.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/amqp_fixture.hpp"
#include "messaging_support/amqp_foreign_client.hpp"
#include "messaging_support/message_checks.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(AmqpEndpointTest, ParsesUrls) {
  auto e = AmqpEndpoint::from_url("amqp://user:p%40ss@broker:5673/%2f");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "broker");
  EXPECT_EQ(e->port, 5673);
  EXPECT_EQ(e->user, "user");
  EXPECT_EQ(e->password, "p@ss");
  EXPECT_EQ(e->vhost, "/");
  EXPECT_EQ(e->to_url(), "amqp://broker:5673/%2f");
  auto plain = AmqpEndpoint::from_url("amqp://127.0.0.1/frames");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 5672);
  EXPECT_EQ(plain->vhost, "frames");
  EXPECT_EQ(plain->user, "guest");
  EXPECT_EQ(AmqpEndpoint::from_url("amqp://h:0").error().message, "amqp url: port '0' is not in 1..65535");
  EXPECT_EQ(AmqpEndpoint::from_url("redis://h").error().message, "amqp url: 'redis://h' does not start with amqp://");
}

TEST(AmqpDestinationNameTest, FollowsSemanticConventions) {
  EXPECT_EQ(producer_destination_name("", ""), "amq.default");
  EXPECT_EQ(producer_destination_name("", "frames"), "frames");
  EXPECT_EQ(producer_destination_name("video", ""), "video");
  EXPECT_EQ(producer_destination_name("video", "cam.1"), "video:cam.1");
  EXPECT_EQ(consumer_destination_name("", "frames", "frames"), "frames");
  EXPECT_EQ(consumer_destination_name("video", "cam.1", "q1"), "video:cam.1:q1");
  EXPECT_EQ(consumer_destination_name("video", "", "q1"), "video:q1");
}

TEST(AmqpTransportTest, RoundTripKeepsPayloadHeadersAndId) {
  ASSERT_NE(fixture_port("rabbitmq"), 0) << "no " FT_FIXTURE_DIR "/rabbitmq.port";
  const auto q = queue_declaration(unique_name("frames"));
  AmqpProducer producer(amqp_producer_options(q));
  AmqpConsumer consumer(amqp_consumer_options(q));
  // Split literal: "\x01binary" would read as the escape \x01b. 9 bytes: NUL, 0x01, "binary", 0xff.
  const std::string payload("\x00\x01" "binary" "\xff", 9);
  MessageHeaders headers{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                         {"tracestate", "congo=t61rcWkgMzE"},
                         {"blob", std::string("\x01\x02", 2), HeaderType::kBytes}};
  SendResult sent = producer.send(q.name, payload, headers);
  ASSERT_TRUE(sent.ok()) << sent.error;
  EXPECT_EQ(sent.message_id.size(), 18u);  // 16 hex + "-1"
  EXPECT_EQ(producer.destination_name(q.name), q.name);

  PollResult polled = consumer.poll(10, 5000ms);
  ASSERT_TRUE(polled.ok()) << polled.error;
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  EXPECT_EQ(m.id, sent.message_id);
  EXPECT_EQ(m.payload, payload);
  EXPECT_EQ(m.exchange, "");
  EXPECT_EQ(m.routing_key, q.name);
  EXPECT_EQ(consumer.destination_name(m), q.name);
  expect_headers_as_sent(m, headers);
  EXPECT_EQ(m.delivery_count, 1u);
  EXPECT_TRUE(consumer.ack(m));
  EXPECT_TRUE(consumer.poll(10, 50ms).messages.empty());
  EXPECT_EQ(producer.counters().sent, 1u);
  EXPECT_EQ(consumer.counters().acked, 1u);
}

// Other clients send traceparent as a byte array and put numbers in headers.
TEST(AmqpTransportTest, ForeignHeaderTypesAreReportedTyped) {
  const auto q = queue_declaration(unique_name("frames"));
  AmqpConsumer consumer(amqp_consumer_options(q));
  ASSERT_TRUE(consumer.poll(1, 10ms).ok());  // declares the queue

  publish_foreign(q.name,
                  {header_entry("traceparent", bytes_field("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                   header_entry("retries", i32_field(42))});

  PollResult polled = consumer.poll(10, 5000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  ASSERT_EQ(m.headers.size(), 2u);
  EXPECT_EQ(m.headers[0], (MessageHeader{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                                         HeaderType::kBytes}));
  EXPECT_EQ(m.headers[1], (MessageHeader{"retries", "42", HeaderType::kOther}));
  EXPECT_EQ(m.id, "");
  EXPECT_EQ(m.sent_unix_ns, 0);
  EXPECT_TRUE(consumer.ack(m));
}

TEST(AmqpTransportTest, UnroutableMessageIsReportedAndCounted) {
  AmqpProducerOptions o;
  o.endpoint = amqp_endpoint();
  AmqpProducer producer(o);
  SendResult r = producer.send(unique_name("nobody-listens"), "p", {});
  EXPECT_EQ(r.status, TransportStatus::kUnroutable);
  EXPECT_EQ(r.error, "amqp publish " + unique_name("nobody-listens") + ": returned as unroutable (312 NO_ROUTE)");
  EXPECT_EQ(producer.counters().failed, 1u);
  // The channel stays usable.
  const auto q = queue_declaration(unique_name("frames"));
  o.queues = {q};
  AmqpProducer second(o);
  EXPECT_TRUE(second.send(q.name, "p", {}).ok());
}

TEST(AmqpTransportTest, UnreachableBrokerIsReportedAndCounted) {
  AmqpProducerOptions o;
  o.endpoint = amqp_endpoint();
  o.endpoint.port = 1;
  o.endpoint.reconnect.deadline = 100ms;
  AmqpProducer producer(o);
  SendResult r = producer.send("frames", "p", {});
  EXPECT_EQ(r.status, TransportStatus::kUnavailable);
  EXPECT_NE(r.error.find("amqp amqp://127.0.0.1:1/%2f: connect failed"), std::string::npos) << r.error;
  EXPECT_EQ(producer.counters().failed, 1u);
}

TEST(AmqpTransportTest, RequeuedMessageComesBackMarkedRedelivered) {
  const auto q = queue_declaration(unique_name("frames"));
  AmqpProducer producer(amqp_producer_options(q));
  AmqpConsumer consumer(amqp_consumer_options(q));
  ASSERT_TRUE(producer.send(q.name, "again", {}).ok());
  PollResult first = consumer.poll(10, 5000ms);
  ASSERT_EQ(first.messages.size(), 1u);
  EXPECT_TRUE(consumer.reject(first.messages[0], RejectAction::kRequeue));
  PollResult second = consumer.poll(10, 5000ms);
  ASSERT_EQ(second.messages.size(), 1u);
  EXPECT_EQ(second.messages[0].payload, "again");
  EXPECT_EQ(second.messages[0].delivery_count, 2u);
  EXPECT_TRUE(consumer.ack(second.messages[0]));
  EXPECT_EQ(consumer.counters().requeued, 1u);
}

TEST(AmqpTransportTest, DeadLetteredMessageLandsInTheDeadLetterQueue) {
  const auto q = queue_declaration(unique_name("frames"), unique_name("frames") + ".dead");
  AmqpProducer producer(amqp_producer_options(q));
  AmqpConsumer consumer(amqp_consumer_options(q));
  ASSERT_TRUE(producer.send(q.name, "bad", {{"camera_id", "cam-7"}}).ok());
  PollResult r = consumer.poll(10, 5000ms);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_TRUE(consumer.reject(r.messages[0], RejectAction::kDeadLetter));

  AmqpConsumer inspector(amqp_consumer_options(queue_declaration(q.dead_letter_queue)));
  PollResult dead = inspector.poll(10, 5000ms);
  ASSERT_EQ(dead.messages.size(), 1u);
  EXPECT_EQ(dead.messages[0].payload, "bad");
  ASSERT_NE(dead.messages[0].header("camera_id"), nullptr);
  EXPECT_EQ(dead.messages[0].header("camera_id")->value, "cam-7");
  ASSERT_NE(dead.messages[0].header("x-death"), nullptr);  // RabbitMQ's dead-letter record
  EXPECT_EQ(consumer.counters().dead_lettered, 1u);
}

TEST(AmqpTransportTest, PollReturnsUpToMaxCountOfPrefetchedMessages) {
  const auto q = queue_declaration(unique_name("frames"));
  AmqpProducer producer(amqp_producer_options(q));
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(producer.send(q.name, std::to_string(i), {}).ok());
  AmqpConsumer consumer(amqp_consumer_options(q));
  std::size_t total = 0;
  int expected = 0;
  while (total < 30) {
    PollResult r = consumer.poll(8, 5000ms);
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_FALSE(r.messages.empty());
    EXPECT_LE(r.messages.size(), 8u);
    for (const auto& m : r.messages) {
      EXPECT_EQ(m.payload, std::to_string(expected++));
      EXPECT_TRUE(consumer.ack(m));
    }
    total += r.messages.size();
  }
  EXPECT_EQ(total, 30u);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
