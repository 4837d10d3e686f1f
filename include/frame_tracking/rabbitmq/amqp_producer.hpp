// SPDX-License-Identifier: Apache-2.0
// AmqpProducer: publishes to RabbitMQ with publisher confirms, persistent delivery and a headers table.
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::rabbitmq {

/// Options of an AmqpProducer. Value type.
struct AmqpProducerOptions {
  AmqpEndpoint endpoint;
  /// Exchange every send publishes to; "" = the default exchange (routing key = queue name).
  std::string exchange;
  /// delivery_mode 2 (persistent) instead of 1.
  bool persistent = true;
  /// Publish with the mandatory flag, so a message no queue takes comes back (kUnroutable).
  bool mandatory = true;
  /// How long a send waits for the broker's basic.ack / basic.nack.
  std::chrono::milliseconds confirm_timeout{5000};
  /// Queues declared on every (re)connect, so sends to them are routable from the start.
  std::vector<QueueDeclaration> queues;
};

/// A RabbitMQ producer on one connection/channel in confirm mode (confirm.select). Each send
/// publishes one message — body = payload, content_type application/octet-stream, a message-id
/// property unique to this producer, delivery_mode per options, and the headers as an AMQP table
/// (kString → long string 'S', kBytes → byte array 'x'; kOther headers cannot be re-encoded and
/// are refused) plus kSentTimeHeader — then waits for the confirm. Connects on first use; when the
/// connection is lost before the confirm arrives it reconnects with backoff and publishes again
/// (at-least-once). A send that fails (nack, returned as unroutable, no confirm in time, broker
/// unreachable past the reconnect deadline) is returned as an error and counted; a failure after a
/// connection was lost with the publish written is in doubt (the broker may have taken it).
/// Thread-compatible: one thread at a time.
class AmqpProducer final : public MessageProducer {
 public:
  explicit AmqpProducer(AmqpProducerOptions options);
  ~AmqpProducer() override;

  std::string_view system() const noexcept override { return "rabbitmq"; }
  /// Publishes to routing key `destination` on the producer's exchange and waits for the confirm.
  SendResult send(std::string_view destination, std::string_view payload,
                  const MessageHeaders& headers) noexcept override;
  /// Semantic-conventions name: `{exchange}:{routing key}`, only one of them when the other is
  /// empty, `amq.default` for the default exchange with an empty routing key.
  std::string destination_name(std::string_view destination) const override;
  ProducerCounters counters() const noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// `messaging.destination.name` of a RabbitMQ send (see AmqpProducer::destination_name).
std::string producer_destination_name(std::string_view exchange, std::string_view routing_key);
/// `messaging.destination.name` of a RabbitMQ receive/process: `{exchange}:{routing key}:{queue}`
/// omitting empty parts, and only one of routing key and queue when they are equal.
std::string consumer_destination_name(std::string_view exchange, std::string_view routing_key, std::string_view queue);

}  // namespace frame_tracking::rabbitmq
