// SPDX-License-Identifier: Apache-2.0
// Calibration of the TSC against CLOCK_MONOTONIC for steady_ns().
#include "clock.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <limits>

namespace frame_tracking::detail {
namespace {

// Zero (false) until dynamic initialisation: a span started by another static initialiser before
// this one simply uses clock_gettime.
const bool g_tsc_invariant = tsc_is_invariant();

// Calibration in progress: the first sample, guarded by a try-lock (callers that find it taken
// just read clock_gettime; nobody waits).
std::atomic<bool> g_calibrating{false};
bool g_have_first_sample = false;
TscSample g_first_sample;

}  // namespace

bool tsc_is_invariant() noexcept {
#if defined(__x86_64__)
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) < 0x80000007U) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __cpuid(0x80000007, eax, ebx, ecx, edx);
  return (edx & (1U << 8)) != 0;
#else
  return false;
#endif
}

TscSample take_tsc_sample() noexcept {
  constexpr int kAttempts = 5;
  TscSample best;
  std::uint64_t best_window = std::numeric_limits<std::uint64_t>::max();
  for (int i = 0; i < kAttempts; ++i) {
    const std::uint64_t before = read_tsc();
    const std::uint64_t ns = clock_monotonic_ns();
    const std::uint64_t after = read_tsc();
    if (after >= before && after - before < best_window) {
      best_window = after - before;
      best = {before + (after - before) / 2, ns};
    }
  }
  return best;
}

std::optional<TscScale> tsc_scale_between(const TscSample& a, const TscSample& b) noexcept {
  if (b.tsc <= a.tsc || b.monotonic_ns <= a.monotonic_ns) return std::nullopt;
  const auto q32 = (static_cast<TscProduct>(b.monotonic_ns - a.monotonic_ns) << 32) / (b.tsc - a.tsc);
  // 1 MHz .. 100 GHz: 1000 .. 0.01 ns per tick.
  constexpr TscProduct kMin = (static_cast<TscProduct>(1) << 32) / 100;
  constexpr TscProduct kMax = static_cast<TscProduct>(1000) << 32;
  if (q32 < kMin || q32 > kMax) return std::nullopt;
  return TscScale{b.tsc, b.monotonic_ns, static_cast<std::uint64_t>(q32)};
}

std::uint64_t steady_ns_uncalibrated() noexcept {
  const std::uint64_t now = clock_monotonic_ns();
  if (!g_tsc_invariant || g_calibrating.exchange(true, std::memory_order_acquire)) return now;
  if (g_tsc_clock.ns_per_tick_q32.load(std::memory_order_relaxed) == 0) {
    if (!g_have_first_sample) {
      g_first_sample = take_tsc_sample();
      g_have_first_sample = true;
    } else if (now - g_first_sample.monotonic_ns >= kTscCalibrationNs) {
      const TscSample second = take_tsc_sample();
      if (const auto scale = tsc_scale_between(g_first_sample, second)) {
        g_tsc_clock.origin_tsc = scale->origin_tsc;
        g_tsc_clock.origin_ns = scale->origin_ns;
        g_tsc_clock.ns_per_tick_q32.store(scale->ns_per_tick_q32, std::memory_order_release);
      } else {
        g_first_sample = second;  // implausible (e.g. a TSC reset): start over from here
      }
    }
  }
  g_calibrating.store(false, std::memory_order_release);
  return now;
}

}  // namespace frame_tracking::detail
