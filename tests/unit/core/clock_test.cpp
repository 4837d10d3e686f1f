// SPDX-License-Identifier: Apache-2.0
// Tests of the span clock: the TSC scale's arithmetic and calibration, and steady_ns() against CLOCK_MONOTONIC/REALTIME.
#include "clock.hpp"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace frame_tracking::detail {
namespace {

std::int64_t diff(std::uint64_t a, std::uint64_t b) { return static_cast<std::int64_t>(a) - static_cast<std::int64_t>(b); }

// Drives the calibration (it progresses inside steady_ns()) until the scale is published.
bool wait_for_calibration() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (g_tsc_clock.ns_per_tick_q32.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    static_cast<void>(steady_ns());
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return g_tsc_clock.ns_per_tick_q32.load() != 0;
}

TEST(ClockTest, ScaleThroughTwoSamplesIsExact) {
  // 3 000 000 ticks in 1 500 000 ns: 0.5 ns per tick, 2^31 in 32.32 fixed point.
  const auto scale = tsc_scale_between({1'000, 5'000}, {3'001'000, 1'505'000});
  ASSERT_TRUE(scale.has_value());
  EXPECT_EQ(scale->ns_per_tick_q32, std::uint64_t{1} << 31);
  EXPECT_EQ(scale->origin_tsc, 3'001'000U);
  EXPECT_EQ(scale->origin_ns, 1'505'000U);
  EXPECT_EQ(scale->to_ns(3'001'000), 1'505'000U);
  EXPECT_EQ(scale->to_ns(3'003'000), 1'506'000U);
  // Ten days of ticks do not overflow the conversion.
  EXPECT_EQ(scale->to_ns(3'001'000 + 1'728'000'000'000'000ULL), 1'505'000U + 864'000'000'000'000ULL);
}

TEST(ClockTest, TicksBeforeTheOriginMapToTheOrigin) {
  const TscScale scale{1'000'000, 42, std::uint64_t{1} << 32};
  EXPECT_EQ(scale.to_ns(999'000), 42U);
  EXPECT_EQ(scale.to_ns(1'000'007), 49U);
}

TEST(ClockTest, RejectsSamplesThatDoNotAdvanceOrGiveAnImplausibleRate) {
  EXPECT_FALSE(tsc_scale_between({1'000, 5'000}, {1'000, 6'000}).has_value());     // TSC stood still
  EXPECT_FALSE(tsc_scale_between({2'000, 5'000}, {1'000, 6'000}).has_value());     // TSC went back
  EXPECT_FALSE(tsc_scale_between({1'000, 5'000}, {2'000, 5'000}).has_value());     // clock stood still
  EXPECT_FALSE(tsc_scale_between({0, 0}, {10, 100'000}).has_value());              // 100 kHz: too slow
  EXPECT_FALSE(tsc_scale_between({0, 0}, {1'000'000'000, 1'000}).has_value());     // 1 THz: too fast
  EXPECT_TRUE(tsc_scale_between({0, 0}, {2'100'000'000, 1'000'000'000}).has_value());  // 2.1 GHz
}

TEST(ClockTest, SampleReadsBothClocksTogether) {
  const std::uint64_t before = clock_monotonic_ns();
  const TscSample sample = take_tsc_sample();
  const std::uint64_t after = clock_monotonic_ns();
  EXPECT_LE(before, sample.monotonic_ns);
  EXPECT_LE(sample.monotonic_ns, after);
  if (tsc_is_invariant()) {
    EXPECT_GT(sample.tsc, 0U);
  }
}

TEST(ClockTest, CalibratesWhenTheTscIsInvariant) {
  if (!tsc_is_invariant()) GTEST_SKIP() << "no invariant TSC: steady_ns() reads CLOCK_MONOTONIC";
  EXPECT_TRUE(wait_for_calibration());
}

TEST(ClockTest, SteadyNsNeverDecreasesOnOneCpu) {
  wait_for_calibration();
  // Pinned to the CPU it runs on: across CPUs the TSCs may differ by a small offset (spans clamp that).
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  std::thread reader([&] {
    pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    std::uint64_t last = steady_ns();
    std::uint64_t decreases = 0;
    for (int i = 0; i < 1'000'000; ++i) {
      const std::uint64_t now = steady_ns();
      if (now < last) ++decreases;
      last = now;
    }
    EXPECT_EQ(decreases, 0U);
  });
  reader.join();
}

TEST(ClockTest, SteadyNsStaysOnClockMonotonicAndWallTimeOnClockRealtime) {
  wait_for_calibration();
  // The scale's rate error is a few ppm: after seconds that is microseconds. 1 ms leaves room for
  // a preemption between the two reads on a loaded machine.
  constexpr std::int64_t kToleranceNs = 1'000'000;
  for (int i = 0; i < 5; ++i) {
    const std::uint64_t monotonic = clock_monotonic_ns();
    const std::uint64_t steady = steady_ns();
    EXPECT_LT(std::abs(diff(steady, monotonic)), kToleranceNs) << "steady " << steady << " monotonic " << monotonic;
    const std::uint64_t wall = realtime_from_steady(steady_ns());
    const std::uint64_t realtime = realtime_ns();
    EXPECT_LT(std::abs(diff(wall, realtime)), kToleranceNs) << "wall " << wall << " realtime " << realtime;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
}

}  // namespace
}  // namespace frame_tracking::detail
