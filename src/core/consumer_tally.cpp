// SPDX-License-Identifier: Apache-2.0
// ConsumerTally: counted poll failures and counter snapshots (see consumer_tally.hpp).
#include "frame_tracking/consumer_tally.hpp"

#include <utility>

namespace frame_tracking {

PollResult ConsumerTally::failed_poll(TransportStatus status, std::string error) {
  ++counters.errors;
  PollResult result;
  result.status = status;
  result.error = std::move(error);
  return result;
}

ConsumerCounters ConsumerTally::snapshot(std::uint64_t reconnects) const noexcept {
  ConsumerCounters out = counters;
  out.reconnects = reconnects;
  return out;
}

}  // namespace frame_tracking
