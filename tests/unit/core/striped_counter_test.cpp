// SPDX-License-Identifier: Apache-2.0
// Tests of StripedCounter: exact totals from threads on owned and shared stripes, stripes reused after threads exit.
#include "striped_counter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

namespace frame_tracking::detail {
namespace {

// `threads` threads alive at the same time, each adding 1 `adds` times.
void add_concurrently(StripedCounter& counter, std::size_t threads, std::uint64_t adds) {
  std::latch all_started(static_cast<std::ptrdiff_t>(threads));
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      all_started.arrive_and_wait();
      for (std::uint64_t i = 0; i < adds; ++i) counter.add();
    });
  }
  for (auto& t : pool) t.join();
}

TEST(StripedCounterTest, CountsExactlyWithMoreThreadsThanOwnedStripes) {
  StripedCounter counter;
  const std::size_t threads = kOwnedCounterStripes + 2 * kSharedCounterStripes;  // some must share
  add_concurrently(counter, threads, 10'000);
  EXPECT_EQ(counter.load(), threads * 10'000);
}

TEST(StripedCounterTest, StripesOfExitedThreadsAreReusedWithoutLosingCounts) {
  StripedCounter counter;
  for (int wave = 0; wave < 4; ++wave) add_concurrently(counter, kOwnedCounterStripes, 1'000);
  EXPECT_EQ(counter.load(), 4 * kOwnedCounterStripes * 1'000);
  counter.add(5);
  EXPECT_EQ(counter.load(), 4 * kOwnedCounterStripes * 1'000 + 5);
}

TEST(StripedCounterTest, AThreadGetsAnOwnedStripeWhileOnesAreFree) {
  std::size_t stripe = kCounterStripes;
  std::thread([&] { stripe = counter_stripe(); }).join();
  EXPECT_LT(stripe, kOwnedCounterStripes);
}

TEST(StripedCounterTest, ResetClearsEveryStripe) {
  StripedCounter counter;
  add_concurrently(counter, 4, 100);
  counter.reset();
  EXPECT_EQ(counter.load(), 0U);
}

}  // namespace
}  // namespace frame_tracking::detail
