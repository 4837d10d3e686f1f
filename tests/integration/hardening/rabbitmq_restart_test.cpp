// SPDX-License-Identifier: Apache-2.0
// A RabbitMQ node killed (SIGKILL) and started again while frames flow: producer and consumer
// reconnect, and every frame is delivered or reported to the caller as failed.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <unistd.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;

/// A RabbitMQ node of its own (tests/fixtures/start-rabbitmq.sh under a private name), so killing
/// it disturbs no other test. Files are kept across a restart (same node name, same AMQP port).
class PrivateRabbit {
 public:
  explicit PrivateRabbit(std::string name) : name_(std::move(name)) {}
  ~PrivateRabbit() { script("stop-rabbitmq.sh", ""); }
  bool start(const std::string& port = "") {
    if (script("start-rabbitmq.sh", port) != 0) return false;
    std::ifstream in(std::string(FT_FIXTURE_DIR) + "/" + name_ + ".port");
    unsigned p = 0;
    in >> p;
    port_ = static_cast<std::uint16_t>(p);
    return port_ != 0;
  }
  /// SIGKILL to the Erlang VM: no clean shutdown, unsynced state is lost.
  bool kill_node() {
    std::ifstream in(std::string(FT_FIXTURE_DIR) + "/" + name_ + "/beam.pid");
    pid_t pid = 0;
    in >> pid;
    return pid > 0 && ::kill(pid, SIGKILL) == 0;
  }
  std::uint16_t port() const { return port_; }

 private:
  int script(const std::string& file, const std::string& extra) {
    const std::string cmd = "FRAME_TRACKING_RABBITMQ_KEEP_DATA=1 " FT_FIXTURE_SCRIPTS "/" + file + " " FT_FIXTURE_DIR
                            " " + name_ + " " + extra + " >/dev/null";
    return std::system(cmd.c_str());
  }
  std::string name_;
  std::uint16_t port_ = 0;
};

TEST(RabbitMqRestartTest, DeliveredPlusReportedFailuresEqualsSentAcrossAKilledNode) {
  PrivateRabbit rabbit("rabbitmq-restart-" + std::to_string(::getpid()));
  ASSERT_TRUE(rabbit.start());
  QueueDeclaration queue;
  queue.name = "frames.restart";
  queue.durable = true;
  AmqpEndpoint endpoint;
  endpoint.port = rabbit.port();
  endpoint.reconnect.initial_delay = 50ms;
  endpoint.reconnect.max_delay = 500ms;
  // Longer than a node restart takes here (10-40 s), so sends wait for the node instead of failing.
  endpoint.reconnect.deadline = 120s;

  AmqpProducerOptions po;
  po.endpoint = endpoint;
  po.queues = {queue};
  po.persistent = true;  // confirmed persistent messages survive the kill
  AmqpProducer producer(po);
  AmqpConsumerOptions co;
  co.endpoint = endpoint;
  co.queue = queue;
  AmqpConsumer consumer(co);

  constexpr int kFrames = 300;
  std::atomic<int> attempted{0};
  std::set<std::string> failed;
  std::thread sender([&] {
    for (int i = 0; i < kFrames; ++i) {
      const std::string payload = "frame-" + std::to_string(i);
      if (!producer.send(queue.name, payload, {}).ok()) failed.insert(payload);
      attempted.store(i + 1);
      std::this_thread::sleep_for(2ms);
    }
  });
  std::set<std::string> delivered;
  std::atomic<bool> sending_done{false};
  std::thread receiver([&] {
    int empty_after_done = 0;
    while (empty_after_done < 3) {
      PollResult r = consumer.poll(100, 200ms);
      for (const auto& m : r.messages) {
        delivered.insert(m.payload);
        consumer.ack(m);
      }
      if (sending_done.load() && r.ok() && r.messages.empty()) ++empty_after_done;
    }
  });

  while (attempted.load() < kFrames / 3) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(rabbit.kill_node());
  ASSERT_TRUE(rabbit.start(std::to_string(endpoint.port)));
  sender.join();
  sending_done.store(true);
  receiver.join();

  const ProducerCounters counters = producer.counters();
  EXPECT_EQ(counters.sent + counters.failed, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(counters.failed, failed.size());
  EXPECT_GE(counters.reconnects, 1u);
  EXPECT_GE(consumer.counters().reconnects, 1u);
  // Nothing lost silently: delivered or reported failed. A reported failure may still have been
  // taken by the broker (in doubt: the connection died after the publish was written), at most one
  // per reconnect; duplicates (at-least-once redelivery) count once.
  std::size_t in_doubt = 0;
  for (const auto& p : failed) in_doubt += delivered.count(p);
  EXPECT_EQ(delivered.size() + failed.size() - in_doubt, static_cast<std::size_t>(kFrames));
  EXPECT_LE(in_doubt, counters.reconnects);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
