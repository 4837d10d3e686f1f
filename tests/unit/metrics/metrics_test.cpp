// SPDX-License-Identifier: Apache-2.0
// Metrics component: frame, messaging and tracer families scraped over HTTP from a MetricsExposer, exact lines.
#include "frame_tracking/metrics/frame_metrics.hpp"
#include "frame_tracking/metrics/messaging_metrics.hpp"
#include "frame_tracking/metrics/metrics_exposer.hpp"
#include "frame_tracking/metrics/tracer_stats_collector.hpp"
#include "otlp/http_get.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace frame_tracking::metrics {
namespace {

/// The exposition lines of `text` that start with `prefix` (comments excluded), in order.
std::vector<std::string> lines_of(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(prefix)) out.push_back(line);
  return out;
}

/// The same lines sorted (the series of one family come out in hash order).
std::vector<std::string> sorted_lines_of(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out = lines_of(text, prefix);
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<MetricsExposer> start_exposer() {
  auto exposer = MetricsExposer::start("127.0.0.1", 0);
  if (!exposer) ADD_FAILURE() << exposer.error().message;
  return exposer ? std::move(*exposer) : nullptr;
}

std::string scrape(const MetricsExposer& exposer) {
  const cli::HttpResponse response = cli::http_get(exposer.url());
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  return response.body;
}

TEST(MetricsExposer, BindsAFreePortAndServesTextFormat) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  EXPECT_GT(exposer->port(), 0);
  EXPECT_EQ(exposer->url(), "http://127.0.0.1:" + std::to_string(exposer->port()) + "/metrics");
  FrameMetrics frames(exposer->registry());
  frames.stage("detect", "cam1").processed(0.002);
  const std::string text = scrape(*exposer);
  EXPECT_NE(text.find("# TYPE frames_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE frame_processing_duration_seconds histogram\n"), std::string::npos) << text;
}

TEST(MetricsExposer, APortInUseIsAnErrorNamingTheFlag) {
  auto first = start_exposer();
  ASSERT_NE(first, nullptr);
  auto second = MetricsExposer::start("127.0.0.1", first->port());
  ASSERT_FALSE(second);
  EXPECT_TRUE(second.error().message.starts_with("--metrics-port " + std::to_string(first->port()) +
                                                  ": cannot listen on 127.0.0.1:" + std::to_string(first->port())))
      << second.error().message;
  auto bad = MetricsExposer::start("127.0.0.1", 70000);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "--metrics-port 70000: expected 0..65535");
}

TEST(FrameMetrics, CountsFramesByStageCameraAndOutcome) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  FrameMetrics frames(exposer->registry());
  FrameStage& detect = frames.stage("detect", "cam1");
  EXPECT_EQ(&detect, &frames.stage("detect", "cam1"));  // cached handle
  detect.processed(0.0004);
  detect.processed(0.003);
  detect.processed(0.2);
  detect.dropped("bad_thumbnail");
  frames.stage("detect", "cam2").processed(0.001);
  frames.stage("route", "cam1").dropped("no_route");
  frames.stage("route", "cam1").dropped("no_route");
  frames.stage("route", "cam1").dropped("bad_metadata");

  const std::string text = scrape(*exposer);
  EXPECT_EQ(sorted_lines_of(text, "frames_total{"),
            (std::vector<std::string>{
                R"(frames_total{camera_id="cam1",outcome="dropped",stage="detect"} 1)",
                R"(frames_total{camera_id="cam1",outcome="dropped",stage="route"} 3)",
                R"(frames_total{camera_id="cam1",outcome="processed",stage="detect"} 3)",
                R"(frames_total{camera_id="cam1",outcome="processed",stage="route"} 0)",
                R"(frames_total{camera_id="cam2",outcome="dropped",stage="detect"} 0)",
                R"(frames_total{camera_id="cam2",outcome="processed",stage="detect"} 1)",
            }))
      << text;
  EXPECT_EQ(sorted_lines_of(text, "frames_dropped_total{"),
            (std::vector<std::string>{
                R"(frames_dropped_total{camera_id="cam1",reason="bad_metadata",stage="route"} 1)",
                R"(frames_dropped_total{camera_id="cam1",reason="bad_thumbnail",stage="detect"} 1)",
                R"(frames_dropped_total{camera_id="cam1",reason="no_route",stage="route"} 2)",
            }))
      << text;
}

TEST(FrameMetrics, StageDurationHistogramHasTheDocumentedBuckets) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  FrameMetrics frames(exposer->registry());
  FrameStage& detect = frames.stage("detect", "cam1");
  detect.processed(0.0004);
  detect.processed(0.003);
  detect.processed(0.2);
  const std::string text = scrape(*exposer);
  EXPECT_EQ(lines_of(text, R"(frame_processing_duration_seconds)"),
            (std::vector<std::string>{
                R"(frame_processing_duration_seconds_count{camera_id="cam1",stage="detect"} 3)",
                R"(frame_processing_duration_seconds_sum{camera_id="cam1",stage="detect"} 0.2034)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.0005"} 1)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.001"} 1)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.0025"} 1)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.005"} 2)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.01"} 2)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.025"} 2)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.05"} 2)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.1"} 2)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.25"} 3)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="0.5"} 3)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="1"} 3)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="2.5"} 3)",
                R"(frame_processing_duration_seconds_bucket{camera_id="cam1",stage="detect",le="+Inf"} 3)",
            }))
      << text;
}

