// SPDX-License-Identifier: Apache-2.0
// StripedCounter: a statistics counter that threads increment without sharing a cache line (private to core).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace frame_tracking::detail {

/// Stripes owned by one thread at a time: that thread is the stripe's only writer and adds with a
/// plain load and store (no locked instruction on the hot path).
inline constexpr std::size_t kOwnedCounterStripes = 32;
/// Stripes shared round-robin by the threads that found no free owned stripe: locked atomic add.
inline constexpr std::size_t kSharedCounterStripes = 8;
inline constexpr std::size_t kCounterStripes = kOwnedCounterStripes + kSharedCounterStripes;

/// The calling thread's stripe; kCounterStripes until assign_counter_stripe() ran on this thread.
/// Constant-initialised, so reading it needs no TLS guard.
inline thread_local std::size_t t_counter_stripe = kCounterStripes;

/// Assigns the calling thread's stripe and returns it: a free owned stripe (given back when the
/// thread exits) if there is one, else a shared stripe.
std::size_t assign_counter_stripe() noexcept;

/// The calling thread's stripe index in [0, kCounterStripes), assigned on first use.
inline std::size_t counter_stripe() noexcept {
  const std::size_t stripe = t_counter_stripe;
  if (stripe == kCounterStripes) [[unlikely]] return assign_counter_stripe();
  return stripe;
}

/// A monotonically increasing counter split over cache-line-sized stripes: add() touches only the
/// calling thread's stripe (an unlocked add on an owned stripe, an uncontended atomic add on a
/// shared one), load() sums them. Thread-safe, lock-free.
class StripedCounter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    const std::size_t stripe = counter_stripe();
    std::atomic<std::uint64_t>& value = stripes_[stripe].value;
    if (stripe < kOwnedCounterStripes) value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    else value.fetch_add(n, std::memory_order_relaxed);
  }
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
