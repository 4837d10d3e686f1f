// SPDX-License-Identifier: Apache-2.0
// Interop over RabbitMQ with OpenTelemetry JS and amqplib: each side continues the other's trace
// (Node sends its traceparent as an AMQP byte array).
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/broker_fixture.hpp"
#include "messaging_support/node_peer.hpp"
#include "messaging_support/traced_flows.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using frame_tracking::testing::fixture_port;
using frame_tracking::testing::TracingProcess;
using frame_tracking::testing::unique_name;

class AmqpNodeInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::node_peer_available()) GTEST_SKIP() << "node or tests/interop/node_modules missing (scripts/install-deps.sh)";
    endpoint_.port = fixture_port("rabbitmq");
    queue_.name = unique_name("frames");
  }
  AmqpEndpoint endpoint_;
  QueueDeclaration queue_;
};

TEST_F(AmqpNodeInteropTest, NodeConsumerContinuesOurTrace) {
  TracingProcess capture("capture");
  AmqpProducerOptions o;
  o.endpoint = endpoint_;
  o.queues = {queue_};
  AmqpProducer producer(o);
  TracedProducer traced(producer, capture.tracer, capture.propagator);
  Context parent;
  parent.span_context.trace_id = *TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  parent.span_context.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  parent.span_context.trace_flags.value = TraceFlags::kSampled;
  parent.span_context.trace_state = *TraceState::parse("congo=t61rcWkgMzE");
  ASSERT_TRUE(traced.send(queue_.name, "from-cpp", {}, nullptr, &parent).ok());
  const SpanContext send = capture.store->spans().at(0)->context;

  auto node = testing::run_node_peer("amqp-consume", endpoint_.port, queue_.name);
  ASSERT_FALSE(node.is_null());
  EXPECT_EQ(node["payload"], "from-cpp");
  EXPECT_EQ(node["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(node["parentSpanId"], send.span_id.to_hex());
  EXPECT_EQ(node["traceFlags"], 1);
  EXPECT_EQ(node["traceState"], "congo=t61rcWkgMzE");
}

TEST_F(AmqpNodeInteropTest, OurConsumerContinuesNodesTrace) {
  AmqpConsumerOptions o;
  o.endpoint = endpoint_;
  o.queue = queue_;
  AmqpConsumer consumer(o);
  ASSERT_TRUE(consumer.poll(1, 10ms).ok());  // declares the queue
  auto node = testing::run_node_peer("amqp-produce", endpoint_.port, queue_.name);
  ASSERT_FALSE(node.is_null());

  TracingProcess storage("storage");
  TracedConsumer traced(consumer, storage.tracer, storage.propagator);
  PollResult polled = consumer.poll(10, 5000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  EXPECT_EQ(m.payload, "from-node");
  EXPECT_EQ(m.id, "node-1");
  ASSERT_NE(m.header("traceparent"), nullptr);
  EXPECT_EQ(m.header("traceparent")->type, HeaderType::kBytes);
  Span span = traced.start_process(m);
  EXPECT_TRUE(traced.settle(m, span, true));
  auto spans = storage.store->spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->context.trace_id.to_hex(), node["traceId"]);
  EXPECT_EQ(spans[0]->parent_span_id.to_hex(), node["spanId"]);
  EXPECT_TRUE(spans[0]->parent_is_remote);
  EXPECT_EQ(spans[0]->context.trace_state.header(), node["traceState"]);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
