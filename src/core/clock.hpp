// SPDX-License-Identifier: Apache-2.0
// Clock reads for span timestamps: wall clock (Unix ns) and a monotonic clock read from the TSC (private to core).
#pragma once

#include <time.h>

#include <atomic>
#include <cstdint>
#include <optional>

namespace frame_tracking::detail {

/// Wall-clock time, Unix ns (CLOCK_REALTIME; a vDSO call, no syscall).
inline std::uint64_t realtime_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// CLOCK_MONOTONIC, ns since an arbitrary origin (boot).
inline std::uint64_t clock_monotonic_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// The CPU's time-stamp counter (x86-64 RDTSC; 0 on other architectures, where it is never used).
inline std::uint64_t read_tsc() noexcept {
#if defined(__x86_64__)
  return __builtin_ia32_rdtsc();
#else
  return 0;
#endif
}

/// Whether the TSC ticks at a constant rate in every power state (x86 "invariant TSC", CPUID
/// 0x80000007 EDX bit 8; Linux shows it as the flags constant_tsc + nonstop_tsc). False elsewhere.
bool tsc_is_invariant() noexcept;

/// The TSC and CLOCK_MONOTONIC read together: `tsc` is the midpoint of two TSC reads around the
/// clock_gettime call.
struct TscSample {
  std::uint64_t tsc = 0;
  std::uint64_t monotonic_ns = 0;
};

/// Takes a TscSample, retrying (up to a few times) while the two TSC reads are far apart, i.e.
/// the thread was interrupted between them.
TscSample take_tsc_sample() noexcept;

/// 128-bit product for the tick → ns conversion (a GCC/Clang extension on 64-bit targets).
__extension__ typedef unsigned __int128 TscProduct;

/// Linear map from TSC ticks to CLOCK_MONOTONIC ns: monotonic_ns + (tsc − origin) · ns_per_tick,
/// with ns_per_tick as a 32.32 fixed-point number (one multiplication per conversion).
struct TscScale {
  std::uint64_t origin_tsc = 0;
  std::uint64_t origin_ns = 0;
  std::uint64_t ns_per_tick_q32 = 0;

  /// `tsc` in CLOCK_MONOTONIC ns. Ticks before the origin (another CPU's slightly lower counter)
  /// map to the origin.
  std::uint64_t to_ns(std::uint64_t tsc) const noexcept {
    const std::uint64_t ticks = tsc > origin_tsc ? tsc - origin_tsc : 0;
    return origin_ns +
           static_cast<std::uint64_t>((static_cast<TscProduct>(ticks) * ns_per_tick_q32) >> 32);
  }
};

/// The scale through samples `a` and `b` (b taken after a). Empty unless both clocks advanced and
/// the rate is plausible (between 1 MHz and 100 GHz).
std::optional<TscScale> tsc_scale_between(const TscSample& a, const TscSample& b) noexcept;

/// How long the TSC is compared with CLOCK_MONOTONIC before it is used: 20 ms keeps the rate's
/// error within a few ppm (each sample is exact to about the length of one clock_gettime call).
inline constexpr std::uint64_t kTscCalibrationNs = 20'000'000;

/// The process-wide TSC scale, published once calibrated (ns_per_tick_q32 is written last, with
/// release; 0 means "not calibrated, or no invariant TSC: use clock_gettime").
struct TscClockState {
  std::uint64_t origin_tsc = 0;
  std::uint64_t origin_ns = 0;
  std::atomic<std::uint64_t> ns_per_tick_q32{0};
};
inline constinit TscClockState g_tsc_clock;

/// steady_ns() until the TSC is calibrated: CLOCK_MONOTONIC, and on the way the calibration (a
/// first sample at the first call, the scale published kTscCalibrationNs later). Thread-safe.
std::uint64_t steady_ns_uncalibrated() noexcept;

/// Monotonic time in ns on CLOCK_MONOTONIC's timeline, for durations: the TSC scaled by the
/// process-wide calibration when the CPU has an invariant TSC (one RDTSC, no vDSO call: on a VM
/// with kvm-clock that is ~12 ns instead of ~28 ns), else clock_gettime. Successive reads on one
/// CPU never decrease; across CPUs they may differ by the CPUs' TSC offset (0 on a synchronised
/// host), so a duration computed from two reads must be clamped at 0. Thread-safe, lock-free.
inline std::uint64_t steady_ns() noexcept {
  const std::uint64_t scale = g_tsc_clock.ns_per_tick_q32.load(std::memory_order_acquire);
  if (scale == 0) [[unlikely]] return steady_ns_uncalibrated();
  return TscScale{g_tsc_clock.origin_tsc, g_tsc_clock.origin_ns, scale}.to_ns(read_tsc());
}

/// Wall-clock time for a monotonic reading `steady`, through a per-thread anchor (wall − steady)
/// refreshed from CLOCK_REALTIME every kAnchorRefreshNs: one clock read per timestamp instead of
/// two, and a wall-clock step (or a drift between the TSC scale and the wall clock) shows up in new
/// spans within that interval.
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
