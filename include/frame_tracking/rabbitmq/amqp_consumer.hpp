// SPDX-License-Identifier: Apache-2.0
// AmqpConsumer: consumes a RabbitMQ queue with manual acks, prefetch and requeue / dead-lettering.
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace frame_tracking::rabbitmq {

/// Options of an AmqpConsumer. Value type.
struct AmqpConsumerOptions {
  AmqpEndpoint endpoint;
  /// The queue consumed; declared on every (re)connect.
  QueueDeclaration queue;
  /// basic.qos prefetch count: unacked messages the broker may push to this consumer.
  std::uint16_t prefetch = 100;
};

/// A push consumer (basic.consume, no_ack = false) on one connection/channel. poll() hands out the
/// deliveries the broker pushed. ack() is basic.ack; reject(kRequeue) is basic.nack requeue=true;
/// reject(kDeadLetter) is basic.nack requeue=false, which RabbitMQ routes to the queue's
/// dead-letter exchange (or drops when it has none). Headers come back typed: long strings 'S' as
/// kString, byte arrays 'x' as kBytes (other clients send bytes), anything else as kOther.
/// A lost connection is re-established with backoff; messages that were unacked on it are
/// redelivered by the broker, and acks for them on the new connection are counted as stale.
/// Thread-compatible: one thread at a time.
class AmqpConsumer final : public MessageConsumer {
 public:
  explicit AmqpConsumer(AmqpConsumerOptions options);
  ~AmqpConsumer() override;

  std::string_view system() const noexcept override { return "rabbitmq"; }
  /// consumer_destination_name(message.exchange, message.routing_key, queue).
  std::string destination_name(const ReceivedMessage& message) const override;
  PollResult poll(std::size_t max_count, std::chrono::milliseconds timeout) noexcept override;
  bool ack(const ReceivedMessage& message) noexcept override;
  bool reject(const ReceivedMessage& message, RejectAction action) noexcept override;
  ConsumerCounters counters() const noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::rabbitmq
