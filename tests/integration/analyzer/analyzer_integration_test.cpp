// SPDX-License-Identifier: Apache-2.0
// Integration tests of `journey` and `analyze`: eight frames' traces with known defects (complete, missing
// stage, orphan, two roots, clock skew, error, drop, missing frame.id) are written over OTLP into a real
// service on free loopback ports; the analyzer must report exactly those defects and nothing else, both as
// a library call and through the frame-tracking binary. Then the query tools (journey, analyze, search)
// against a real `frame-tracking serve --auth-token-file`: without the token a clear 401, with it the answer.
#include "../service/serve_process.hpp"

#include "frame_tracking/store/service.hpp"
#include "jaeger/analysis_report.hpp"
#include "jaeger/analyzer.hpp"

#include "../../unit/store/otlp_builders.hpp"
#include "../../unit/store/test_service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace frame_tracking::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kInternal = 1, kProducer = 4, kConsumer = 5;

std::string trace_hex(int frame) {
  char text[40];
  std::snprintf(text, sizeof text, "0190a1b2c3d47e5f8a9b0c1d2e3f40%02d", frame);
  return text;
}
std::string frame_text(int frame) {
  char text[40];
  std::snprintf(text, sizeof text, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f40%02d", frame);
  return text;
}
std::string span_hex(int frame, int span) {
  char text[20];
  std::snprintf(text, sizeof text, "%02x%014x", frame, span);
  return text;
}

/// One span of the reference route, times in µs after the frame's start.
struct RouteSpan {
  int id;
  int parent;  // 0 = root; -1 = a parent id that never arrives
  const char* service;
  const char* name;
  int kind;
  std::int64_t start_us, end_us;
};

/// The complete route: capture (host edge-1) → processor (host gpu-1) → storage (no host.name).
std::vector<RouteSpan> route() {
  return {{1, 0, "rtsp-capture", "capture_frame", kInternal, 0, 1000},
          {2, 1, "rtsp-capture", "decode_frame", kInternal, 100, 400},
          {3, 1, "rtsp-capture", "send frames:ready", kProducer, 500, 600},
          {4, 3, "frame-processor", "process frames:ready", kConsumer, 1500, 4500},
          {5, 4, "frame-processor", "detect", kInternal, 1600, 3600},
          {6, 4, "frame-processor", "send frames:results", kProducer, 3700, 3800},
          {7, 6, "metadata-storage", "process frames:results", kConsumer, 5000, 6000},
          {8, 7, "metadata-storage", "store_frame", kInternal, 5100, 5900}};
}

RouteSpan& span_of(std::vector<RouteSpan>& spans, int id) {
  for (auto& span : spans)
    if (span.id == id) return span;
  throw std::logic_error("no span " + std::to_string(id));
}

void remove_span(std::vector<RouteSpan>& spans, int id) {
  std::erase_if(spans, [id](const RouteSpan& s) { return s.id == id; });
}

/// Writes frames 1..8, each with its known defect, as one OTLP/protobuf request per service.
void write_frames(int otlp_port, std::int64_t base_ns) {
  otlp_collector::ExportTraceServiceRequest request;
  std::map<std::string, otlp_trace::ScopeSpans*> scopes;
  for (const char* service : {"rtsp-capture", "frame-processor", "metadata-storage"}) {
    auto* resource_spans = request.add_resource_spans();
    auto* attributes = resource_spans->mutable_resource()->mutable_attributes();
    add_string_attribute(attributes, "service.name", service);
    if (std::string(service) == "rtsp-capture") add_string_attribute(attributes, "host.name", "edge-1");
    if (std::string(service) == "frame-processor") add_string_attribute(attributes, "host.name", "gpu-1");
    auto* scope = resource_spans->add_scope_spans();
    scope->mutable_scope()->set_name("analyzer-test");
    scopes[service] = scope;
  }
  for (int frame = 1; frame <= 8; ++frame) {
    std::vector<RouteSpan> spans = route();
    if (frame == 2) remove_span(spans, 8);  // missing stage: store_frame never recorded
    if (frame == 3) remove_span(spans, 6);  // orphan: the processor's send span is lost
    if (frame == 4) span_of(spans, 7).parent = 0;  // two roots: storage starts a root span in the frame's trace
    if (frame == 5) {  // the processor host's clock is 1.2 ms behind
      span_of(spans, 4) = {4, 3, "frame-processor", "process frames:ready", kConsumer, 300, 3300};
      span_of(spans, 5) = {5, 4, "frame-processor", "detect", kInternal, 400, 2400};
      span_of(spans, 6) = {6, 4, "frame-processor", "send frames:results", kProducer, 2500, 2600};
    }
    if (frame == 6) {  // a slow, failed detect
      span_of(spans, 4).end_us = 14500;
      span_of(spans, 5).end_us = 13600;
      span_of(spans, 6) = {6, 4, "frame-processor", "send frames:results", kProducer, 13700, 13800};
      span_of(spans, 7) = {7, 6, "metadata-storage", "process frames:results", kConsumer, 15000, 16000};
      span_of(spans, 8) = {8, 7, "metadata-storage", "store_frame", kInternal, 15100, 15900};
    }
    if (frame == 7) {  // dropped by the processor: its consumer span ends the journey
      for (int id : {5, 6, 7, 8}) remove_span(spans, id);
      span_of(spans, 4).end_us = 1700;
    }
    const std::int64_t frame_ns = base_ns + static_cast<std::int64_t>(frame) * 100'000'000;
    for (const RouteSpan& s : spans) {
      const std::string parent = s.parent == 0 ? "" : span_hex(frame, s.parent > 0 ? s.parent : 0x99);
      auto* span = add_span(scopes[s.service], trace_hex(frame), span_hex(frame, s.id), parent, s.name, s.kind,
                            static_cast<std::uint64_t>(frame_ns + s.start_us * 1000), static_cast<std::uint64_t>(frame_ns + s.end_us * 1000));
      if (!(frame == 8 && s.id == 2)) add_string_attribute(span->mutable_attributes(), "frame.id", frame_text(frame));
      if (frame == 6 && s.id == 5) {
        span->mutable_status()->set_code(otlp_trace::Status::STATUS_CODE_ERROR);
        span->mutable_status()->set_message("model timeout");
      }
      if (frame == 7 && s.id == 4) {
        auto* event = span->add_events();
        event->set_name("frame.dropped");
        event->set_time_unix_nano(static_cast<std::uint64_t>(frame_ns + 1600 * 1000));
        add_string_attribute(event->mutable_attributes(), "frame.drop_reason", "queue_full");
        span->mutable_status()->set_code(otlp_trace::Status::STATUS_CODE_ERROR);
        span->mutable_status()->set_message("frame dropped: queue_full");
      }
    }
  }
  httplib::Client otlp("127.0.0.1", otlp_port);
  auto reply = otlp.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
}

/// What the analyzer must report for frames 1..8 (analyze --slowest 3): nothing more, nothing less.
std::string expected_report(const std::string& tracer_dropped = "null") {
  std::string text = R"({
  "expect": ["capture_frame", "decode_frame", "send", "process", "detect", "store_frame"],
  "frames": {"total": 8, "complete": 6, "dropped": 1, "incomplete": 1, "coverage_percent": 85.714},
  "spans": 58,
  "incomplete": {"count": 1, "frames": [{"trace_id": "T2", "frame_id": "F2", "missing": ["store_frame"]}]},
  "orphans": {"count": 1, "spans": [{"trace_id": "T3", "frame_id": "F3", "span_id": "0300000000000007",
              "name": "process frames:results", "service": "metadata-storage", "parent_id": "0300000000000006"}]},
  "multi_root": {"count": 1, "traces": [{"trace_id": "T4", "frame_id": "F4", "roots": ["capture_frame", "process frames:results"]}]},
  "clock_skew": {"count": 1,
                 "host_pairs": [{"parent_host": "edge-1", "child_host": "gpu-1", "spans": 1, "max_skew_us": 200}],
                 "spans": [{"trace_id": "T5", "frame_id": "F5", "span_id": "0500000000000004", "name": "process frames:ready",
                            "parent_name": "send frames:ready", "parent_host": "edge-1", "child_host": "gpu-1",
                            "kind": "starts_before_parent", "skew_us": 200}]},
  "missing_frame_id": {"count": 1, "spans": [{"trace_id": "T8", "frame_id": "F8", "span_id": "0800000000000002",
                       "name": "decode_frame", "service": "rtsp-capture"}]},
  "stages": [
    {"stage": "capture_frame", "count": 8, "p50_ms": 1.0, "p95_ms": 1.0, "p99_ms": 1.0},
    {"stage": "decode_frame", "count": 8, "p50_ms": 0.3, "p95_ms": 0.3, "p99_ms": 0.3},
    {"stage": "send", "count": 14, "p50_ms": 0.1, "p95_ms": 0.1, "p99_ms": 0.1},
    {"stage": "process", "count": 15, "p50_ms": 1.0, "p95_ms": 13.0, "p99_ms": 13.0},
    {"stage": "detect", "count": 7, "p50_ms": 2.0, "p95_ms": 12.0, "p99_ms": 12.0},
    {"stage": "store_frame", "count": 6, "p50_ms": 0.8, "p95_ms": 0.8, "p99_ms": 0.8},
    {"stage": "end to end", "count": 8, "p50_ms": 6.0, "p95_ms": 16.0, "p99_ms": 16.0}],
  "slowest": [
    {"trace_id": "T6", "frame_id": "F6", "duration_us": 16000, "slowest_stage": "detect", "slowest_stage_self_us": 12000},
    {"trace_id": "T1", "frame_id": "F1", "duration_us": 6000, "slowest_stage": "detect", "slowest_stage_self_us": 2000},
    {"trace_id": "T2", "frame_id": "F2", "duration_us": 6000, "slowest_stage": "detect", "slowest_stage_self_us": 2000}],
  "errors": {"frames": 1, "spans": [{"trace_id": "T6", "frame_id": "F6", "span_id": "0600000000000005", "name": "detect",
             "service": "frame-processor", "message": "model timeout"}]},
  "drops": {"frames": 1, "by_reason": {"queue_full": 1}, "spans": [{"trace_id": "T7", "frame_id": "F7",
            "span_id": "0700000000000004", "name": "process frames:ready", "service": "frame-processor", "reason": "queue_full"}]},
  "tracer_spans_dropped": TRACER,
  "warnings": []
})";
  for (int frame = 1; frame <= 8; ++frame) {
    for (auto [placeholder, value] : {std::pair{"\"T" + std::to_string(frame) + "\"", "\"" + trace_hex(frame) + "\""},
                                      std::pair{"\"F" + std::to_string(frame) + "\"", "\"" + frame_text(frame) + "\""}})
      for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) text.replace(at, placeholder.size(), value);
  }
  text.replace(text.find("TRACER"), 6, tracer_dropped);
  return ordered_json::parse(text).dump(2);
}

