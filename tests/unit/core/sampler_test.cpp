// SPDX-License-Identifier: Apache-2.0
// Sampler tests: ratio decisions on fixed trace ids (incl. equal time prefixes), ParentBased, cross-provider agreement.
#include "tracing_test_util.hpp"

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/sampler.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

TraceId id(std::string_view hex) { return *TraceId::from_hex(hex); }

SamplingDecision decide(const Sampler& sampler, const TraceId& trace_id, const SpanContext& parent = {}) {
  return sampler.should_sample(SamplingParameters{parent, trace_id, "s", SpanKind::kInternal, {}, {}}).decision;
}

TEST(SamplerTest, ThresholdIsOneMinusRatioTimesTwoPow56) {
  EXPECT_EQ(TraceIdRatioBasedSampler(1.0).threshold(), 0u);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.0).threshold(), std::uint64_t{1} << 56);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.5).threshold(), std::uint64_t{1} << 55);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.25).threshold(), 3 * (std::uint64_t{1} << 54));
  EXPECT_EQ(TraceIdRatioBasedSampler(2.0).ratio(), 1.0);
  EXPECT_EQ(TraceIdRatioBasedSampler(-1.0).ratio(), 0.0);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.25).description(), "TraceIdRatioBased{0.250000}");
}

TEST(SamplerTest, RatioReadsOnlyTheRightmost56Bits) {
  TraceIdRatioBasedSampler half(0.5);
  // Same UUIDv7 time prefix (first 9 bytes), random parts on both sides of T = 0x80000000000000.
  const TraceId below = id("019ad4a1b2c37000bf7fffffffffffff");
  const TraceId at = id("019ad4a1b2c37000bf80000000000000");
  const TraceId above = id("019ad4a1b2c37000bfffffffffffffff");
  EXPECT_EQ(below.random_part(), 0x7fffffffffffffu);
  EXPECT_EQ(decide(half, below), SamplingDecision::kDrop);
  EXPECT_EQ(decide(half, at), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(half, above), SamplingDecision::kRecordAndSample);
  // The leading (time) bytes do not matter: a different prefix, same random part, same decision.
  EXPECT_EQ(decide(half, id("ffffffffffffffffff7fffffffffffff")), SamplingDecision::kDrop);
  EXPECT_EQ(decide(half, id("00000000000000000080000000000000")), SamplingDecision::kRecordAndSample);
  // Boundaries: ratio 0 samples nothing, ratio 1 everything.
  EXPECT_EQ(decide(TraceIdRatioBasedSampler(0.0), id("000000000000000000ffffffffffffff")), SamplingDecision::kDrop);
  EXPECT_EQ(decide(TraceIdRatioBasedSampler(1.0), id("00000000000000000100000000000000")),
            SamplingDecision::kRecordAndSample);
  // The ratio sampler ignores the parent's flag.
  SpanContext unsampled_parent{id("019ad4a1b2c37000bfffffffffffffff"), testing::span_id_of(1), {}, {}, true};
  EXPECT_EQ(decide(half, above, unsampled_parent), SamplingDecision::kRecordAndSample);
}

TEST(SamplerTest, HigherRatioSamplesASuperset) {
  TraceIdRatioBasedSampler low(0.1);
  TraceIdRatioBasedSampler high(0.3);
  std::uint64_t x = 42;
  int low_count = 0;
  for (int i = 0; i < 2000; ++i) {
    std::array<std::uint8_t, 16> b{};
    for (auto& byte : b) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      byte = static_cast<std::uint8_t>(x >> 56);
    }
    TraceId t(b);
    if (low.samples(t)) {
      ++low_count;
      EXPECT_TRUE(high.samples(t));
    }
  }
  EXPECT_GT(low_count, 0);
}

