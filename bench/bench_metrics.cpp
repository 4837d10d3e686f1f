// SPDX-License-Identifier: Apache-2.0
// Metrics hot path: one frame recorded through a cached FrameStage handle, through a per-frame lookup, and the raw series.
#include "frame_tracking/metrics/frame_metrics.hpp"
#include "frame_tracking/metrics/messaging_metrics.hpp"

#include <benchmark/benchmark.h>

namespace {

using frame_tracking::metrics::FrameMetrics;
using frame_tracking::metrics::FrameStage;
using frame_tracking::metrics::MessagingMetrics;

/// One processed frame through a handle resolved once (what the pipeline does per frame).
void BM_FrameStageProcessedCached(benchmark::State& state) {
  prometheus::Registry registry;
  FrameMetrics metrics(registry);
  FrameStage& stage = metrics.stage("detect", "cam-1");
  double seconds = 0.001;
  for (auto _ : state) {
    stage.processed(seconds);
    seconds += 1e-9;
  }
}
BENCHMARK(BM_FrameStageProcessedCached)->Threads(1)->Threads(2);

/// The handle looked up by (stage, camera) for every frame, then the frame recorded.
void BM_FrameStageLookupAndProcessed(benchmark::State& state) {
  prometheus::Registry registry;
  FrameMetrics metrics(registry);
  for (int camera = 0; camera < 8; ++camera) metrics.stage("detect", "cam-" + std::to_string(camera));
  for (auto _ : state) metrics.stage("detect", "cam-3").processed(0.001);
}
BENCHMARK(BM_FrameStageLookupAndProcessed);

/// prometheus-cpp's Family::Add per frame (the uncached way) plus one Observe, for comparison.
void BM_FamilyAddPerFrame(benchmark::State& state) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildHistogram().Name("frame_processing_duration_seconds").Register(registry);
  for (auto _ : state)
    family.Add({{"stage", "detect"}, {"camera_id", "cam-1"}}, FrameMetrics::stage_buckets()).Observe(0.001);
}
BENCHMARK(BM_FamilyAddPerFrame);

/// A counter increment through a cached messaging series.
void BM_MessagingSentCached(benchmark::State& state) {
  prometheus::Registry registry;
  MessagingMetrics metrics(registry);
  prometheus::Counter& sent = metrics.sent("redis", "frames:metadata");
  for (auto _ : state) sent.Increment();
}
BENCHMARK(BM_MessagingSentCached);

/// A drop: frames_total{outcome="dropped"} plus the by-reason counter (looked up under the handle's mutex).
void BM_FrameStageDropped(benchmark::State& state) {
  prometheus::Registry registry;
  FrameMetrics metrics(registry);
  FrameStage& stage = metrics.stage("route", "cam-1");
  for (auto _ : state) stage.dropped("no_route");
}
BENCHMARK(BM_FrameStageDropped);

}  // namespace

BENCHMARK_MAIN();
