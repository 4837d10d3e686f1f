// SPDX-License-Identifier: Apache-2.0
// unix_now_ns: the wall-clock time as Unix nanoseconds, for timestamps that leave the process (message send/receive times).
#pragma once

#include <chrono>
#include <cstdint>

namespace frame_tracking {

/// The system clock now, ns since the Unix epoch (steps with the wall clock; not for durations).
/// Thread-safe.
inline std::int64_t unix_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace frame_tracking