TEST(FrameMetrics, EndToEndHistogramPerCamera) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  FrameMetrics frames(exposer->registry());
  EXPECT_EQ(&frames.end_to_end("cam1"), &frames.end_to_end("cam1"));
  frames.end_to_end("cam1").Observe(0.15);
  frames.end_to_end("cam1").Observe(12);
  const std::string text = scrape(*exposer);
  EXPECT_EQ(lines_of(text, R"(frame_end_to_end_duration_seconds_count)"),
            (std::vector<std::string>{R"(frame_end_to_end_duration_seconds_count{camera_id="cam1"} 2)"}));
  EXPECT_EQ(lines_of(text, R"(frame_end_to_end_duration_seconds_sum)"),
            (std::vector<std::string>{R"(frame_end_to_end_duration_seconds_sum{camera_id="cam1"} 12.15)"}));
  const auto buckets = lines_of(text, R"(frame_end_to_end_duration_seconds_bucket)");
  ASSERT_EQ(buckets.size(), 13u) << text;
  EXPECT_EQ(buckets[4], R"(frame_end_to_end_duration_seconds_bucket{camera_id="cam1",le="0.1"} 0)");
  EXPECT_EQ(buckets[5], R"(frame_end_to_end_duration_seconds_bucket{camera_id="cam1",le="0.2"} 1)");
  EXPECT_EQ(buckets[10], R"(frame_end_to_end_duration_seconds_bucket{camera_id="cam1",le="10"} 1)");
  EXPECT_EQ(buckets[11], R"(frame_end_to_end_duration_seconds_bucket{camera_id="cam1",le="30"} 2)");
  EXPECT_EQ(buckets[12], R"(frame_end_to_end_duration_seconds_bucket{camera_id="cam1",le="+Inf"} 2)");
}

TEST(MessagingMetrics, SentFailedConsumedAndLag) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  MessagingMetrics messaging(exposer->registry());
  prometheus::Counter& sent = messaging.sent("redis", "frames:metadata");
  EXPECT_EQ(&sent, &messaging.sent("redis", "frames:metadata", ""));
  sent.Increment();
  sent.Increment();
  messaging.sent("redis", "frames:metadata", "unavailable").Increment();
  messaging.consumed("redis", "frames:metadata", "frame-buffer").Increment(5);
  messaging.consumer_lag("rabbitmq", "frames:results", "metadata-storage").Set(42);
  const std::string text = scrape(*exposer);
  EXPECT_EQ(sorted_lines_of(text, "messaging_client_sent_messages_total{"),
            (std::vector<std::string>{
                R"(messaging_client_sent_messages_total{error_type="",messaging_destination_name="frames:metadata",messaging_system="redis"} 2)",
                R"(messaging_client_sent_messages_total{error_type="unavailable",messaging_destination_name="frames:metadata",messaging_system="redis"} 1)",
            }))
      << text;
  EXPECT_EQ(lines_of(text, "messaging_client_consumed_messages_total{"),
            (std::vector<std::string>{
                R"(messaging_client_consumed_messages_total{messaging_consumer_group_name="frame-buffer",messaging_destination_name="frames:metadata",messaging_system="redis"} 5)"}))
      << text;
  EXPECT_EQ(lines_of(text, "frame_queue_consumer_lag_messages{"),
            (std::vector<std::string>{
                R"(frame_queue_consumer_lag_messages{messaging_consumer_group_name="metadata-storage",messaging_destination_name="frames:results",messaging_system="rabbitmq"} 42)"}))
      << text;
}

TEST(TracerStatsCollector, ReadsTheStatsAtEachScrape) {
  auto exposer = start_exposer();
  ASSERT_NE(exposer, nullptr);
  TracingStats stats;
  stats.spans_started = 10;
  stats.spans_exported = 7;
  stats.dropped_queue_full = 2;
  stats.dropped_shutdown = 1;
  stats.export_failures = 3;
  stats.queue_size = 5;
  stats.queue_capacity = 2048;
  exposer->add(std::make_shared<TracerStatsCollector>([&stats] { return stats; }));
  const std::string first = scrape(*exposer);
  EXPECT_EQ(lines_of(first, "frame_tracking_tracer_"),
            (std::vector<std::string>{
                "frame_tracking_tracer_spans_started_total 10",
                "frame_tracking_tracer_spans_exported_total 7",
                R"(frame_tracking_tracer_spans_dropped_total{reason="queue_full"} 2)",
                R"(frame_tracking_tracer_spans_dropped_total{reason="export_failed"} 0)",
                R"(frame_tracking_tracer_spans_dropped_total{reason="pool_exhausted"} 0)",
                R"(frame_tracking_tracer_spans_dropped_total{reason="shutdown"} 1)",
                "frame_tracking_tracer_export_failures_total 3",
                "frame_tracking_tracer_queue_size 5",
                "frame_tracking_tracer_queue_capacity 2048",
            }))
      << first;
  stats.spans_started = 11;
  const std::string second = scrape(*exposer);
  EXPECT_EQ(lines_of(second, "frame_tracking_tracer_spans_started_total"),
            (std::vector<std::string>{"frame_tracking_tracer_spans_started_total 11"}));
}

}  // namespace
}  // namespace frame_tracking::metrics
