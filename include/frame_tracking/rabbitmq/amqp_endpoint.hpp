// SPDX-License-Identifier: Apache-2.0
// AmqpEndpoint: where a RabbitMQ transport connects (host, port, vhost, credentials), parsed from an amqp:// URL.
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace frame_tracking::rabbitmq {

/// A RabbitMQ broker address and the connection behaviour shared by producers and consumers.
/// Value type.
struct AmqpEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5672;
  std::string vhost = "/";
  std::string user = "guest";
  std::string password = "guest";
  /// Client-provided connection name (client property `connection_name`), shown by the broker's
  /// management tools and `rabbitmqctl list_connections user_provided_name`; "" = none.
  std::string connection_name;
  /// TCP connect timeout; also bounds the AMQP handshake and every synchronous RPC.
  std::chrono::milliseconds connect_timeout{2000};
  ReconnectPolicy reconnect;

  /// Parses `amqp://[user[:password]@]host[:port][/vhost]` (port 5672, vhost "/", guest/guest by
  /// default; the vhost is percent-decoded, so "/%2f" is "/"). Errors: kInvalidInput naming the
  /// part, e.g. "amqp url: port '0' is not in 1..65535".
  static Result<AmqpEndpoint> from_url(std::string_view url);
  /// `amqp://host:port/vhost` (credentials left out; the vhost percent-encoded).
  std::string to_url() const;
};

/// A queue that a producer or consumer declares on every (re)connect (idempotent). Value type.
struct QueueDeclaration {
  std::string name;
  bool durable = true;
  /// When non-empty: a durable queue of this name is declared too, and this queue dead-letters
  /// (nack requeue=false, expiry) to it through the default exchange (queue arguments
  /// x-dead-letter-exchange = "", x-dead-letter-routing-key = this name). "" = no dead-lettering.
  std::string dead_letter_queue;
};

}  // namespace frame_tracking::rabbitmq
