// SPDX-License-Identifier: Apache-2.0
// PresentationTimeline: strictly increasing presentation times from decoder pts, with estimates for missing pts.
#include "frame_tracking/capture/presentation_timeline.hpp"

#include <algorithm>
#include <cmath>

#include "frame_tracking/capture/captured_frame.hpp"

namespace frame_tracking::capture {

void PresentationTimeline::start_segment(int time_base_num, int time_base_den,
                                         std::int64_t frame_duration_ns, Join join) noexcept {
  time_base_num_ = time_base_num > 0 ? time_base_num : 1;
  time_base_den_ = time_base_den > 0 ? time_base_den : 1;
  frame_duration_ns_ = std::max<std::int64_t>(frame_duration_ns, 0);
  join_ = join;
  segment_fresh_ = true;
  has_origin_ = false;
}

std::int64_t PresentationTimeline::step_ns(std::int64_t steady_now_ns) const noexcept {
  // The first frame after a reconnect follows the real outage; otherwise one nominal frame duration.
  const bool elapsed = (segment_fresh_ && join_ == Join::kElapsed) || frame_duration_ns_ == 0;
  if (elapsed) return std::max<std::int64_t>(steady_now_ns - last_steady_ns_, 1);
  return frame_duration_ns_;
}

std::int64_t PresentationTimeline::pts_delta_ns(std::int64_t delta) const noexcept {
  // long double keeps 64 bits of mantissa: exact for any realistic stream length.
  const long double ns = static_cast<long double>(delta) * time_base_num_ * 1e9L / time_base_den_;
  return static_cast<std::int64_t>(std::llround(ns));
}

PresentationTimeline::Stamp PresentationTimeline::next(std::int64_t pts,
                                                       std::int64_t steady_now_ns) noexcept {
  Stamp stamp;
  const std::int64_t follow = has_last_ ? last_ns_ + step_ns(steady_now_ns) : 0;
  if (pts == kNoPts) {
    stamp.estimated = true;
    stamp.time_ns = follow;
  } else if (!has_origin_) {
    has_origin_ = true;
    origin_pts_ = pts;
    origin_ns_ = follow;
    stamp.time_ns = follow;
  } else {
    stamp.time_ns = origin_ns_ + pts_delta_ns(pts - origin_pts_);
    if (has_last_ && stamp.time_ns <= last_ns_) {
      origin_pts_ = pts;
      origin_ns_ = follow;
      stamp.time_ns = follow;
      stamp.reset = true;
    }
  }
  segment_fresh_ = false;
  has_last_ = true;
  last_ns_ = stamp.time_ns;
  last_steady_ns_ = steady_now_ns;
  return stamp;
}

}  // namespace frame_tracking::capture
