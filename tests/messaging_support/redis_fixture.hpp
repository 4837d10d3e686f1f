// SPDX-License-Identifier: Apache-2.0
// Test support: endpoint and consumer options for the redis-server of the CTest fixture `redis`.
#pragma once

#include "frame_tracking/redis/redis_endpoint.hpp"
#include "frame_tracking/redis/stream_consumer.hpp"
#include "messaging_support/broker_fixture.hpp"

#include <string>

namespace frame_tracking::testing {

/// The fixture's redis-server (port from FT_FIXTURE_DIR/redis.port), giving up reconnecting after 2 s.
inline redis::RedisEndpoint redis_endpoint() { return fixture_endpoint<redis::RedisEndpoint>("redis"); }

/// A consumer named `consumer` of group `group` on `stream` of the fixture's redis-server.
inline redis::StreamConsumerOptions stream_consumer_options(const std::string& stream, const std::string& group,
                                                            const std::string& consumer) {
  redis::StreamConsumerOptions o;
  o.endpoint = redis_endpoint();
  o.stream = stream;
  o.group = group;
  o.consumer = consumer;
  return o;
}

}  // namespace frame_tracking::testing
