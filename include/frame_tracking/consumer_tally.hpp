// SPDX-License-Identifier: Apache-2.0
// ConsumerTally: the running totals of a MessageConsumer implementation, kept the same way by every transport.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <cstdint>
#include <string>

namespace frame_tracking {

/// What a consumer implementation counts (see ConsumerCounters) and the two steps every transport
/// takes the same way: a failed poll is counted as an error, and counters() reports the
/// connection's reconnects alongside. Value type; thread-compatible (one consumer, one thread).
struct ConsumerTally {
  /// Every field but `reconnects`, which the connection keeps; the consumer increments them.
  ConsumerCounters counters;

  /// Counts one error and returns it as the poll's result: no messages, `status`, `error`.
  PollResult failed_poll(TransportStatus status, std::string error);
  /// A copy of `counters` with `reconnects` set, as MessageConsumer::counters() returns it.
  ConsumerCounters snapshot(std::uint64_t reconnects) const noexcept;
};

}  // namespace frame_tracking
