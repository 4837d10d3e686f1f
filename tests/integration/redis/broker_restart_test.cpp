// SPDX-License-Identifier: Apache-2.0
// A redis-server restarted while frames flow: the producer and consumer reconnect, and every frame is
// either delivered or reported to the caller as failed.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/broker_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;

/// A private redis-server (AOF on, so a graceful restart keeps streams and groups) for one test.
class PrivateRedis {
 public:
  explicit PrivateRedis(std::string name) : name_(std::move(name)) {}
  ~PrivateRedis() { run("stop-redis.sh", ""); }
  bool start(const std::string& port = "") { return run("start-redis.sh", port) == 0 && read_port(); }
  bool stop_keeping_data() { return run("stop-redis.sh", "--keep-files") == 0; }
  std::uint16_t port() const { return port_; }

 private:
  int run(const std::string& script, const std::string& extra) {
    const std::string cmd = "FRAME_TRACKING_REDIS_AOF=1 " FT_FIXTURE_SCRIPTS "/" + script + " " FT_FIXTURE_DIR " " +
                            name_ + " " + extra + " >/dev/null";
    return std::system(cmd.c_str());
  }
  bool read_port() {
    std::ifstream in(std::string(FT_FIXTURE_DIR) + "/" + name_ + ".port");
    unsigned p = 0;
    in >> p;
    port_ = static_cast<std::uint16_t>(p);
    return port_ != 0;
  }
  std::string name_;
  std::uint16_t port_ = 0;
};

TEST(RedisRestartTest, DeliveredPlusReportedFailuresEqualsSent) {
  PrivateRedis redis("redis-restart");
  ASSERT_TRUE(redis.start());
  RedisEndpoint endpoint;
  endpoint.port = redis.port();
  endpoint.reconnect.initial_delay = 10ms;
  endpoint.reconnect.max_delay = 200ms;
  // Longer than any restart takes, so no send fails in doubt (applied by Redis, reply lost, then
  // reported failed), which would make the count ambiguous.
  endpoint.reconnect.deadline = 60s;

  constexpr int kFrames = 400;
  std::atomic<int> attempted{0};
  std::set<std::string> failed_payloads;
  StreamProducer producer({endpoint, 0});
  std::thread sender([&] {
    for (int i = 0; i < kFrames; ++i) {
      const std::string payload = "frame-" + std::to_string(i);
      if (!producer.send("frames", payload, {}).ok()) failed_payloads.insert(payload);
      attempted.store(i + 1);
      std::this_thread::sleep_for(1ms);
    }
  });

  StreamConsumerOptions o;
  o.endpoint = endpoint;
  o.stream = "frames";
  o.group = "storage";
  o.consumer = "storage-1";
  StreamConsumer consumer(o);
  std::set<std::string> delivered;
  std::atomic<bool> sending_done{false};
  std::thread receiver([&] {
    int empty_polls_after_done = 0;
    while (empty_polls_after_done < 3) {
      PollResult r = consumer.poll(100, 100ms);
      for (const auto& m : r.messages) {
        delivered.insert(m.payload);
        consumer.ack(m);
      }
      if (sending_done.load() && r.ok() && r.messages.empty()) ++empty_polls_after_done;
    }
  });

  while (attempted.load() < kFrames / 3) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(redis.stop_keeping_data());
  ASSERT_TRUE(redis.start(std::to_string(endpoint.port)));
  sender.join();
  sending_done.store(true);
  receiver.join();

  const ProducerCounters counters = producer.counters();
  EXPECT_EQ(counters.sent + counters.failed, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(counters.failed, failed_payloads.size());
  EXPECT_GE(counters.reconnects, 1u);
  EXPECT_GE(consumer.counters().reconnects, 1u);
  // Nothing is lost silently: every frame was delivered or reported failed. A reported failure may
  // still have been delivered ("in doubt": the connection dropped after XADD was written, see
  // StreamProducer::send), at most one per reconnect.
  std::size_t in_doubt = 0;
  for (const auto& p : failed_payloads) in_doubt += delivered.count(p);
  EXPECT_EQ(delivered.size() + failed_payloads.size() - in_doubt, static_cast<std::size_t>(kFrames));
  EXPECT_LE(in_doubt, counters.reconnects);
}

}  // namespace
}  // namespace frame_tracking::redis
