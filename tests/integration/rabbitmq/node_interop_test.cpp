// SPDX-License-Identifier: Apache-2.0
// Interop over RabbitMQ with OpenTelemetry JS and amqplib: each side continues the other's trace
// (Node sends its traceparent as an AMQP byte array).
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/amqp_fixture.hpp"
#include "messaging_support/node_peer.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

class AmqpNodeInteropTest : public testing::NodePeerTest {
 protected:
  QueueDeclaration queue_ = testing::queue_declaration(testing::unique_name("frames"));
  std::uint16_t port_ = testing::fixture_port("rabbitmq");
};

TEST_F(AmqpNodeInteropTest, NodeConsumerContinuesOurTrace) {
  AmqpProducer producer(amqp_producer_options(queue_));
  testing::expect_node_continues_our_trace(producer, "amqp-consume", port_, queue_.name);
}

TEST_F(AmqpNodeInteropTest, OurConsumerContinuesNodesTrace) {
  AmqpConsumer consumer(amqp_consumer_options(queue_));
  ASSERT_TRUE(consumer.poll(1, 10ms).ok());  // declares the queue
  auto node = testing::run_node_peer("amqp-produce", port_, queue_.name);
  ASSERT_FALSE(node.is_null());

  PollResult polled = consumer.poll(10, 5000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  EXPECT_EQ(m.payload, "from-node");
  EXPECT_EQ(m.id, "node-1");
  ASSERT_NE(m.header("traceparent"), nullptr);
  EXPECT_EQ(m.header("traceparent")->type, HeaderType::kBytes);
  testing::expect_we_continue_nodes_trace(consumer, m, node);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
