// SPDX-License-Identifier: Apache-2.0
// The ratio sampler records its threshold in tracestate (`ot=th:`, OTel probability sampling): exact values.
#include "frame_tracking/sampler.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

const TraceId kSampledId = *TraceId::from_hex("019ad4a1b2c37000bfffffffffffffff");

SamplingResult decide(const Sampler& sampler, const SpanContext& parent = {}) {
  return sampler.should_sample(SamplingParameters{parent, kSampledId, "s", SpanKind::kInternal, {}, {}});
}

std::string recorded(const SamplingResult& result) {
  return result.trace_state ? result.trace_state->header() : std::string("<parent's>");
}

TEST(SamplingThresholdTest, ThresholdTextIs14HexDigitsWithoutTrailingZeros) {
  EXPECT_EQ(TraceIdRatioBasedSampler(1.0).threshold_text(), "0");
  EXPECT_EQ(TraceIdRatioBasedSampler(0.5).threshold_text(), "8");
  EXPECT_EQ(TraceIdRatioBasedSampler(0.25).threshold_text(), "c");
  EXPECT_EQ(TraceIdRatioBasedSampler(0.75).threshold_text(), "4");
  EXPECT_EQ(TraceIdRatioBasedSampler(0.1).threshold_text(), "e6666666666668");  // floor(0.9 · 2^56) in doubles
  EXPECT_EQ(TraceIdRatioBasedSampler(1.0 / 1024).threshold_text(), "ffc");
}

TEST(SamplingThresholdTest, SampledRootRecordsOtTh) {
  EXPECT_EQ(recorded(decide(TraceIdRatioBasedSampler(0.5))), "ot=th:8");
  EXPECT_EQ(recorded(decide(TraceIdRatioBasedSampler(1.0))), "ot=th:0");
  EXPECT_EQ(recorded(decide(TraceIdRatioBasedSampler(0.1))), "ot=th:e6666666666668");
  // Not sampled: nothing recorded.
  const SamplingResult dropped = decide(TraceIdRatioBasedSampler(0.0));
  EXPECT_EQ(dropped.decision, SamplingDecision::kDrop);
  EXPECT_FALSE(dropped.trace_state.has_value());
}

TEST(SamplingThresholdTest, ParentMembersKeptAndOldThresholdReplaced) {
  SpanContext parent;
  parent.trace_id = kSampledId;
  parent.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  parent.trace_flags = TraceFlags{TraceFlags::kSampled};
  parent.remote = true;
  parent.trace_state = *TraceState::parse("congo=t61rcWkgMzE,ot=th:c;rv:abcdef01234567");
  EXPECT_EQ(recorded(decide(TraceIdRatioBasedSampler(0.5), parent)), "ot=th:8;rv:abcdef01234567,congo=t61rcWkgMzE");
  parent.trace_state = *TraceState::parse("congo=t61rcWkgMzE");
  EXPECT_EQ(recorded(decide(TraceIdRatioBasedSampler(0.25), parent)), "ot=th:c,congo=t61rcWkgMzE");
}

}  // namespace
}  // namespace frame_tracking
