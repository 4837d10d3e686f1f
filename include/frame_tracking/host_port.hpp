// SPDX-License-Identifier: Apache-2.0
// HostPort: the `host[:port]` part of a URL authority, parsed for the broker endpoints (redis://, amqp://).
#pragma once

#include "frame_tracking/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frame_tracking {

/// The host and port of a URL authority without its userinfo (RFC 3986 §3.2.2 host, §3.2.3 port).
/// Value type.
struct HostPort {
  /// Never empty after a successful parse; kept as written (a name or an IPv4 address).
  std::string host;
  /// The explicit port, 1..65535; nullopt when the authority has none (the scheme's default applies).
  std::optional<std::uint16_t> port;
  bool operator==(const HostPort&) const = default;
};

/// Parses `host[:port]`: the port is the decimal number after the last ':' (no sign, no spaces).
/// IPv6 literals ("[::1]:6379") are not supported.
/// Errors: kInvalidInput, without a prefix (callers add theirs, e.g. "redis url: "):
/// "port '<text>' is not in 1..65535" (also for an empty or non-numeric port), then "host is empty".
/// Thread-safe (pure).
Result<HostPort> parse_host_port(std::string_view authority);

}  // namespace frame_tracking
