// SPDX-License-Identifier: Apache-2.0
// A redis-server restarted while frames flow: the producer and consumer reconnect, and every frame is
// either delivered or reported to the caller as failed.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/delivery_check.hpp"
#include "messaging_support/private_broker.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;

TEST(RedisRestartTest, DeliveredPlusReportedFailuresEqualsSent) {
  // A private redis-server with AOF on, so a graceful restart keeps streams and groups.
  testing::PrivateBroker redis("redis", "redis-restart", "FRAME_TRACKING_REDIS_AOF=1");
  ASSERT_TRUE(redis.start());
  RedisEndpoint endpoint;
  endpoint.port = redis.port();
  endpoint.reconnect.initial_delay = 10ms;
  endpoint.reconnect.max_delay = 200ms;
  // Longer than any restart takes, so no send fails in doubt (applied by Redis, reply lost, then
  // reported failed), which would make the count ambiguous.
  endpoint.reconnect.deadline = 60s;

  constexpr int kFrames = 400;
  StreamProducer producer({endpoint, 0});
  testing::PayloadSender sender(producer, "frames", kFrames, 1ms);
  StreamConsumerOptions o;
  o.endpoint = endpoint;
  o.stream = "frames";
  o.group = "storage";
  o.consumer = "storage-1";
  StreamConsumer consumer(o);
  testing::DrainingReceiver receiver(consumer, 100ms);

  sender.wait_for(kFrames / 3);
  ASSERT_TRUE(redis.stop("--keep-files"));
  ASSERT_TRUE(redis.start(endpoint.port));
  const std::set<std::string> failed_payloads = sender.finish();
  const std::set<std::string> delivered = receiver.finish();

  // A reported failure may still have been delivered: the connection dropped after XADD was
  // written (see StreamProducer::send).
  testing::expect_nothing_lost_across_restart(producer.counters(), consumer.counters(), kFrames, failed_payloads,
                                              delivered);
}

}  // namespace
}  // namespace frame_tracking::redis
