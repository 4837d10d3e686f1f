// SPDX-License-Identifier: Apache-2.0
// FrameMetrics: registers the frame families and caches one FrameStage per (stage, camera).
#include "frame_tracking/metrics/frame_metrics.hpp"

namespace frame_tracking::metrics {

FrameStage::FrameStage(std::string stage, std::string camera_id, prometheus::Histogram& duration,
                       prometheus::Counter& processed, prometheus::Counter& dropped,
                       prometheus::Family<prometheus::Counter>& drops_by_reason)
    : stage_(std::move(stage)),
      camera_id_(std::move(camera_id)),
      duration_(duration),
      processed_(processed),
      dropped_(dropped),
      drops_by_reason_(drops_by_reason) {}

void FrameStage::processed(double seconds) noexcept {
  duration_.Observe(seconds);
  processed_.Increment();
}

void FrameStage::dropped(std::string_view reason) {
  dropped_.Increment();
  std::lock_guard lock(mutex_);
  auto it = reasons_.find(reason);
  if (it == reasons_.end()) {
    prometheus::Counter& counter =
        drops_by_reason_.Add({{"stage", stage_}, {"camera_id", camera_id_}, {"reason", std::string(reason)}});
    it = reasons_.emplace(std::string(reason), &counter).first;
  }
  it->second->Increment();
}

const std::vector<double>& FrameMetrics::stage_buckets() {
  static const std::vector<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return buckets;
}

const std::vector<double>& FrameMetrics::end_to_end_buckets() {
  static const std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30};
  return buckets;
}

FrameMetrics::FrameMetrics(prometheus::Registry& registry)
    : duration_(prometheus::BuildHistogram()
                    .Name("frame_processing_duration_seconds")
                    .Help("Time one frame spent in one pipeline stage, seconds")
                    .Register(registry)),
      frames_(prometheus::BuildCounter()
                  .Name("frames_total")
                  .Help("Frames that left a pipeline stage, by outcome (processed, dropped)")
                  .Register(registry)),
      dropped_(prometheus::BuildCounter()
                   .Name("frames_dropped_total")
                   .Help("Frames dropped, by stage and frame.drop_reason")
                   .Register(registry)),
      end_to_end_(prometheus::BuildHistogram()
                      .Name("frame_end_to_end_duration_seconds")
                      .Help("Time from a frame's capture to its storage, seconds")
                      .Register(registry)) {}

FrameStage& FrameMetrics::stage(std::string_view stage, std::string_view camera_id) {
  std::lock_guard lock(mutex_);
  auto by_stage = stages_.find(stage);
  if (by_stage == stages_.end()) by_stage = stages_.emplace(std::string(stage), decltype(by_stage->second){}).first;
  auto it = by_stage->second.find(camera_id);
  if (it != by_stage->second.end()) return *it->second;
  std::string stage_label(stage);
  std::string camera_label(camera_id);
  prometheus::Histogram& duration = duration_.Add({{"stage", stage_label}, {"camera_id", camera_label}}, stage_buckets());
  prometheus::Counter& processed =
      frames_.Add({{"stage", stage_label}, {"camera_id", camera_label}, {"outcome", "processed"}});
  prometheus::Counter& dropped = frames_.Add({{"stage", stage_label}, {"camera_id", camera_label}, {"outcome", "dropped"}});
  std::unique_ptr<FrameStage> handle(new FrameStage(stage_label, camera_label, duration, processed, dropped, dropped_));
  FrameStage& out = *handle;
  by_stage->second.emplace(std::move(camera_label), std::move(handle));
  return out;
}

prometheus::Histogram& FrameMetrics::end_to_end(std::string_view camera_id) {
  std::lock_guard lock(mutex_);
  auto it = cameras_.find(camera_id);
  if (it != cameras_.end()) return *it->second;
  prometheus::Histogram& histogram = end_to_end_.Add({{"camera_id", std::string(camera_id)}}, end_to_end_buckets());
  cameras_.emplace(std::string(camera_id), &histogram);
  return histogram;
}

}  // namespace frame_tracking::metrics
