// SPDX-License-Identifier: Apache-2.0
// TracerStatsCollector: maps one TracingStats snapshot to Prometheus metric families at scrape time.
#include "frame_tracking/metrics/tracer_stats_collector.hpp"

#include <prometheus/client_metric.h>

#include <string>
#include <utility>

namespace frame_tracking::metrics {
namespace {

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type) {
  prometheus::MetricFamily out;
  out.name = std::move(name);
  out.help = std::move(help);
  out.type = type;
  return out;
}

void add_sample(prometheus::MetricFamily& family, std::uint64_t value, std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) metric.counter.value = static_cast<double>(value);
  else metric.gauge.value = static_cast<double>(value);
  family.metric.push_back(std::move(metric));
}

prometheus::MetricFamily single(std::string name, std::string help, prometheus::MetricType type, std::uint64_t value) {
  prometheus::MetricFamily out = family(std::move(name), std::move(help), type);
  add_sample(out, value);
  return out;
}

}  // namespace

TracerStatsCollector::TracerStatsCollector(std::function<TracingStats()> source) : source_(std::move(source)) {}

std::vector<prometheus::MetricFamily> TracerStatsCollector::Collect() const {
  using prometheus::MetricType;
  const TracingStats stats = source_();
  std::vector<prometheus::MetricFamily> out;
  out.push_back(single("frame_tracking_tracer_spans_started_total", "Recording spans started", MetricType::Counter,
                       stats.spans_started));
  out.push_back(single("frame_tracking_tracer_spans_exported_total", "Spans accepted by the exporter",
                       MetricType::Counter, stats.spans_exported));
  prometheus::MetricFamily dropped =
      family("frame_tracking_tracer_spans_dropped_total", "Sampled spans lost, by reason", MetricType::Counter);
  add_sample(dropped, stats.dropped_queue_full, {{"reason", "queue_full"}});
  add_sample(dropped, stats.dropped_export_failed, {{"reason", "export_failed"}});
  add_sample(dropped, stats.dropped_pool_exhausted, {{"reason", "pool_exhausted"}});
  add_sample(dropped, stats.dropped_shutdown, {{"reason", "shutdown"}});
  out.push_back(std::move(dropped));
  out.push_back(single("frame_tracking_tracer_export_failures_total", "Failed export calls", MetricType::Counter,
                       stats.export_failures));
  out.push_back(single("frame_tracking_tracer_queue_size", "Spans waiting in the batch queues", MetricType::Gauge,
                       stats.queue_size));
  out.push_back(single("frame_tracking_tracer_queue_capacity", "Capacity of the batch queues, spans", MetricType::Gauge,
                       stats.queue_capacity));
  return out;
}

}  // namespace frame_tracking::metrics
