// SPDX-License-Identifier: Apache-2.0
// FrameMetrics: per-stage frame counts, drops by reason, stage durations and end-to-end latency (docs/metrics.md).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace frame_tracking::metrics {

/// The metrics of one (stage, camera) pair, with its label-resolved series cached: recording a
/// frame is one histogram observation and one counter increment, no lookup and no allocation
/// (a drop looks its reason up under a mutex). Obtained from FrameMetrics::stage(); valid while
/// the FrameMetrics lives. Thread-safe.
class FrameStage {
 public:
  /// A frame left the stage processed after `seconds` in it: observes
  /// frame_processing_duration_seconds and counts frames_total{outcome="processed"}.
  void processed(double seconds) noexcept;
  /// A frame was dropped in the stage for `reason` (its `frame.drop_reason`): counts
  /// frames_total{outcome="dropped"} and frames_dropped_total{reason}.
  void dropped(std::string_view reason);

 private:
  friend class FrameMetrics;
  FrameStage(std::string stage, std::string camera_id, prometheus::Histogram& duration,
             prometheus::Counter& processed, prometheus::Counter& dropped,
             prometheus::Family<prometheus::Counter>& drops_by_reason);

  std::string stage_;
  std::string camera_id_;
  prometheus::Histogram& duration_;
  prometheus::Counter& processed_;
  prometheus::Counter& dropped_;
  prometheus::Family<prometheus::Counter>& drops_by_reason_;
  std::mutex mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> reasons_;
};

/// The frame metric families of a pipeline process, registered in a prometheus::Registry:
///  - frame_processing_duration_seconds{stage, camera_id}: histogram, seconds (buckets 0.5 ms … 2.5 s);
///  - frames_total{stage, camera_id, outcome="processed"|"dropped"}: counter;
///  - frames_dropped_total{stage, camera_id, reason}: counter;
///  - frame_end_to_end_duration_seconds{camera_id}: histogram, capture time → stored, seconds (5 ms … 30 s).
/// Count every frame, sampled or not. Never label with a frame or trace id. The registry must
/// outlive this object. Thread-safe.
class FrameMetrics {
 public:
  /// Bucket upper bounds, seconds.
  static const std::vector<double>& stage_buckets();
  static const std::vector<double>& end_to_end_buckets();

  explicit FrameMetrics(prometheus::Registry& registry);
  FrameMetrics(const FrameMetrics&) = delete;
  FrameMetrics& operator=(const FrameMetrics&) = delete;

  /// The handle of (`stage`, `camera_id`), created on first use (a map lookup under a mutex;
  /// keep the reference for a hot loop). `stage` is the span's `pipeline.stage`.
  FrameStage& stage(std::string_view stage, std::string_view camera_id);
  /// frame_end_to_end_duration_seconds of `camera_id` (created on first use, same cost as stage()).
  prometheus::Histogram& end_to_end(std::string_view camera_id);

 private:
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& frames_;
  prometheus::Family<prometheus::Counter>& dropped_;
  prometheus::Family<prometheus::Histogram>& end_to_end_;
  std::mutex mutex_;
  /// stage → camera_id → handle.
  std::map<std::string, std::map<std::string, std::unique_ptr<FrameStage>, std::less<>>, std::less<>> stages_;
  std::map<std::string, prometheus::Histogram*, std::less<>> cameras_;
};

}  // namespace frame_tracking::metrics
