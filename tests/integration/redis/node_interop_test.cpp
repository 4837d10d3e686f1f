// SPDX-License-Identifier: Apache-2.0
// Interop over Redis Streams with OpenTelemetry JS: each side continues the other's trace.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/broker_fixture.hpp"
#include "messaging_support/node_peer.hpp"
#include "messaging_support/traced_flows.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using frame_tracking::testing::fixture_port;
using frame_tracking::testing::TracingProcess;
using frame_tracking::testing::unique_name;

class RedisNodeInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::node_peer_available()) GTEST_SKIP() << "node or tests/interop/node_modules missing (scripts/install-deps.sh)";
    endpoint_.port = fixture_port("redis");
  }
  RedisEndpoint endpoint_;
};

TEST_F(RedisNodeInteropTest, NodeConsumerContinuesOurTrace) {
  const std::string stream = unique_name("frames");
  TracingProcess capture("capture");
  StreamProducer producer({endpoint_, 0});
  TracedProducer traced(producer, capture.tracer, capture.propagator);
  Context parent;
  parent.span_context.trace_id = *TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  parent.span_context.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  parent.span_context.trace_flags.value = TraceFlags::kSampled;
  parent.span_context.trace_state = *TraceState::parse("congo=t61rcWkgMzE");
  ASSERT_TRUE(traced.send(stream, "from-cpp", {}, nullptr, &parent).ok());
  const SpanContext send = capture.store->spans().at(0)->context;

  auto node = testing::run_node_peer("redis-consume", endpoint_.port, stream);
  ASSERT_FALSE(node.is_null());
  EXPECT_EQ(node["payload"], "from-cpp");
  EXPECT_EQ(node["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(node["parentSpanId"], send.span_id.to_hex());
  EXPECT_EQ(node["traceFlags"], 1);
  EXPECT_EQ(node["traceState"], "congo=t61rcWkgMzE");
}

TEST_F(RedisNodeInteropTest, OurConsumerContinuesNodesTrace) {
  const std::string stream = unique_name("frames");
  auto node = testing::run_node_peer("redis-produce", endpoint_.port, stream);
  ASSERT_FALSE(node.is_null());

  TracingProcess storage("storage");
  StreamConsumerOptions o;
  o.endpoint = endpoint_;
  o.stream = stream;
  o.group = "storage";
  o.consumer = "c1";
  StreamConsumer consumer(o);
  TracedConsumer traced(consumer, storage.tracer, storage.propagator);
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  EXPECT_EQ(polled.messages[0].payload, "from-node");
  EXPECT_EQ(polled.messages[0].id, node["messageId"]);
  Span span = traced.start_process(polled.messages[0]);
  EXPECT_TRUE(traced.settle(polled.messages[0], span, true));
  auto spans = storage.store->spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->context.trace_id.to_hex(), node["traceId"]);
  EXPECT_EQ(spans[0]->parent_span_id.to_hex(), node["spanId"]);
  EXPECT_TRUE(spans[0]->parent_is_remote);
  EXPECT_EQ(spans[0]->context.trace_state.header(), node["traceState"]);
  EXPECT_EQ(testing::string_attribute(*spans[0], kContextProblemAttribute), "<unset>");
}

}  // namespace
}  // namespace frame_tracking::redis
