// SPDX-License-Identifier: Apache-2.0
// The broker closes the producer's and consumer's connections mid-stream (rabbitmqctl close_connection):
// both reconnect, and every message is either delivered or reported to the caller as failed.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/broker_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <thread>

#include <unistd.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using frame_tracking::testing::fixture_port;

/// Closes, from the broker side, every connection whose connection_name starts with `prefix`;
/// returns how many (-1 when the script failed).
int close_connections(const std::string& prefix) {
  const std::string cmd = FT_FIXTURE_SCRIPTS "/rabbitmq-close-connections.sh " FT_FIXTURE_DIR " rabbitmq " + prefix;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return -1;
  int closed = -1;
  if (std::fscanf(pipe, "%d", &closed) != 1) closed = -1;
  return pclose(pipe) == 0 ? closed : -1;
}

TEST(AmqpConnectionLossTest, DeliveredPlusReportedFailuresEqualsSent) {
  const std::string prefix = "ft-loss-" + std::to_string(::getpid()) + "-";
  QueueDeclaration queue;
  queue.name = frame_tracking::testing::unique_name("frames");
  AmqpEndpoint endpoint;
  endpoint.port = fixture_port("rabbitmq");
  endpoint.reconnect.initial_delay = 10ms;
  endpoint.reconnect.deadline = 5s;

  AmqpProducerOptions po;
  po.endpoint = endpoint;
  po.endpoint.connection_name = prefix + "producer";
  po.queues = {queue};
  po.persistent = false;
  AmqpProducer producer(po);
  AmqpConsumerOptions co;
  co.endpoint = endpoint;
  co.endpoint.connection_name = prefix + "consumer";
  co.queue = queue;
  AmqpConsumer consumer(co);
  ASSERT_TRUE(producer.send(queue.name, "warm-up", {}).ok());

  std::atomic<bool> stop_sending{false};
  std::atomic<int> sent_total{1};
  std::set<std::string> failed;
  std::thread sender([&] {
    for (int i = 0; !stop_sending.load(); ++i) {
      const std::string payload = "frame-" + std::to_string(i);
      if (!producer.send(queue.name, payload, {}).ok()) failed.insert(payload);
      sent_total.fetch_add(1);
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
        consumer.ack(m);  // false for a delivery of a closed connection: the broker redelivers it
      }
      if (sending_done.load() && r.ok() && r.messages.empty()) ++empty_after_done;
    }
  });

  while (sent_total.load() < 50) std::this_thread::sleep_for(1ms);
  const int closed = close_connections(prefix);
  std::this_thread::sleep_for(300ms);
  stop_sending.store(true);
  sender.join();
  sending_done.store(true);
  receiver.join();
  ASSERT_EQ(closed, 2);

  const ProducerCounters counters = producer.counters();
  EXPECT_EQ(counters.sent + counters.failed, static_cast<std::uint64_t>(sent_total.load()));
  EXPECT_EQ(counters.failed, failed.size());
  EXPECT_GE(counters.reconnects, 1u);
  EXPECT_GE(consumer.counters().reconnects, 1u);
  EXPECT_EQ(delivered.size() + failed.size(), static_cast<std::size_t>(sent_total.load()));
  for (const auto& p : failed) EXPECT_EQ(delivered.count(p), 0u) << p;
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