/// The exit status and output of the frame-tracking binary run with `args`.
struct CliRun {
  int status = -1;
  std::string out, err;
};

CliRun run_cli(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<std::string> argv_text{FT_BINARY_DIR "/apps/frame-tracking/frame-tracking"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out_path = (dir / "stdout").string(), err_path = (dir / "stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CliRun run;
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return run;
  int status = 0;
  waitpid(pid, &status, 0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  return run;
}

class AnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fresh_test_dir("analyzer");
    std::filesystem::create_directories(dir_);
    auto service = store::Service::start(loopback_service_options(dir_));
    ASSERT_TRUE(service.has_value()) << service.error().message;
    service_ = service->release();
    // Ten minutes ago, on a whole millisecond: inside analyze's default --since 1h.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    write_frames(service_->otlp_port(), (now_ms - 600'000) * 1'000'000);
    api_ = "http://127.0.0.1:" + std::to_string(service_->query_port());
    // A tracer's /metrics as a pipeline process serves it (text format 0.0.4).
    metrics_.Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("# TYPE frame_tracking_tracer_spans_dropped_total counter\n"
                      "frame_tracking_tracer_spans_dropped_total{reason=\"export_failed\"} 1\n"
                      "frame_tracking_tracer_spans_dropped_total{reason=\"queue_full\"} 2\n"
                      "frame_tracking_tracer_spans_started_total 60\n",
                      "text/plain; version=0.0.4");
    });
    metrics_port_ = metrics_.bind_to_any_port("127.0.0.1");
    // The socket listens from bind on: requests queue until the accept loop runs.
    metrics_thread_ = std::thread([] { metrics_.listen_after_bind(); });
  }
  static void TearDownTestSuite() {
    metrics_.stop();
    if (metrics_thread_.joinable()) metrics_thread_.join();
    if (service_ != nullptr) service_->stop();
    delete service_;
    service_ = nullptr;
    std::filesystem::remove_all(dir_);
  }

  static jaeger::AnalyzeRequest request() {
    jaeger::AnalyzeRequest request;
    request.analysis.expect = {"capture_frame", "decode_frame", "send", "process", "detect", "store_frame"};
    request.analysis.slowest = 3;
    return request;
  }

  /// The CLI's JSON without the query echo (it holds the time window).
  static std::string without_query(const std::string& out) {
    auto document = ordered_json::parse(out, nullptr, false);
    if (document.is_discarded()) return "not JSON: " + out;
    document.erase("query");
    return document.dump(2);
  }

  static inline std::filesystem::path dir_;
  static inline store::Service* service_ = nullptr;
  static inline std::string api_;
  static inline httplib::Server metrics_;
  static inline int metrics_port_ = 0;
  static inline std::thread metrics_thread_;
};

