// SPDX-License-Identifier: Apache-2.0
// split_url: a broker URL (`redis://…`, `amqp://…`) cut into userinfo, authority and path.
#pragma once

#include "frame_tracking/result.hpp"

#include <optional>
#include <string_view>

namespace frame_tracking {

/// The parts of `<scheme>[userinfo@]host[:port][/path]` (RFC 3986 §3.2 authority, §3.3 path), as
/// views into the parsed URL (valid while it is). Nothing is decoded or checked beyond the cut.
struct UrlParts {
  /// What stands before the last '@' of the authority; nullopt when there is no '@'.
  std::optional<std::string_view> userinfo;
  /// `host[:port]` (parse_host_port in host_port.hpp checks it); may be empty.
  std::string_view host_port;
  /// What follows the first '/' after the authority (may be empty); nullopt when there is no '/'.
  std::optional<std::string_view> path;
};

/// Cuts `url`, which must start with `scheme` (e.g. "redis://"). Errors: kInvalidInput
/// "'<url>' does not start with <scheme>", without a prefix (callers add theirs, e.g. "amqp url: ").
/// Thread-safe (pure).
Result<UrlParts> split_url(std::string_view url, std::string_view scheme);

}  // namespace frame_tracking
