// SPDX-License-Identifier: Apache-2.0
// Tests of PresentationTimeline: exact times for present, missing, repeated and backwards pts, and segment joins.
#include "frame_tracking/capture/presentation_timeline.hpp"

#include <gtest/gtest.h>

#include "frame_tracking/capture/captured_frame.hpp"

namespace frame_tracking::capture {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kFrame = 40 * kMs;  // 25 fps

PresentationTimeline rtsp_timeline() {
  PresentationTimeline timeline;
  timeline.start_segment(1, 90'000, kFrame, PresentationTimeline::Join::kContinuous);
  return timeline;
}

TEST(PresentationTimelineTest, MapsPtsToNanosecondsSinceTheFirstFrame) {
  PresentationTimeline timeline = rtsp_timeline();
  EXPECT_EQ(timeline.next(900'000, 0).time_ns, 0);
  EXPECT_EQ(timeline.next(903'600, 0).time_ns, 40 * kMs);
  const auto stamp = timeline.next(907'201, 0);
  EXPECT_EQ(stamp.time_ns, 80 * kMs + 11'111);  // 1/90000 s = 11111.1 ns, rounded
  EXPECT_FALSE(stamp.estimated);
  EXPECT_FALSE(stamp.reset);
}

TEST(PresentationTimelineTest, MissingFirstPtsIsEstimatedOneFrameBeforeTheNext) {
  PresentationTimeline timeline = rtsp_timeline();
  const auto first = timeline.next(kNoPts, 0);
  EXPECT_EQ(first.time_ns, 0);
  EXPECT_TRUE(first.estimated);
  EXPECT_EQ(timeline.next(123'456, 0).time_ns, 40 * kMs);
  EXPECT_EQ(timeline.next(127'056, 0).time_ns, 80 * kMs);
  const auto middle = timeline.next(kNoPts, 0);
  EXPECT_EQ(middle.time_ns, 120 * kMs);
  EXPECT_TRUE(middle.estimated);
  EXPECT_EQ(timeline.next(134'256, 0).time_ns, 160 * kMs);
}

TEST(PresentationTimelineTest, UnknownFrameRateEstimatesFromTheSteadyClock) {
  PresentationTimeline timeline;
  timeline.start_segment(1, 1000, 0, PresentationTimeline::Join::kContinuous);
  EXPECT_EQ(timeline.next(kNoPts, 5 * kMs).time_ns, 0);
  EXPECT_EQ(timeline.next(kNoPts, 38 * kMs).time_ns, 33 * kMs);
  EXPECT_EQ(timeline.next(kNoPts, 38 * kMs).time_ns, 33 * kMs + 1);  // never equal, never back
}

TEST(PresentationTimelineTest, BackwardsOrRepeatedPtsReanchorsAfterThePreviousFrame) {
  PresentationTimeline timeline = rtsp_timeline();
  EXPECT_EQ(timeline.next(90'000, 0).time_ns, 0);
  EXPECT_EQ(timeline.next(93'600, 0).time_ns, 40 * kMs);
  const auto repeated = timeline.next(93'600, 0);
  EXPECT_EQ(repeated.time_ns, 80 * kMs);
  EXPECT_TRUE(repeated.reset);
  const auto back = timeline.next(3'600, 0);
  EXPECT_EQ(back.time_ns, 120 * kMs);
  EXPECT_TRUE(back.reset);
  EXPECT_EQ(timeline.next(7'200, 0).time_ns, 160 * kMs);  // continues from the new anchor
}

TEST(PresentationTimelineTest, ContinuousSegmentFollowsOneFrameLater) {
  PresentationTimeline timeline;
  timeline.start_segment(1, 12'800, kFrame, PresentationTimeline::Join::kContinuous);
  EXPECT_EQ(timeline.next(0, 0).time_ns, 0);
  EXPECT_EQ(timeline.next(1'024, 0).time_ns, 80 * kMs);
  timeline.start_segment(1, 12'800, kFrame, PresentationTimeline::Join::kContinuous);  // file loop
  EXPECT_EQ(timeline.next(0, 0).time_ns, 120 * kMs);
  EXPECT_EQ(timeline.next(512, 0).time_ns, 160 * kMs);
}

TEST(PresentationTimelineTest, ElapsedSegmentFollowsAfterTheRealOutage) {
  PresentationTimeline timeline = rtsp_timeline();
  EXPECT_EQ(timeline.next(3'600, 1'000 * kMs).time_ns, 0);
  EXPECT_EQ(timeline.next(7'200, 1'040 * kMs).time_ns, 40 * kMs);
  timeline.start_segment(1, 90'000, kFrame, PresentationTimeline::Join::kElapsed);  // reconnect
  const auto first = timeline.next(kNoPts, 3'540 * kMs);  // 2.5 s after the last frame
  EXPECT_EQ(first.time_ns, 2'540 * kMs);
  EXPECT_TRUE(first.estimated);
  EXPECT_EQ(timeline.next(500, 3'580 * kMs).time_ns, 2'580 * kMs);  // then one frame per frame
  EXPECT_EQ(timeline.next(4'100, 3'620 * kMs).time_ns, 2'620 * kMs);
}

}  // namespace
}  // namespace frame_tracking::capture