TEST_F(AnalyzerTest, LibraryReportsExactlyTheKnownDefects) {
  const jaeger::QueryClient client(api_);
  auto analysis = jaeger::analyze(client, request());
  ASSERT_TRUE(analysis.has_value()) << analysis.error().message;
  EXPECT_EQ(jaeger::analysis_json(*analysis).dump(2), expected_report());
}

TEST_F(AnalyzerTest, LibraryReadsTheTracerDropCounters) {
  auto with_metrics = request();
  with_metrics.metrics_url = "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  auto analysis = jaeger::analyze(jaeger::QueryClient(api_), with_metrics);
  ASSERT_TRUE(analysis.has_value()) << analysis.error().message;
  EXPECT_EQ(jaeger::analysis_json(*analysis).dump(2), expected_report(R"({"export_failed": 1.0, "queue_full": 2.0})"));
}

TEST_F(AnalyzerTest, CliJsonIsTheSameReportAndExitsOneBelowMinCoverage) {
  const CliRun run = run_cli({"analyze", "--api", api_, "--slowest", "3", "--json", "--metrics",
                              "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics"}, dir_);
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(without_query(run.out), expected_report(R"({"export_failed": 1.0, "queue_full": 2.0})"));
  EXPECT_EQ(run.err, "frame-tracking analyze: coverage 85.714 % is below --min-coverage 99.900 %\n");
}

