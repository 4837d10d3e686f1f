// SPDX-License-Identifier: Apache-2.0
// QueueDepth against a real rabbitmq-server: exact ready-message counts, a missing queue named.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "frame_tracking/rabbitmq/queue_depth.hpp"
#include "messaging_support/amqp_fixture.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(QueueDepthTest, CountsReadyMessages) {
  ASSERT_NE(fixture_port("rabbitmq"), 0) << "no " FT_FIXTURE_DIR "/rabbitmq.port";
  const QueueDeclaration queue = queue_declaration(unique_name("depth"));
  AmqpProducer producer(amqp_producer_options(queue));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(producer.send(queue.name, "x", {}).ok());
  QueueDepth depth(amqp_endpoint(), queue.name);
  auto five = depth.read();
  ASSERT_TRUE(five) << five.error().message;
  EXPECT_EQ(*five, 5u);

  AmqpConsumer consumer(amqp_consumer_options(queue, 3));
  std::size_t received = 0;
  for (int i = 0; i < 50 && received < 3; ++i) {
    PollResult polled = consumer.poll(3, 100ms);
    ASSERT_TRUE(polled.ok()) << polled.error;
    received += polled.messages.size();
  }
  ASSERT_EQ(received, 3u);
  auto two = depth.read();
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(*two, 2u);  // delivered but unacked messages are not ready
}

TEST(QueueDepthTest, MissingQueueIsANamedErrorAndTheProbeRecovers) {
  ASSERT_NE(fixture_port("rabbitmq"), 0);
  const std::string name = unique_name("depth");
  QueueDepth depth(amqp_endpoint(), name);
  auto missing = depth.read();
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().message.starts_with("queue.declare passive " + name + ": ")) << missing.error().message;
  EXPECT_NE(missing.error().message.find("NOT_FOUND"), std::string::npos) << missing.error().message;

  AmqpProducer producer(amqp_producer_options(queue_declaration(name)));
  ASSERT_TRUE(producer.send(name, "x", {}).ok());
  auto one = depth.read();
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(*one, 1u);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
