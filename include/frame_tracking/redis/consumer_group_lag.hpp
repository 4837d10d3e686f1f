// SPDX-License-Identifier: Apache-2.0
// ConsumerGroupLag: how many entries of a Redis stream a consumer group has not read yet (XINFO GROUPS `lag`).
#pragma once

#include "frame_tracking/redis/redis_endpoint.hpp"
#include "frame_tracking/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace frame_tracking::redis {

/// Reads the `lag` field XINFO GROUPS reports for one group of one stream (Redis ≥ 7.0): the
/// entries added to the stream that the group has not been delivered yet (entries delivered but
/// not acked are the group's pending list, not lag). Owns its own connection, separate from the
/// consumer's, so it can be read from any one thread. Thread-compatible.
class ConsumerGroupLag {
 public:
  ConsumerGroupLag(RedisEndpoint endpoint, std::string stream, std::string group);
  ~ConsumerGroupLag();
  ConsumerGroupLag(const ConsumerGroupLag&) = delete;
  ConsumerGroupLag& operator=(const ConsumerGroupLag&) = delete;

  /// The lag now. Errors (kInvalidInput) name the stream and group: Redis unreachable, no such
  /// stream or group, or a `lag` Redis cannot tell (nil after entries were deleted) or a server
  /// older than 7.0 (no `lag` field). Never throws.
  Result<std::uint64_t> read() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::redis