TEST_F(AnalyzerTest, CliPassesAtALowerMinCoverageAndPrintsTables) {
  const CliRun run = run_cli({"analyze", "--api", api_, "--min-coverage", "85", "--service", "rtsp-capture"}, dir_);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("frames: 8 (complete 6, dropped 1, incomplete 1), 58 spans\n"
                          "coverage: 85.714 % of the frames not dropped have every stage of "
                          "capture_frame,decode_frame,send,process,detect,store_frame\n", 0), 0U) << run.out;
  EXPECT_NE(run.out.find("\nclock skew (1) by host pair\n  PARENT HOST  CHILD HOST  SPANS  MAX SKEW ms\n  edge-1       gpu-1       1      0.200\n"),
            std::string::npos) << run.out;
  EXPECT_EQ(run.err, "");
}

TEST_F(AnalyzerTest, StandardQueriesFailedAndSlowFrames) {
  // Failed frames: tags {"error":"true"} — the failed detect and the drop (its status is ERROR too).
  CliRun failed = run_cli({"analyze", "--api", api_, "--errors", "--json"}, dir_);
  auto errors = ordered_json::parse(failed.out, nullptr, false);
  ASSERT_FALSE(errors.is_discarded()) << failed.out << failed.err;
  EXPECT_EQ(errors["frames"].dump(), R"({"total":2,"complete":1,"dropped":1,"incomplete":0,"coverage_percent":100.0})");
  EXPECT_EQ(errors["query"]["tags"].dump(), R"({"error":"true"})");
  EXPECT_EQ(failed.status, 0);
  // Slow frames: a span of at least 10 ms — only frame 6.
  CliRun slow = run_cli({"analyze", "--api", api_, "--min-duration", "10ms", "--json", "--slowest", "1"}, dir_);
  auto slow_report = ordered_json::parse(slow.out, nullptr, false);
  ASSERT_FALSE(slow_report.is_discarded()) << slow.out << slow.err;
  EXPECT_EQ(slow_report["frames"]["total"], 1);
  EXPECT_EQ(slow_report["slowest"][0]["trace_id"], trace_hex(6));
  // Library: the same search as a request.
  auto by_tag = request();
  by_tag.search.tags = {{"frame.id", frame_text(3)}};
  auto one = jaeger::analyze(jaeger::QueryClient(api_), by_tag);
  ASSERT_TRUE(one.has_value()) << one.error().message;
  EXPECT_EQ(one->frames, 1U);
  EXPECT_EQ(one->orphan_count, 1U);
}

