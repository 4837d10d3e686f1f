// SPDX-License-Identifier: Apache-2.0
// StreamConsumer: reads a Redis Stream as a member of a consumer group (XREADGROUP, XACK, XAUTOCLAIM).
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/redis/redis_endpoint.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace frame_tracking::redis {

/// Options of a StreamConsumer. Value type.
struct StreamConsumerOptions {
  RedisEndpoint endpoint;
  std::string stream;
  std::string group;
  /// This consumer's name within the group; must be unique among live consumers.
  std::string consumer;
  /// Where a newly created group starts: "0" = every entry already in the stream, "$" = only new ones.
  std::string group_start_id = "0";
  /// Entries pending on another consumer for longer than this are claimed (XAUTOCLAIM): that
  /// consumer is presumed dead. 0 disables claiming.
  std::chrono::milliseconds claim_min_idle{30000};
  /// How often poll() looks for claimable entries.
  std::chrono::milliseconds claim_interval{1000};
  /// An entry delivered more often than this is moved to the dead-letter stream instead of being
  /// returned again (poison message). 0 = no limit.
  std::uint32_t max_deliveries = 0;
  /// Stream that reject(kDeadLetter) and max_deliveries move entries to ("" = they are only acked
  /// and counted as dead-lettered). Dead-letter entries keep every field and add `dead_letter_from`
  /// (stream:id).
  std::string dead_letter_stream;
};

/// A consumer-group member. Creates the group on first connect (XGROUP CREATE … MKSTREAM, an
/// existing group is fine) and, after every (re)connect, first re-reads the entries still pending
/// on its own name (a restarted consumer finishes what it had; an entry whose delivery was lost
/// with a broken connection is not stranded). Entries the application still holds unacked are
/// then delivered again (at-least-once). Then each poll():
///  1. every claim_interval: XAUTOCLAIM entries idle ≥ claim_min_idle from other consumers;
///  2. otherwise XREADGROUP … BLOCK <timeout> STREAMS <stream> >.
/// ack() is XACK. reject(kRequeue) leaves the entry pending, to be claimed after claim_min_idle;
/// reject(kDeadLetter) copies it to dead_letter_stream and acks it. A lost connection is
/// re-established with backoff (endpoint.reconnect); a group that vanished (Redis restarted
/// without persistence) is recreated. Thread-compatible: one thread at a time.
class StreamConsumer final : public MessageConsumer {
 public:
  explicit StreamConsumer(StreamConsumerOptions options);
  ~StreamConsumer() override;

  std::string_view system() const noexcept override { return "redis"; }
  /// The stream key.
  std::string destination_name(const ReceivedMessage& message) const override { return message.destination; }
  PollResult poll(std::size_t max_count, std::chrono::milliseconds timeout) noexcept override;
  bool ack(const ReceivedMessage& message) noexcept override;
  bool reject(const ReceivedMessage& message, RejectAction action) noexcept override;
  ConsumerCounters counters() const noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::redis
