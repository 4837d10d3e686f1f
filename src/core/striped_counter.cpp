// SPDX-License-Identifier: Apache-2.0
// Per-thread stripe assignment for StripedCounter.
#include "striped_counter.hpp"

namespace frame_tracking::detail {
namespace {
std::atomic<std::size_t> g_next_stripe{0};
}  // namespace

std::size_t assign_counter_stripe() noexcept {
  t_counter_stripe = g_next_stripe.fetch_add(1, std::memory_order_relaxed) % kCounterStripes;
  return t_counter_stripe;
}

}  // namespace frame_tracking::detail
