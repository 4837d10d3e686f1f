// SPDX-License-Identifier: Apache-2.0
// Test support: the sender and receiver threads of the broker fault tests (see delivery_check.hpp).
#include "messaging_support/delivery_check.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::testing {

PayloadSender::PayloadSender(MessageProducer& producer, std::string destination, int count,
                             std::chrono::milliseconds pause)
    : producer_(producer), destination_(std::move(destination)) {
  thread_ = std::thread([this, count, pause] {
    for (int i = 0; !abandon_.load() && (count == 0 ? !stop_.load() : i < count); ++i) {
      const std::string payload = "frame-" + std::to_string(i);
      if (!producer_.send(destination_, payload, {}).ok()) failed_.insert(payload);
      attempted_.store(i + 1);
      std::this_thread::sleep_for(pause);
    }
  });
}

PayloadSender::~PayloadSender() {
  abandon_.store(true);
  if (thread_.joinable()) thread_.join();
}

void PayloadSender::wait_for(int sends) const {
  while (attempted_.load() < sends) std::this_thread::sleep_for(std::chrono::milliseconds{1});
}

std::set<std::string> PayloadSender::finish() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  return failed_;
}

DrainingReceiver::DrainingReceiver(MessageConsumer& consumer, std::chrono::milliseconds poll_timeout) {
  thread_ = std::thread([this, &consumer, poll_timeout] {
    int empty_after_done = 0;
    while (empty_after_done < 3 && !abandon_.load()) {
      PollResult r = consumer.poll(100, poll_timeout);
      for (const auto& m : r.messages) {
        delivered_.insert(m.payload);
        consumer.ack(m);
      }
      if (sending_done_.load() && r.ok() && r.messages.empty()) ++empty_after_done;
    }
  });
}

DrainingReceiver::~DrainingReceiver() {
  abandon_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::set<std::string> DrainingReceiver::finish() {
  sending_done_.store(true);
  if (thread_.joinable()) thread_.join();
  return delivered_;
}

void expect_nothing_lost_across_restart(const ProducerCounters& producer, const ConsumerCounters& consumer, int sends,
                                        const std::set<std::string>& failed,
                                        const std::set<std::string>& delivered) {
  EXPECT_EQ(producer.sent + producer.failed, static_cast<std::uint64_t>(sends));
  EXPECT_EQ(producer.failed, failed.size());
  EXPECT_GE(producer.reconnects, 1u);
  EXPECT_GE(consumer.reconnects, 1u);
  std::size_t in_doubt = 0;
  for (const auto& p : failed) in_doubt += delivered.count(p);
  EXPECT_EQ(delivered.size() + failed.size() - in_doubt, static_cast<std::size_t>(sends));
  EXPECT_LE(in_doubt, producer.reconnects);
}

}  // namespace frame_tracking::testing
