// SPDX-License-Identifier: Apache-2.0
// A RabbitMQ node killed (SIGKILL) and started again while frames flow: producer and consumer
// reconnect, and every frame is delivered or reported to the caller as failed.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/delivery_check.hpp"
#include "messaging_support/private_broker.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <string>

#include <unistd.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;

/// SIGKILL to the Erlang VM of `rabbit`: no clean shutdown, unsynced state is lost.
bool kill_node(const testing::PrivateBroker& rabbit) {
  std::ifstream in(rabbit.file("beam.pid"));
  pid_t pid = 0;
  in >> pid;
  return pid > 0 && ::kill(pid, SIGKILL) == 0;
}

TEST(RabbitMqRestartTest, DeliveredPlusReportedFailuresEqualsSentAcrossAKilledNode) {
  // A RabbitMQ node of its own, so killing it disturbs no other test; its files are kept across
  // the restart (same node name, same AMQP port).
  testing::PrivateBroker rabbit("rabbitmq", "rabbitmq-restart-" + std::to_string(::getpid()),
                                "FRAME_TRACKING_RABBITMQ_KEEP_DATA=1");
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
  testing::PayloadSender sender(producer, queue.name, kFrames, 2ms);
  testing::DrainingReceiver receiver(consumer, 200ms);
  sender.wait_for(kFrames / 3);
  ASSERT_TRUE(kill_node(rabbit));
  ASSERT_TRUE(rabbit.start(endpoint.port));
  const std::set<std::string> failed = sender.finish();
  const std::set<std::string> delivered = receiver.finish();

  // A reported failure may still have been taken by the broker: the connection died after the
  // publish was written.
  testing::expect_nothing_lost_across_restart(producer.counters(), consumer.counters(), kFrames, failed, delivered);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