TEST_F(AnalyzerTest, CliUsageErrorsExitTwo) {
  CliRun bad_since = run_cli({"analyze", "--api", api_, "--since", "yesterday"}, dir_);
  EXPECT_EQ(bad_since.status, 2);
  EXPECT_EQ(bad_since.err, "frame-tracking analyze: --since 'yesterday': expected a positive integer and a unit s, m, h or d (e.g. 1h)\n");
  CliRun bad_duration = run_cli({"analyze", "--api", api_, "--min-duration", "100"}, dir_);
  EXPECT_EQ(bad_duration.status, 2);
  EXPECT_EQ(bad_duration.err,
            "frame-tracking analyze: --min-duration '100': expected a duration like 1s, 250ms, 1.5m or 1h30m (units ns, us, ms, s, m, h)\n");
  EXPECT_EQ(run_cli({"analyze", "--json", "--markdown"}, dir_).status, 2);
  CliRun unreachable = run_cli({"analyze", "--api", "http://127.0.0.1:1"}, dir_);
  EXPECT_EQ(unreachable.status, 1);
  EXPECT_EQ(unreachable.err.rfind("frame-tracking analyze: cannot reach http://127.0.0.1:1/api/services: ", 0), 0U) << unreachable.err;
}

TEST_F(AnalyzerTest, JourneyShowsTheWaterfall) {
  const CliRun run = run_cli({"journey", frame_text(6), "--api", api_, "--width", "100"}, dir_);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "trace " + trace_hex(6) + ": 8 spans, 3 services, 16.000 ms, 1 errors\n"
            "  SERVICE          SPAN                             START ms     DUR ms  TIMELINE\n"
            "* rtsp-capture     capture_frame                       0.000      1.000  |##                       |\n"
            "  rtsp-capture       decode_frame                      0.100      0.300  |=                        |\n"
            "* rtsp-capture       send frames:ready                 0.500      0.100  |#                        |\n"
            "* frame-processor      process frames:ready            1.500     13.000  |  #####################  |\n"
            "  frame-processor        detect                        1.600     12.000  |  ====================   | ERROR: model timeout\n"
            "* frame-processor        send frames:results          13.700      0.100  |                     #   |\n"
            "* metadata-storage         process frames:results     15.000      1.000  |                       ##|\n"
            "* metadata-storage           store_frame              15.100      0.800  |                       ##|\n"
            "* = critical path (from the root, the child that ends last, repeatedly)\n");
}

