// SPDX-License-Identifier: Apache-2.0
// Broker: makes the MessageProducer / MessageConsumer of a pipeline process from a broker URL (redis://, amqp://).
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::pipeline {

/// Opens producers and consumers on the broker named by a URL: `redis://host:port[/db]` (Redis
/// Streams, consumer groups) or `amqp://user:password@host:port[/vhost]` (RabbitMQ, default
/// exchange, one durable queue per destination; only when built with the rabbitmq component).
/// The same destination names work on both: a Redis stream key is a RabbitMQ queue name.
/// Value type; thread-compatible.
class Broker {
 public:
  /// Parses and checks `url`. Errors (kInvalidInput) name the URL and the rule, e.g.
  /// "--broker 'kafka://x': expected redis://host:port or amqp://user:password@host:port".
  static Result<Broker> from_url(std::string_view url);

  /// "redis" or "rabbitmq".
  std::string_view system() const noexcept { return amqp_ ? "rabbitmq" : "redis"; }
  const std::string& url() const noexcept { return url_; }

  /// A producer; `destinations` are declared up front on RabbitMQ (so the first send is routable)
  /// and ignored on Redis (XADD creates streams).
  std::unique_ptr<MessageProducer> producer(const std::vector<std::string>& destinations) const;
  /// A consumer of `destination` in consumer group `group` (Redis) / of queue `destination`
  /// (RabbitMQ, competing consumers); `consumer_name` must be unique among live consumers.
  std::unique_ptr<MessageConsumer> consumer(const std::string& destination, const std::string& group,
                                            const std::string& consumer_name) const;
  /// A reader of the messages of `destination` waiting for consumer group `group`, on a
  /// connection of its own: Redis XINFO GROUPS `lag` (redis::ConsumerGroupLag); RabbitMQ the
  /// queue's ready messages (rabbitmq::QueueDepth, shared by the competing consumers). Call it
  /// from one thread at a time; errors name the stream or queue.
  std::function<Result<std::uint64_t>()> consumer_lag(const std::string& destination, const std::string& group) const;

 private:
  std::string url_;
  bool amqp_ = false;
};

}  // namespace frame_tracking::pipeline
