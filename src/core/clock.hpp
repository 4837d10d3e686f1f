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

/// Wall-clock time for a monotonic reading `steady`, through a per-thread anchor (wall − steady)
/// refreshed from CLOCK_REALTIME every kAnchorRefreshNs: one clock read per timestamp instead of
/// two, and a wall-clock step shows up in new spans within that interval.
inline constexpr std::uint64_t kAnchorRefreshNs = 100'000'000;  // 100 ms

struct WallClockAnchor {
  std::uint64_t steady_at = 0;
  std::int64_t offset = 0;  // wall − steady, ns
};
inline thread_local WallClockAnchor t_wall_clock_anchor;

inline std::uint64_t realtime_from_steady(std::uint64_t steady) noexcept {
  WallClockAnchor& a = t_wall_clock_anchor;
  if (a.steady_at == 0 || steady - a.steady_at > kAnchorRefreshNs) [[unlikely]] {
    a.offset = static_cast<std::int64_t>(realtime_ns()) - static_cast<std::int64_t>(steady);
    a.steady_at = steady;
  }
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(steady) + a.offset);
}

}  // namespace frame_tracking::detail
