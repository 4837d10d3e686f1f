// SPDX-License-Identifier: Apache-2.0
// StreamProducer: sends messages to Redis Streams with XADD (payload + header fields + send time).
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/redis/redis_endpoint.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace frame_tracking::redis {

/// Options of a StreamProducer. Value type.
struct StreamProducerOptions {
  RedisEndpoint endpoint;
  /// Bound each stream to this many entries; 0 = unbounded. A send to a full stream first trims
  /// the entries every consumer group has been delivered, and fails with kQueueFull (counted in
  /// counters().failed) when the rest are all unread: an entry never vanishes before a group read
  /// it. A stream without any consumer group is trimmed oldest first, like `MAXLEN` (nobody reads
  /// it yet: create the group before producing, e.g. start the consumers first).
  std::size_t max_length = 0;
};

/// A Redis Streams producer: each send is one `XADD <stream> * payload <bytes> <header fields…>
/// sent_unix_ns <now>` (with max_length: one EVAL of a script that trims delivered entries and
/// then XADDs, atomically). Field `payload` holds the payload; every header becomes
/// one field (name → value), in order. Connects on first use; on a lost connection it reconnects
/// with backoff (endpoint.reconnect) and retries the XADD, so an entry may be written twice if the
/// connection broke after Redis applied it (at-least-once). A send that still fails returns an
/// error and counts in counters().failed; when that failure is a connection lost after the XADD was
/// written, Redis may still have applied it (the outcome is in doubt), so size the reconnect
/// deadline to outlast a broker restart.
/// Thread-compatible: one thread at a time.
class StreamProducer final : public MessageProducer {
 public:
  /// Field name of the payload in every entry.
  static constexpr std::string_view kPayloadField = "payload";

  explicit StreamProducer(StreamProducerOptions options);
  ~StreamProducer() override;

  /// "redis" (a custom value: semantic conventions define none for Redis as a queue).
  std::string_view system() const noexcept override { return "redis"; }
  /// XADD to stream `destination`. Errors: kInvalidArgument for an empty stream name or a header
  /// named `payload` or `sent_unix_ns`; kRejected for an error reply (message has Redis' text);
  /// kQueueFull when max_length entries are not yet acknowledged by every consumer group;
  /// kUnavailable when Redis stays unreachable past endpoint.reconnect.deadline.
  SendResult send(std::string_view destination, std::string_view payload,
                  const MessageHeaders& headers) noexcept override;
  /// The stream key itself.
  std::string destination_name(std::string_view destination) const override { return std::string(destination); }
  ProducerCounters counters() const noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::redis