TEST_F(AnalyzerTest, JourneyJsonShowsTheDrop) {
  const CliRun run = run_cli({"journey", trace_hex(7), "--api", api_, "--json"}, dir_);
  EXPECT_EQ(run.status, 0) << run.err;
  auto document = ordered_json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document["frame_id"], frame_text(7));
  EXPECT_EQ(document["critical_path"].dump(), "[\"" + span_hex(7, 1) + "\",\"" + span_hex(7, 3) + "\",\"" + span_hex(7, 4) + "\"]");
  EXPECT_EQ(document["errors"].dump(), "[]");
  EXPECT_EQ(document["drops"].dump(), R"([{"span_id":")" + span_hex(7, 4) +
                                           R"(","name":"process frames:ready","service":"frame-processor","reason":"queue_full"}])");
  EXPECT_EQ(document["spans"][3]["events"].dump(), R"([{"offset_us":1600,"name":"frame.dropped","fields":{"frame.drop_reason":"queue_full"}}])");
  EXPECT_EQ(document["spans"][3]["host"], "gpu-1");
}

TEST_F(AnalyzerTest, JourneyBadInputAndNotFound) {
  CliRun malformed = run_cli({"journey", "frame-42", "--api", api_}, dir_);
  EXPECT_EQ(malformed.status, 2);
  EXPECT_EQ(malformed.err.rfind("frame-tracking journey: FRAME_ID 'frame-42': expected a FrameId", 0), 0U) << malformed.err;
  CliRun missing = run_cli({"journey", frame_text(9), "--api", api_}, dir_);
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "frame-tracking journey: frame " + frame_text(9) + " not found at " + api_ + "\n");
  EXPECT_EQ(missing.out, "");
}

/// One `frame-tracking serve --auth-token-file` holding one frame's trace (two spans), written with the token.
class AuthTokenTest : public ServeSuite<AuthTokenTest> {
 protected:
  static constexpr const char* kToken = "analyzer-test-token";

  static void SetUpTestSuite() {
    const std::filesystem::path dir = fresh_test_dir("analyzer-auth");
    std::filesystem::create_directories(dir);
    token_file_ = (dir / "token").string();
    wrong_token_file_ = (dir / "wrong-token").string();
    std::ofstream(token_file_) << kToken << "\n";
    std::ofstream(wrong_token_file_) << "not-the-token\n";
    ASSERT_TRUE(start_suite_serve(dir, {"--auth-token-file", token_file_}));
    api_ = "http://127.0.0.1:" + std::to_string(serve_->query_port);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto base = static_cast<std::uint64_t>(now_ms - 600'000) * 1'000'000;
    otlp_collector::ExportTraceServiceRequest request;
    auto* scope = add_scope(request, "rtsp-capture", "analyzer-test");
    auto* root = add_span(scope, trace_hex(1), span_hex(1, 1), "", "capture_frame", kInternal, base, base + 2'000'000);
    add_string_attribute(root->mutable_attributes(), "frame.id", frame_text(1));
    auto* decode = add_span(scope, trace_hex(1), span_hex(1, 2), span_hex(1, 1), "decode_frame", kInternal, base + 500'000, base + 1'250'000);
    add_string_attribute(decode->mutable_attributes(), "frame.id", frame_text(1));
    httplib::Client writer = otlp();
    writer.set_bearer_token_auth(kToken);
    auto reply = writer.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200) << reply->body;
  }

  /// The message of a 401 for `path` under the API: no token sent, or a token refused.
  static std::string unauthorized(const std::string& path, bool token_sent) {
    return api_ + path + " answered 401 (unauthorized): " +
           (token_sent ? "the API refused the bearer token" : "the API requires a bearer token; give --auth-token-file or --auth-token");
  }

  static inline std::string token_file_;
  static inline std::string wrong_token_file_;
  static inline std::string api_;
};

TEST_F(AuthTokenTest, QueryClientSendsTheBearerToken) {
  auto refused = jaeger::QueryClient(api_).trace(trace_hex(1));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, unauthorized("/api/traces/" + trace_hex(1), false));
  auto wrong = jaeger::QueryClient(api_, "not-the-token").services();
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().message, unauthorized("/api/services", true));
  auto found = jaeger::QueryClient(api_, kToken).trace(trace_hex(1));
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->spans.size(), 2U);
}

