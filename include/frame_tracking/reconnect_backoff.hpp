// SPDX-License-Identifier: Apache-2.0
// ReconnectBackoff: the sleeps between a transport's reconnect attempts, as its ReconnectPolicy sets them.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <chrono>
#include <string>

namespace frame_tracking {

/// Paces the retries of one operation under a ReconnectPolicy: the first wait() sleeps
/// `initial_delay`, each later one twice the previous, at most `max_delay`; once a sleep would end
/// after `deadline` (counted from construction) wait() gives up instead. Create one per operation.
/// Thread-compatible.
class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(const ReconnectPolicy& policy);

  /// Sleeps before the next attempt and returns true; or, when that sleep would pass the deadline,
  /// returns false at once and appends " (gave up after <deadline> ms)" to `error` (the last
  /// attempt's message, so the caller's error names the failure and the time spent).
  bool wait(std::string& error);
  /// The sleep the next wait() takes, ms.
  std::chrono::milliseconds next_delay() const noexcept { return delay_; }

 private:
  std::chrono::milliseconds max_delay_;
  std::chrono::milliseconds deadline_length_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::milliseconds delay_;
};

}  // namespace frame_tracking
