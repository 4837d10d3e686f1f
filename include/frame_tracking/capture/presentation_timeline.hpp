// SPDX-License-Identifier: Apache-2.0
// PresentationTimeline: turns decoder pts (which may be missing or jump) into a strictly increasing time in ns.
#pragma once

#include <cstdint>

namespace frame_tracking::capture {

/// Maps each frame's pts (in decoder output order) to a presentation time in ns since the first
/// frame that is strictly increasing, whatever the input:
/// - pts present: time = segment origin + (pts - origin pts) × time base;
/// - pts missing (kNoPts, e.g. the first packet of an RTSP session): the previous time plus one frame
///   duration, or plus the steady-clock time since the previous frame when the frame rate is unknown;
/// - pts going backwards or repeating: the timeline re-anchors at the previous time plus one step
///   (reported as `reset`);
/// - a new segment (file loop, reconnect) continues after the last time: one frame duration later
///   (kContinuous) or after the real elapsed steady time (kElapsed).
/// Used by VideoSource; public so that other frame sources can share the same rule.
/// Not thread-safe: one timeline per source.
class PresentationTimeline {
 public:
  /// How a new segment joins the previous one.
  enum class Join : std::uint8_t {
    kContinuous,  ///< The next frame follows one frame duration after the last (file loop).
    kElapsed,     ///< The next frame follows after the steady time that really passed (reconnect).
  };

  /// The time given to one frame.
  struct Stamp {
    std::int64_t time_ns = 0;  ///< Strictly greater than the previous stamp's time_ns.
    bool estimated = false;    ///< pts was missing.
    bool reset = false;        ///< pts went backwards; the timeline re-anchored at this frame.
  };

  /// Starts a segment: a stream (re)opened or a file restarted. `time_base_num/den` is the pts unit
  /// (both > 0); `frame_duration_ns` is the nominal frame duration, or 0 when unknown. Must be called
  /// before the first next(); `join` is ignored for the first segment (which starts at 0).
  void start_segment(int time_base_num, int time_base_den, std::int64_t frame_duration_ns,
                     Join join) noexcept;

  /// The presentation time of the next frame in output order. `pts` in time base units or kNoPts;
  /// `steady_now_ns` is a monotonic clock reading (any origin), used only for estimates.
  Stamp next(std::int64_t pts, std::int64_t steady_now_ns) noexcept;

 private:
  std::int64_t step_ns(std::int64_t steady_now_ns) const noexcept;
  std::int64_t pts_delta_ns(std::int64_t delta) const noexcept;

  int time_base_num_ = 1;
  int time_base_den_ = 1;
  std::int64_t frame_duration_ns_ = 0;
  Join join_ = Join::kContinuous;
  bool segment_fresh_ = true;
  bool has_origin_ = false;
  std::int64_t origin_pts_ = 0;
  std::int64_t origin_ns_ = 0;
  bool has_last_ = false;
  std::int64_t last_ns_ = 0;
  std::int64_t last_steady_ns_ = 0;
};

}  // namespace frame_tracking::capture
