// SPDX-License-Identifier: Apache-2.0
// End-to-end: the pipeline's processes started with --metrics-port auto; each /metrics, scraped over HTTP, counts
// exactly the frames the processes' stats files count (every frame, processed or dropped by reason).
#include "otlp/http_get.hpp"
#include "pipeline/child_process.hpp"
#include "pipeline/pipeline_run.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace frame_tracking::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kFrames = 40;

int port_of(const std::string& name) {
  std::ifstream file(fs::path(FT_FIXTURE_DIR) / (name + ".port"));
  int port = 0;
  file >> port;
  return port;
}

/// The value of the sample whose line starts with `series` + ' ' (exact name and labels), or -1.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  return -1;
}

/// A stats file's counter.
std::uint64_t stat(const std::string& work, const std::string& process, const std::string& section, const std::string& name) {
  std::ifstream file(fs::path(work) / "stats" / (process + ".json"));
  const nlohmann::json stats = nlohmann::json::parse(file, nullptr, false);
  if (!stats.is_object() || !stats.contains(section) || !stats[section].is_object()) return 0;
  return stats[section].value(name, std::uint64_t{0});
}

TEST(PipelineE2E, RedisMetricsCountEveryFrame) {
  const int rtsp_port = port_of("rtsp");
  const int redis_port = port_of("redis");
  ASSERT_GT(rtsp_port, 0);
  ASSERT_GT(redis_port, 0);
  const fs::path work = fs::path(FT_BINARY_DIR) / "e2e-pipeline" / "metrics";
  fs::remove_all(work);
  fs::create_directories(work);
  // Database 8 keeps these streams apart from the other tests using the same server.
  auto flush = ChildProcess::spawn({.name = "redis-cli",
                                    .argv = {"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(redis_port), "-n", "8", "FLUSHDB"},
                                    .log_file = (work / "flush.log").string(),
                                    .environment = {}});
  ASSERT_TRUE(flush) << flush.error().message;
  flush->wait_for(std::chrono::seconds(10));
  ASSERT_TRUE(flush->succeeded());

  auto started = PipelineRun::start_service(FT_CLI, work.string());
  ASSERT_TRUE(started) << started.error().message;
  PipelineRun& run = **started;
  PipelineSpec spec;
  spec.input = "rtsp://127.0.0.1:" + std::to_string(rtsp_port) + "/stream";
  spec.camera_id = "cam-metrics";
  spec.frames = kFrames;
  spec.fps = 0;
  spec.loop = false;
  spec.broker_url = "redis://127.0.0.1:" + std::to_string(redis_port) + "/8";
  spec.routes = {"thumbnail=key_frame:true"};  // every other frame is dropped in frame-buffer (no_route)
  spec.processors = {"thumbnail"};
  spec.metrics = true;
  ASSERT_FALSE(run.start_pipeline(spec));
  // rtsp-capture exits once its frames are sent, so it is scraped while it runs (its last scrape may
  // precede its last frames); the consumers keep running and are scraped at the end, exactly.
  std::string capture;
  const auto scrape_capture = [&](const PipelineProgress&) {
    for (const auto& [name, port] : run.metrics_ports()) {
      if (name != "rtsp-capture") continue;
      const cli::HttpResponse response = cli::http_get("http://127.0.0.1:" + std::to_string(port) + "/metrics");
      if (response.status == 200) capture = response.body;
    }
  };
  const auto waited = run.wait_until_done(scrape_capture, nullptr, std::chrono::seconds(60));
  ASSERT_FALSE(waited) << *waited;

  std::map<std::string, std::string> scraped;
  for (const auto& [name, port] : run.metrics_ports()) {
    if (name == "rtsp-capture") continue;
    const cli::HttpResponse response = cli::http_get("http://127.0.0.1:" + std::to_string(port) + "/metrics");
    ASSERT_EQ(response.status, 200) << name << ": " << response.error;
    scraped[name] = response.body;
  }
  ASSERT_EQ(scraped.size(), 3u) << "frame-buffer, frame-processor-thumbnail, metadata-storage";
  const std::string w = work.string();
  const std::string cam = R"(camera_id="cam-metrics")";
  const auto frames = [&](const std::string& process, const std::string& stage, const std::string& outcome) {
    return sample(scraped[process], "frames_total{" + cam + ",outcome=\"" + outcome + "\",stage=\"" + stage + "\"}");
  };

  // Capture (scraped while running): the families are there and never count more than was captured.
  ASSERT_FALSE(capture.empty()) << "rtsp-capture's /metrics was never reachable";
  EXPECT_EQ(stat(w, "rtsp-capture", "counters", "captured"), kFrames);
  const double sent = static_cast<double>(stat(w, "rtsp-capture", "counters", "sent"));
  const auto capture_frames = [&](const std::string& outcome) {
    return std::max(0.0, sample(capture, "frames_total{" + cam + ",outcome=\"" + outcome + "\",stage=\"capture\"}"));
  };
  EXPECT_LE(capture_frames("processed") + capture_frames("dropped"), static_cast<double>(kFrames)) << capture;
  EXPECT_LE(sample(capture, R"(messaging_client_sent_messages_total{error_type="",messaging_destination_name="frames:metadata",messaging_system="redis"})"),
            sent);
  EXPECT_NE(capture.find("# TYPE frame_processing_duration_seconds histogram"), std::string::npos) << capture;
  EXPECT_EQ(sample(capture, "frame_tracking_tracer_queue_capacity"), 2048) << capture;

  // frame-buffer: key frames routed, the rest dropped as no_route — both counted, and each message consumed once.
  const std::string& buffer = scraped["frame-buffer"];
  const double forwarded = static_cast<double>(stat(w, "frame-buffer", "counters", "forwarded"));
  const double no_route = static_cast<double>(stat(w, "frame-buffer", "dropped", "no_route"));
  EXPECT_GT(forwarded, 0);
  EXPECT_GT(no_route, 0);
  EXPECT_EQ(frames("frame-buffer", "route", "processed"), forwarded);
  EXPECT_EQ(frames("frame-buffer", "route", "dropped"), no_route);
  EXPECT_EQ(sample(buffer, "frames_dropped_total{" + cam + R"(,reason="no_route",stage="route"})"), no_route);
  EXPECT_EQ(forwarded + no_route, sent);
  EXPECT_EQ(sample(buffer, R"(messaging_client_consumed_messages_total{messaging_consumer_group_name="frame-buffer",messaging_destination_name="frames:metadata",messaging_system="redis"})"),
            sent);
  EXPECT_EQ(sample(buffer, R"(messaging_client_sent_messages_total{error_type="",messaging_destination_name="frames:ready:thumbnail",messaging_system="redis"})"),
            forwarded);
  EXPECT_GE(sample(buffer, R"(frame_queue_consumer_lag_messages{messaging_consumer_group_name="frame-buffer",messaging_destination_name="frames:metadata",messaging_system="redis"})"),
            0);

  // frame-processor and storage: every routed frame processed, detected and stored, end to end observed.
  const double stored = static_cast<double>(stat(w, "metadata-storage", "counters", "stored"));
  EXPECT_EQ(stored, forwarded);
  EXPECT_EQ(frames("frame-processor-thumbnail", "process", "processed"), forwarded);
  EXPECT_EQ(frames("frame-processor-thumbnail", "detect", "processed"), forwarded);
  EXPECT_EQ(frames("metadata-storage", "storage", "processed"), stored);
  EXPECT_EQ(frames("metadata-storage", "store", "processed"), stored);
  EXPECT_EQ(sample(scraped["metadata-storage"], "frame_end_to_end_duration_seconds_count{" + cam + "}"), stored);
  EXPECT_EQ(sample(scraped["metadata-storage"], "frame_processing_duration_seconds_count{" + cam + ",stage=\"storage\"}"),
            stored);
  EXPECT_EQ(run.stop_pipeline(), std::vector<std::string>{});
  run.stop_all();
}

}  // namespace
}  // namespace frame_tracking::pipeline
