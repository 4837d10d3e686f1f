// SPDX-License-Identifier: Apache-2.0
// StripedCounter: a statistics counter that threads increment without sharing a cache line (private to core).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace frame_tracking::detail {

inline constexpr std::size_t kCounterStripes = 16;

/// The calling thread's stripe; kCounterStripes until assign_counter_stripe() ran on this thread.
/// Constant-initialised, so reading it needs no TLS guard.
inline thread_local std::size_t t_counter_stripe = kCounterStripes;

/// Assigns the calling thread's stripe (round-robin) and returns it.
std::size_t assign_counter_stripe() noexcept;

/// The calling thread's stripe index in [0, kCounterStripes), assigned round-robin on first use.
inline std::size_t counter_stripe() noexcept {
  const std::size_t stripe = t_counter_stripe;
  if (stripe == kCounterStripes) [[unlikely]] return assign_counter_stripe();
  return stripe;
}

/// A monotonically increasing counter split over cache-line-sized stripes: add() touches only the
/// calling thread's stripe (one uncontended atomic add), load() sums them. Thread-safe, lock-free.
class StripedCounter {
 public:
  void add(std::uint64_t n = 1) noexcept { stripes_[counter_stripe()].value.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t load() const noexcept {
    std::uint64_t total = 0;
    for (const auto& s : stripes_) total += s.value.load(std::memory_order_relaxed);
    return total;
  }
  /// Sets every stripe to 0 (after fork(), in the child, while it is single-threaded).
  void reset() noexcept {
    for (auto& s : stripes_) s.value.store(0, std::memory_order_relaxed);
  }

 private:
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> value{0};
  };
  Stripe stripes_[kCounterStripes];
};

}  // namespace frame_tracking::detail