TEST_F(AuthTokenTest, JourneyWithoutTheTokenReportsThe401AndWorksWithIt) {
  const CliRun refused = run_cli({"journey", frame_text(1), "--api", api_}, *dir_);
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.err, "frame-tracking journey: " + unauthorized("/api/traces/" + trace_hex(1), false) + "\n");
  EXPECT_EQ(refused.out, "");
  const CliRun wrong = run_cli({"journey", frame_text(1), "--api", api_, "--auth-token-file", wrong_token_file_}, *dir_);
  EXPECT_EQ(wrong.status, 1);
  EXPECT_EQ(wrong.err, "frame-tracking journey: " + unauthorized("/api/traces/" + trace_hex(1), true) + "\n");
  const CliRun shown = run_cli({"journey", frame_text(1), "--api", api_, "--auth-token-file", token_file_, "--width", "80"}, *dir_);
  EXPECT_EQ(shown.status, 0) << shown.err;
  EXPECT_EQ(shown.out.rfind("trace " + trace_hex(1) + ": 2 spans, 1 services, 2.000 ms, 0 errors\n", 0), 0U) << shown.out;
  const CliRun unreadable = run_cli({"journey", frame_text(1), "--api", api_, "--auth-token-file", (*dir_ / "none").string()}, *dir_);
  EXPECT_EQ(unreadable.status, 2);
  EXPECT_EQ(unreadable.err, "frame-tracking journey: --auth-token-file '" + (*dir_ / "none").string() + "': cannot be read\n");
}

TEST_F(AuthTokenTest, AnalyzeWithoutTheTokenReportsThe401AndWorksWithIt) {
  const CliRun refused = run_cli({"analyze", "--api", api_, "--json"}, *dir_);
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.err, "frame-tracking analyze: " + unauthorized("/api/services", false) + "\n");
  EXPECT_EQ(refused.out, "");
  const CliRun analysed = run_cli({"analyze", "--api", api_, "--auth-token", kToken, "--expect", "capture_frame,decode_frame", "--json"}, *dir_);
  EXPECT_EQ(analysed.status, 0) << analysed.err;
  auto report = ordered_json::parse(analysed.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << analysed.out << analysed.err;
  EXPECT_EQ(report["frames"].dump(), R"({"total":1,"complete":1,"dropped":0,"incomplete":0,"coverage_percent":100.0})");
}

TEST_F(AuthTokenTest, SearchPrintsTheSpanTableWithTheToken) {
  const CliRun refused = run_cli({"search", frame_text(1), "--api", api_}, *dir_);
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.err, "frame-tracking search: " + unauthorized("/api/traces/" + trace_hex(1), false) + "\n");
  const CliRun table = run_cli({"search", frame_text(1), "--api", api_, "--auth-token-file", token_file_}, *dir_);
  EXPECT_EQ(table.status, 0) << table.err;
  EXPECT_EQ(table.out,
            "trace " + trace_hex(1) + ": 2 spans\n"
            "SPAN                                     SERVICE             START ms DURATION ms  SPAN ID          NOTES\n"
            "capture_frame                            rtsp-capture           0.000       2.000  " + span_hex(1, 1) + " \n"
            "  decode_frame                           rtsp-capture           0.500       0.750  " + span_hex(1, 2) + " \n");
  const CliRun json_model = run_cli({"search", trace_hex(1), "--api", api_, "--auth-token-file", token_file_, "--json"}, *dir_);
  EXPECT_EQ(json_model.status, 0) << json_model.err;
  auto trace = ordered_json::parse(json_model.out, nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << json_model.out;
  EXPECT_EQ(trace["traceID"], trace_hex(1));
  EXPECT_EQ(trace["spans"].size(), 2U);
}

}  // namespace
}  // namespace frame_tracking::testing
