// SPDX-License-Identifier: Apache-2.0
// Clock reads for span timestamps: wall clock (Unix ns) and monotonic clock (private to core).
#pragma once

#include <time.h>

#include <cstdint>

namespace frame_tracking::detail {

/// Wall-clock time, Unix ns (CLOCK_REALTIME; a vDSO call, no syscall).
inline std::uint64_t realtime_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// Monotonic time in ns since an arbitrary origin (CLOCK_MONOTONIC): for durations only.
inline std::uint64_t steady_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace frame_tracking::detail
