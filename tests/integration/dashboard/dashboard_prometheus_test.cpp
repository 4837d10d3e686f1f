// SPDX-License-Identifier: Apache-2.0
// The dashboard against real data: a real Prometheus (fixture) scrapes the running reference pipeline and the
// service; every PromQL expression of dashboards/frame-tracking.json returns data, every Jaeger query is answered
// by the service, and the alert rules are loaded.
#include "dashboard_model.hpp"
#include "otlp/http_get.hpp"
#include "pipeline/child_process.hpp"
#include "pipeline/pipeline_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace frame_tracking::dashboard {
namespace {

namespace fs = std::filesystem;
using cli::http_get;
using pipeline::ChildProcess;
using pipeline::PipelineRun;

constexpr const char* kCamera = "cam-dashboard";
/// The stage variable at its default, All (allValue ".*").
constexpr const char* kStage = ".*";

int fixture_port(const std::string& name) {
  std::ifstream file(fs::path(FT_FIXTURE_DIR) / (name + ".port"));
  int port = 0;
  file >> port;
  return port;
}

/// RFC 3986 percent-encoding of a query parameter value (unreserved characters stay).
std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// Writes a file_sd target file for `job` into the Prometheus fixture's target folder (atomically, by rename).
void write_targets(const std::string& job, const std::vector<std::string>& targets) {
  const fs::path dir = fs::path(FT_FIXTURE_DIR) / "prometheus" / "targets" / job;
  json file = json::array({json{{"targets", targets}, {"labels", json::object()}}});
  const fs::path tmp = dir / "dashboard-test.json.tmp";
  std::ofstream(tmp) << file.dump();
  fs::rename(tmp, dir / "dashboard-test.json");
}

void remove_targets() {
  std::error_code ignored;
  for (const char* job : {"frame-tracking-pipeline", "frame-tracking-service"})
    fs::remove(fs::path(FT_FIXTURE_DIR) / "prometheus" / "targets" / job / "dashboard-test.json", ignored);
}

/// The port of the "metrics listening on HOST:PORT" line `child` logs at start (0 after 20 s or when it died).
int wait_for_metrics_port(ChildProcess& child) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && child.running()) {
    std::ifstream log(child.log_file());
    for (std::string line; std::getline(log, line);) {
      const std::size_t at = line.find("metrics listening on ");
      const std::size_t colon = line.rfind(':');
      if (at != std::string::npos && colon != std::string::npos && colon > at) return std::atoi(line.c_str() + colon + 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

class PrometheusApi {
 public:
  explicit PrometheusApi(int port) : base_("http://127.0.0.1:" + std::to_string(port)) {}

  /// GET /api/v1/query; the parsed body (discarded on transport errors) and the request's wall time.
  std::pair<json, std::chrono::microseconds> query(const std::string& promql) const {
    const auto response = http_get(base_ + "/api/v1/query?query=" + url_encode(promql));
    return {json::parse(response.body, nullptr, false), response.elapsed};
  }
  json get(const std::string& path) const { return json::parse(http_get(base_ + path).body, nullptr, false); }

 private:
  std::string base_;
};

/// The number of `job` targets whose last scrape succeeded.
std::size_t targets_up(const PrometheusApi& prometheus, const std::string& job) {
  const auto [body, elapsed] = prometheus.query("up{job=\"" + job + "\"} == 1");
  if (!body.is_object() || body.value("status", "") != "success") return 0;
  return body["data"]["result"].size();
}

class DashboardPrometheusTest : public ::testing::Test {
 protected:
  void TearDown() override { remove_targets(); }
};

TEST_F(DashboardPrometheusTest, EveryDashboardQueryReturnsDataFromARunningPipeline) {
  const int prometheus_port = fixture_port("prometheus");
  const int redis_port = fixture_port("redis");
  ASSERT_GT(prometheus_port, 0) << "the prometheus fixture wrote no port to " << FT_FIXTURE_DIR;
  ASSERT_GT(redis_port, 0) << "the redis fixture wrote no port to " << FT_FIXTURE_DIR;
  const PrometheusApi prometheus(prometheus_port);
  const json dashboard = load_dashboard(std::string(FT_SOURCE_DIR) + "/dashboards/frame-tracking.json");
  ASSERT_TRUE(dashboard.is_object());

  // Redis database 8 is this test's: leftovers of an earlier run would be consumed as new frames.
  const std::string flush = "redis-cli -h 127.0.0.1 -p " + std::to_string(redis_port) + " -n 8 FLUSHDB >/dev/null";
  ASSERT_EQ(std::system(flush.c_str()), 0) << flush;

  const fs::path work = fs::path(FT_BINARY_DIR) / "dashboard-prometheus";
  fs::remove_all(work);
  fs::create_directories(work);
  auto started = PipelineRun::start_service(FT_CLI, work.string());
  ASSERT_TRUE(started) << started.error().message;
  PipelineRun& run = **started;

  // The reference pipeline, each process serving /metrics on a free port (--metrics-port auto). The clip loops
  // at its real rate (25 fps) so counters keep moving while Prometheus scrapes; key frames match no route and
  // are dropped (no_route), so the drop series exist too. Consumers start first, the capture last.
  const std::string broker = "redis://127.0.0.1:" + std::to_string(redis_port) + "/8";
  const fs::path ids_file = work / "frame-ids.txt";
  const std::vector<std::pair<std::string, std::vector<std::string>>> processes{
      {"metadata-storage", {"pipeline", "metadata-storage", "--out", (work / "frames").string()}},
      {"frame-processor-motion", {"pipeline", "frame-processor", "--name", "motion"}},
      {"frame-buffer", {"pipeline", "frame-buffer", "--route", "motion=key_frame:false"}},
      {"rtsp-capture", {"pipeline", "rtsp-capture", "--input", FT_TEST_CLIP, "--camera-id", kCamera, "--frames", "100000",
                        "--fps", "25", "--loop", "--ids-file", ids_file.string()}},
  };
  std::vector<ChildProcess> children;
  for (const auto& [name, args] : processes) {
    std::vector<std::string> argv{FT_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& extra : {std::string("--broker"), broker, std::string("--otlp-endpoint"), run.otlp_url(),
                                     std::string("--metrics-port"), std::string("auto")})
      argv.push_back(extra);
    auto child = ChildProcess::spawn({.name = name, .argv = argv, .log_file = (work / "logs" / (name + ".log")).string(),
                                      .environment = {}});
    ASSERT_TRUE(child) << name << ": " << child.error().message;
    children.push_back(std::move(*child));
  }
  std::vector<std::string> pipeline_targets;
  for (auto& child : children) {
    const int port = wait_for_metrics_port(child);
    ASSERT_GT(port, 0) << child.name() << " logged no metrics port; " << child.describe() << "\n"
                       << pipeline::log_tail(child.log_file());
    pipeline_targets.push_back("127.0.0.1:" + std::to_string(port));
  }
  write_targets("frame-tracking-pipeline", pipeline_targets);
  write_targets("frame-tracking-service", {"127.0.0.1:" + std::to_string(run.admin_port())});

  // Wait until every target is scraped and stored frames have been seen in a few scrapes (rates need two samples).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t scrapes_with_frames = 0;
  while (scrapes_with_frames < 5) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "Prometheus did not scrape the pipeline within 60 s: pipeline targets up " << targets_up(prometheus, "frame-tracking-pipeline")
        << "/4, service up " << targets_up(prometheus, "frame-tracking-service") << "/1";
    const auto [body, elapsed] =
        prometheus.query("count_over_time(frames_total{stage=\"store\", outcome=\"processed\"}[1m]) and on() "
                         "(count(up{job=\"frame-tracking-pipeline\"} == 1) == 4) and on() (count(up{job=\"frame-tracking-service\"} == 1) == 1)");
    scrapes_with_frames = 0;
    if (body.is_object() && !body["data"]["result"].empty())
      scrapes_with_frames = std::stoul(body["data"]["result"][0]["value"][1].get<std::string>());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }

  // Every PromQL expression of the dashboard, variables substituted as Grafana would.
  const std::map<std::string, std::string> values{{"camera", kCamera}, {"stage", kStage}, {"__rate_interval", "1m"},
                                                  {"__interval", "15s"}};
  std::size_t queried = 0;
  std::chrono::microseconds slowest{0}, total{0};
  std::string slowest_expr;
  for (const Target& t : all_targets(dashboard)) {
    if (t.datasource.value("type", "") != "prometheus") continue;
    const std::string expr = substitute(t.target->value("expr", ""), values);
    const auto [body, elapsed] = prometheus.query(expr);
    ++queried;
    total += elapsed;
    if (elapsed > slowest) slowest = elapsed, slowest_expr = expr;
    ASSERT_TRUE(body.is_object()) << expr;
    EXPECT_EQ(body.value("status", ""), "success") << t.panel_title << ": " << expr << "\n" << body.dump();
    EXPECT_EQ(body["data"].value("resultType", ""), "vector") << expr;
    EXPECT_FALSE(body["data"]["result"].empty()) << "panel " << t.panel_id << " \"" << t.panel_title << "\" "
                                                  << t.target->value("refId", "") << ": no data for\n  " << expr;
    std::set<std::string> stages;
    for (const auto& series : body["data"]["result"]) {
      const json& labels = series["metric"];
      if (labels.contains("camera_id")) {
        EXPECT_EQ(labels["camera_id"], kCamera) << expr;
      }
      if (labels.contains("stage")) stages.insert(labels["stage"].get<std::string>());
    }
    if (t.panel_title == "Throughput by camera") {
      // Every stage of the reference pipeline passes frames on (docs/metrics.md).
      const std::set<std::string> all_stages{"capture", "decode", "route", "process", "detect", "storage", "store"};
      EXPECT_EQ(stages, all_stages) << expr;
    }
  }
  EXPECT_EQ(queried, 23U);
  std::printf("dashboard queries: %zu, total %.1f ms, mean %.2f ms, slowest %.2f ms: %s\n", queried, total.count() / 1000.0,
              total.count() / 1000.0 / static_cast<double>(std::max<std::size_t>(queried, 1)), slowest.count() / 1000.0,
              slowest_expr.c_str());

  // The query variables list the camera and the stage (label_values → /api/v1/label/<label>/values?match[]=).
  const json cameras = prometheus.get("/api/v1/label/camera_id/values?match[]=" + url_encode("frames_total"));
  EXPECT_NE(std::find(cameras["data"].begin(), cameras["data"].end(), kCamera), cameras["data"].end()) << cameras.dump();
  const json stages = prometheus.get("/api/v1/label/stage/values?match[]=" + url_encode("frame_processing_duration_seconds_count"));
  EXPECT_EQ(stages["data"], json({"capture", "decode", "detect", "process", "route", "storage", "store"})) << stages.dump();

  // The Jaeger queries, sent as Grafana's Jaeger data source sends them, answered by the service.
  std::vector<std::string> ids;
  {
    std::ifstream file(ids_file);
    for (std::string id; std::getline(file, id);) ids.push_back(id);
  }
  ASSERT_FALSE(ids.empty()) << ids_file;
  for (const Target& t : all_targets(dashboard)) {
    if (t.datasource.value("type", "") != "jaeger") continue;
    const json& q = *t.target;
    std::string path;
    if (q.value("queryType", "") == "search") {
      path = "/api/traces?service=" + url_encode(substitute(q.value("service", ""), {{"trace_service", "frame-processor"}})) +
             "&minDuration=" + url_encode(substitute(q.value("minDuration", ""), {{"min_duration", "1us"}})) +
             "&limit=" + std::to_string(q.value("limit", 0));
    } else {
      path = "/api/traces/" + url_encode(substitute(q.value("query", ""), {{"frame_id", ids.front()}}));
    }
    // Spans reach the service in batches (up to OTEL_BSP_SCHEDULE_DELAY after they end): ask until they are in.
    cli::HttpResponse response;
    for (int attempt = 0; attempt < 150; ++attempt) {
      response = http_get(run.query_url() + path);
      const json body = json::parse(response.body, nullptr, false);
      if (response.status == 200 && body.is_object() && !body["data"].empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(response.status, 200) << path << "\n" << response.body;
    const json body = json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << path;
    EXPECT_FALSE(body["data"].empty()) << path << "\n" << response.body;
    if (q.value("queryType", "") != "search") {
      std::string hex = ids.front();
      hex.erase(std::remove(hex.begin(), hex.end(), '-'), hex.end());
      EXPECT_EQ(body["data"][0]["traceID"], hex) << "a FrameId is its trace id";
    }
  }

  // Prometheus loaded and evaluates the alert rules of deploy/prometheus/alerts.yml.
  std::vector<std::string> alerts;
  for (int attempt = 0; attempt < 50; ++attempt) {
    alerts.clear();
    const json rules = prometheus.get("/api/v1/rules?type=alert");
    for (const auto& group : rules["data"]["groups"])
      for (const auto& rule : group["rules"]) alerts.push_back(rule["name"].get<std::string>() + " " + rule["health"].get<std::string>());
    if (std::none_of(alerts.begin(), alerts.end(), [](const std::string& a) { return a.ends_with(" unknown"); })) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::vector<std::string> expected{"FrameLossHigh ok", "EndToEndLatencyHigh ok", "QueueBacklogHigh ok",
                                          "TracingDroppingSpans ok", "PipelineProcessDown ok"};
  EXPECT_EQ(alerts, expected);

  // SIGTERM, capture first; every process flushes and exits 0.
  for (auto it = children.rbegin(); it != children.rend(); ++it) {
    EXPECT_TRUE(it->stop(std::chrono::seconds(15))) << it->name();
    EXPECT_TRUE(it->succeeded()) << it->name() << " " << it->describe() << "\n" << pipeline::log_tail(it->log_file());
  }
  run.stop_all();
}

}  // namespace
}  // namespace frame_tracking::dashboard
