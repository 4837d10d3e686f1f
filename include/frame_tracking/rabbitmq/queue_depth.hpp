// SPDX-License-Identifier: Apache-2.0
// QueueDepth: how many messages of a RabbitMQ queue wait for a consumer (passive queue.declare message-count).
#pragma once

#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"
#include "frame_tracking/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace frame_tracking::rabbitmq {

/// Reads the message-count of queue.declare-ok for a passive queue.declare (AMQP 0-9-1 §1.7.2.1):
/// the messages ready for delivery; messages delivered but not acked are not counted. The
/// competing consumers of one queue share this backlog. Owns its own connection (never the
/// consumer's, whose channel is busy with deliveries). Thread-compatible.
class QueueDepth {
 public:
  QueueDepth(AmqpEndpoint endpoint, std::string queue);
  ~QueueDepth();
  QueueDepth(const QueueDepth&) = delete;
  QueueDepth& operator=(const QueueDepth&) = delete;

  /// The ready messages now. Errors (kInvalidInput) name the queue: broker unreachable, or no
  /// such queue (the broker's 404 reply text). Never throws.
  Result<std::uint64_t> read() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::rabbitmq
