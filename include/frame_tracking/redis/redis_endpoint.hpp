// SPDX-License-Identifier: Apache-2.0
// RedisEndpoint: where a Redis transport connects (host, port, database), parsed from a redis:// URL.
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace frame_tracking::redis {

/// A Redis server address and the connection behaviour shared by producers and consumers.
/// Value type.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  /// Logical database selected after connecting (SELECT), 0 by default.
  int database = 0;
  /// TCP connect timeout.
  std::chrono::milliseconds connect_timeout{1000};
  /// Socket timeout of a non-blocking command (XADD, XACK…); blocking reads add their block time.
  std::chrono::milliseconds command_timeout{2000};
  ReconnectPolicy reconnect;

  /// Parses `redis://host[:port][/db]` (port default 6379, db default 0).
  /// Errors: kInvalidInput naming the part, e.g. "redis url: port '70000' is not in 1..65535".
  static Result<RedisEndpoint> from_url(std::string_view url);
  /// `redis://host:port/db`.
  std::string to_url() const;
};

}  // namespace frame_tracking::redis
