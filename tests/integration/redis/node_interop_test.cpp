// SPDX-License-Identifier: Apache-2.0
// Interop over Redis Streams with OpenTelemetry JS: each side continues the other's trace.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/node_peer.hpp"
#include "messaging_support/redis_fixture.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

class RedisNodeInteropTest : public testing::NodePeerTest {
 protected:
  RedisEndpoint endpoint_ = testing::redis_endpoint();
  std::string stream_ = unique_name("frames");
};

TEST_F(RedisNodeInteropTest, NodeConsumerContinuesOurTrace) {
  StreamProducer producer({endpoint_, 0});
  testing::expect_node_continues_our_trace(producer, "redis-consume", endpoint_.port, stream_);
}

TEST_F(RedisNodeInteropTest, OurConsumerContinuesNodesTrace) {
  auto node = testing::run_node_peer("redis-produce", endpoint_.port, stream_);
  ASSERT_FALSE(node.is_null());

  StreamConsumer consumer(testing::stream_consumer_options(stream_, "storage", "c1"));
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  EXPECT_EQ(polled.messages[0].payload, "from-node");
  EXPECT_EQ(polled.messages[0].id, node["messageId"]);
  testing::expect_we_continue_nodes_trace(consumer, polled.messages[0], node);
}

}  // namespace
}  // namespace frame_tracking::redis
