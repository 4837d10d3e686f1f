// SPDX-License-Identifier: Apache-2.0
// Per-thread stripe assignment for StripedCounter: owned stripes handed out and given back at thread exit.
#include "striped_counter.hpp"

#include <pthread.h>

namespace frame_tracking::detail {
namespace {

static_assert(kOwnedCounterStripes <= 64, "the free owned stripes are one 64-bit mask");

constexpr std::uint64_t kAllOwnedFree =
    kOwnedCounterStripes == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << kOwnedCounterStripes) - 1;

/// Bit i set: owned stripe i is free.
std::atomic<std::uint64_t> g_free_owned{kAllOwnedFree};
std::atomic<std::size_t> g_next_shared{0};

std::size_t next_shared_stripe() noexcept {
  return kOwnedCounterStripes + g_next_shared.fetch_add(1, std::memory_order_relaxed) % kSharedCounterStripes;
}

/// Gives the thread's owned stripe back when the thread exits. Any add after that (a later
/// thread_local destructor starting a span) goes to a shared stripe.
struct OwnedStripeRelease {
  std::size_t stripe = kCounterStripes;
  ~OwnedStripeRelease() {
    if (stripe >= kOwnedCounterStripes) return;
    t_counter_stripe = next_shared_stripe();
    g_free_owned.fetch_or(std::uint64_t{1} << stripe, std::memory_order_release);
  }
};

/// In a forked child only the forking thread exists: every other owned stripe is free again.
void after_fork_in_child() noexcept {
  const std::size_t mine = t_counter_stripe;
  std::uint64_t free = kAllOwnedFree;
  if (mine < kOwnedCounterStripes) free &= ~(std::uint64_t{1} << mine);
  g_free_owned.store(free, std::memory_order_relaxed);
}

struct ForkHandler {
  ForkHandler() noexcept { pthread_atfork(nullptr, nullptr, &after_fork_in_child); }
};
const ForkHandler g_fork_handler;

}  // namespace

std::size_t assign_counter_stripe() noexcept {
  std::uint64_t free = g_free_owned.load(std::memory_order_relaxed);
  while (free != 0) {
    const auto stripe = static_cast<std::size_t>(__builtin_ctzll(free));
    if (g_free_owned.compare_exchange_weak(free, free & ~(std::uint64_t{1} << stripe), std::memory_order_acquire,
                                           std::memory_order_relaxed)) {
      thread_local OwnedStripeRelease release;
      release.stripe = stripe;
      t_counter_stripe = stripe;
      return stripe;
    }
  }
  t_counter_stripe = next_shared_stripe();
  return t_counter_stripe;
}

}  // namespace frame_tracking::detail
