// SPDX-License-Identifier: Apache-2.0
// TracerStatsCollector: the tracer's self-metrics (TracingStats) read at each Prometheus scrape.
#pragma once

#include "frame_tracking/tracing_stats.hpp"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <vector>

namespace frame_tracking::metrics {

/// A prometheus::Collectable that calls `source` (typically [&provider] { return provider.collect(); })
/// on every scrape and reports:
///  - frame_tracking_tracer_spans_started_total, _spans_exported_total, _export_failures_total: counters;
///  - frame_tracking_tracer_spans_dropped_total{reason="queue_full"|"export_failed"|"pool_exhausted"|"shutdown"}: counter;
///  - frame_tracking_tracer_queue_size, frame_tracking_tracer_queue_capacity: gauges, spans.
/// `source` must stay callable while the collector is registered (add it to a MetricsExposer and
/// keep the provider alive as long as the exposer). Thread-safe if `source` is (collect() is).
class TracerStatsCollector final : public prometheus::Collectable {
 public:
  explicit TracerStatsCollector(std::function<TracingStats()> source);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::function<TracingStats()> source_;
};

}  // namespace frame_tracking::metrics
