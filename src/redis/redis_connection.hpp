// SPDX-License-Identifier: Apache-2.0
// Private: one hiredis connection that reconnects with backoff and retries a command after a lost connection.
#pragma once

#include "frame_tracking/redis/redis_endpoint.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
struct redisReply;

namespace frame_tracking::redis::detail {

/// Frees a hiredis reply.
struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept;
};
/// An owned hiredis reply (never null when returned as a success).
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

/// One synchronous connection. Thread-compatible.
class Connection {
 public:
  explicit Connection(RedisEndpoint endpoint);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends one command (binary-safe arguments) and returns its reply, which may be an error
  /// reply. When the connection is down or breaks (I/O error, EOF, socket timeout) it reconnects
  /// with backoff and sends the command again, until endpoint.reconnect.deadline has passed since
  /// the call started; then returns nullptr and sets `error`. `extra_timeout` is added to the
  /// socket timeout for commands that block on the server (XREADGROUP BLOCK).
  Reply command(const std::vector<std::string_view>& args, std::chrono::milliseconds extra_timeout,
                std::string& error);
  /// Increments on every successful (re)connect; 0 before the first.
  std::uint64_t epoch() const noexcept { return epoch_; }
  /// Successful connects after the first.
  std::uint64_t reconnects() const noexcept { return epoch_ > 0 ? epoch_ - 1 : 0; }
  const RedisEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  bool connect_once(std::string& error);
  void disconnect() noexcept;

  RedisEndpoint endpoint_;
  redisContext* context_ = nullptr;
  std::uint64_t epoch_ = 0;
};

}  // namespace frame_tracking::redis::detail
