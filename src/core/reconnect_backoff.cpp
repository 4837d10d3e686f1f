// SPDX-License-Identifier: Apache-2.0
// ReconnectBackoff: doubling sleeps up to a cap, until the policy's deadline (see reconnect_backoff.hpp).
#include "frame_tracking/reconnect_backoff.hpp"

#include <algorithm>
#include <thread>

namespace frame_tracking {

ReconnectBackoff::ReconnectBackoff(const ReconnectPolicy& policy)
    : max_delay_(policy.max_delay),
      deadline_length_(policy.deadline),
      deadline_(std::chrono::steady_clock::now() + policy.deadline),
      delay_(policy.initial_delay) {}

bool ReconnectBackoff::wait(std::string& error) {
  if (std::chrono::steady_clock::now() + delay_ > deadline_) {
    error += " (gave up after " + std::to_string(deadline_length_.count()) + " ms)";
    return false;
  }
  std::this_thread::sleep_for(delay_);
  delay_ = std::min(delay_ * 2, max_delay_);
  return true;
}

}  // namespace frame_tracking
