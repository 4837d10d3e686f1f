// SPDX-License-Identifier: Apache-2.0
// Per-thread stripe assignment for StripedCounter.
#include "striped_counter.hpp"

namespace frame_tracking::detail {
namespace {
std::atomic<std::size_t> g_next_stripe{0};
thread_local std::size_t t_stripe = kCounterStripes;  // kCounterStripes = not yet assigned
}  // namespace

std::size_t counter_stripe() noexcept {
  if (t_stripe == kCounterStripes) [[unlikely]] {
    t_stripe = g_next_stripe.fetch_add(1, std::memory_order_relaxed) % kCounterStripes;
  }
  return t_stripe;
}

}  // namespace frame_tracking::detail