TEST(SamplerTest, ParentBasedFollowsTheParent) {
  auto sampler = make_parent_based_sampler(make_always_off_sampler());
  const TraceId t = id("019ad4a1b2c37000bfffffffffffffff");
  SpanContext remote_sampled{t, testing::span_id_of(1), {TraceFlags::kSampled}, {}, true};
  SpanContext remote_unsampled{t, testing::span_id_of(1), {}, {}, true};
  SpanContext local_sampled{t, testing::span_id_of(1), {TraceFlags::kSampled}, {}, false};
  SpanContext local_unsampled{t, testing::span_id_of(1), {}, {}, false};
  EXPECT_EQ(decide(*sampler, t), SamplingDecision::kDrop);  // root → AlwaysOff
  EXPECT_EQ(decide(*sampler, t, remote_sampled), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(*sampler, t, remote_unsampled), SamplingDecision::kDrop);
  EXPECT_EQ(decide(*sampler, t, local_sampled), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(decide(*sampler, t, local_unsampled), SamplingDecision::kDrop);

  ParentBasedSamplerOptions options;
  options.root = std::make_unique<TraceIdRatioBasedSampler>(0.5);
  options.remote_parent_not_sampled = make_always_on_sampler();
  auto custom = make_parent_based_sampler(std::move(options));
  EXPECT_EQ(decide(*custom, id("019ad4a1b2c37000bf7fffffffffffff")), SamplingDecision::kDrop);
  EXPECT_EQ(decide(*custom, t, remote_unsampled), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(custom->description(),
            "ParentBased{root=TraceIdRatioBased{0.500000},remoteParentSampled=AlwaysOnSampler,remoteParentNotSampled="
            "AlwaysOnSampler,localParentSampled=AlwaysOnSampler,localParentNotSampled=AlwaysOffSampler}");
}

TEST(SamplerTest, TwoIndependentProvidersDecideAlikeForEveryFrame) {
  auto first_store = std::make_shared<InMemorySpanStore>();
  auto second_store = std::make_shared<InMemorySpanStore>();
  auto first = testing::make_test_provider(first_store, std::make_unique<TraceIdRatioBasedSampler>(0.5));
  auto second = testing::make_test_provider(second_store, make_parent_based_sampler(
                                                              std::make_unique<TraceIdRatioBasedSampler>(0.5)));
  int expected = 0;
  for (int i = 0; i < 500; ++i) {
    TraceId frame = FrameId::generate().to_trace_id();
    if ((frame.bytes()[9] & 0x80) != 0) ++expected;  // R ≥ 2^55 ⇔ the top bit of byte 9
    Span a = first->get_tracer("t").start_span("capture_frame", {.new_root = true, .trace_id = frame});
    Span b = second->get_tracer("t").start_span("process frames", {.new_root = true, .trace_id = frame});
    EXPECT_EQ(a.context().is_sampled(), b.context().is_sampled());
    EXPECT_EQ(a.is_recording(), a.context().is_sampled());
  }
  EXPECT_EQ(first_store->size(), static_cast<std::size_t>(expected));
  EXPECT_EQ(second_store->size(), static_cast<std::size_t>(expected));
}

TEST(SamplerTest, SampledFramesKeepAllTheirSpans) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = testing::make_test_provider(store, make_parent_based_sampler(
                                                         std::make_unique<TraceIdRatioBasedSampler>(0.5)));
  Tracer tracer = provider->get_tracer("t");
  const TraceId sampled = id("019ad4a1b2c37000bf80000000000000");
  const TraceId dropped = id("019ad4a1b2c37000bf7fffffffffffff");
  for (const TraceId& t : {sampled, dropped}) {
    Span root = tracer.start_span("capture_frame", {.new_root = true, .trace_id = t});
    Context ctx{root.context(), {}};
    Span child = tracer.start_span("decode_frame", {.parent = &ctx});
    EXPECT_EQ(child.is_recording(), t == sampled);
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->context.trace_id, sampled);
  EXPECT_EQ(spans[1]->context.trace_id, sampled);
}

}  // namespace
}  // namespace frame_tracking
