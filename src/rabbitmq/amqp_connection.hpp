// SPDX-License-Identifier: Apache-2.0
// Private: one rabbitmq-c connection with channel 1 open, reconnected with backoff.
#pragma once

#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"

#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace frame_tracking::rabbitmq::detail {

/// The channel every transport uses.
inline constexpr amqp_channel_t kChannel = 1;

/// Text of an RPC reply that is not AMQP_RESPONSE_NORMAL ("" when it is normal).
std::string reply_error(const amqp_rpc_reply_t& reply);

/// Wraps a string as amqp_bytes_t (no copy; valid while the string is).
amqp_bytes_t bytes(std::string_view s) noexcept;

/// One connection with channel kChannel open. `setup` runs after every connect (confirm.select,
/// qos, declarations, basic.consume) and returns "" or an error. Thread-compatible.
class Connection {
 public:
  using Setup = std::function<std::string(amqp_connection_state_t)>;
  Connection(AmqpEndpoint endpoint, Setup setup);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// The live connection, connecting (with backoff, until the reconnect deadline) if needed;
  /// nullptr with `error` set when the broker stays unreachable.
  amqp_connection_state_t ensure(std::string& error);
  /// Drops the connection (after an I/O error or a channel/connection close from the broker).
  void drop() noexcept;
  /// The live connection or nullptr (no connect attempt).
  amqp_connection_state_t get() const noexcept { return state_; }
  /// Increments on every successful (re)connect; 0 before the first.
  std::uint64_t epoch() const noexcept { return epoch_; }
  std::uint64_t reconnects() const noexcept { return epoch_ > 0 ? epoch_ - 1 : 0; }
  const AmqpEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  std::string connect_once();

  AmqpEndpoint endpoint_;
  Setup setup_;
  amqp_connection_state_t state_ = nullptr;
  std::uint64_t epoch_ = 0;
};

/// Declares `queue` (and its dead-letter queue) on kChannel. Returns "" or the error.
std::string declare(amqp_connection_state_t state, const QueueDeclaration& queue);

}  // namespace frame_tracking::rabbitmq::detail
