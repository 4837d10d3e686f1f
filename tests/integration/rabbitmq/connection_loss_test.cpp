// SPDX-License-Identifier: Apache-2.0
// The broker closes the producer's and consumer's connections mid-stream (rabbitmqctl close_connection):
// both reconnect, and every message is either delivered or reported to the caller as failed.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/amqp_fixture.hpp"
#include "messaging_support/delivery_check.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include <unistd.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;

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
  const QueueDeclaration queue = testing::queue_declaration(testing::unique_name("frames"));
  AmqpEndpoint endpoint = testing::amqp_endpoint();
  endpoint.reconnect.initial_delay = 10ms;
  endpoint.reconnect.deadline = 5s;

  AmqpProducerOptions po = testing::amqp_producer_options(queue);
  po.endpoint = endpoint;
  po.endpoint.connection_name = prefix + "producer";
  po.persistent = false;
  AmqpProducer producer(po);
  AmqpConsumerOptions co = testing::amqp_consumer_options(queue, 100);
  co.endpoint = endpoint;
  co.endpoint.connection_name = prefix + "consumer";
  AmqpConsumer consumer(co);
  ASSERT_TRUE(producer.send(queue.name, "warm-up", {}).ok());

  testing::PayloadSender sender(producer, queue.name, 0, 2ms);
  testing::DrainingReceiver receiver(consumer, 200ms);
  sender.wait_for(49);  // 50 sends with the warm-up
  const int closed = close_connections(prefix);
  std::this_thread::sleep_for(300ms);
  const std::set<std::string> failed = sender.finish();
  const std::set<std::string> delivered = receiver.finish();
  const int sent_total = 1 + sender.attempted();
  ASSERT_EQ(closed, 2);

  const ProducerCounters counters = producer.counters();
  EXPECT_EQ(counters.sent + counters.failed, static_cast<std::uint64_t>(sent_total));
  EXPECT_EQ(counters.failed, failed.size());
  EXPECT_GE(counters.reconnects, 1u);
  EXPECT_GE(consumer.counters().reconnects, 1u);
  EXPECT_EQ(delivered.size() + failed.size(), static_cast<std::size_t>(sent_total));
  for (const auto& p : failed) EXPECT_EQ(delivered.count(p), 0u) << p;
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
