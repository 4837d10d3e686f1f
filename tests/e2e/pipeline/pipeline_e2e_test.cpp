// SPDX-License-Identifier: Apache-2.0
// End-to-end test of the reference pipeline: RTSP video → rtsp-capture → broker → frame-buffer → frame-processor →
// metadata-storage, real processes and a real service; every captured frame has exactly one complete trace.
#include "pipeline/child_process.hpp"
#include "pipeline/journey.hpp"
#include "pipeline/pipeline_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace frame_tracking::pipeline {
namespace {

namespace fs = std::filesystem;
using Outcome = JourneyVerdict::Outcome;

constexpr std::uint64_t kFrames = 50;
constexpr const char* kCamera = "cam-e2e";

/// The port a CTest fixture wrote to FT_FIXTURE_DIR/<name>.port (0 when absent).
int fixture_port(const std::string& name) {
  std::ifstream file(fs::path(FT_FIXTURE_DIR) / (name + ".port"));
  int port = 0;
  file >> port;
  return port;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// A fresh work directory for one test under the build tree.
std::string work_dir(const std::string& name) {
  const fs::path dir = fs::path(FT_BINARY_DIR) / "e2e-pipeline" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

/// Runs `argv` to completion with its output in `log`; returns whether it exited 0.
bool run_to_end(std::vector<std::string> argv, const std::string& log, std::vector<std::pair<std::string, std::string>> env = {},
                std::chrono::seconds timeout = std::chrono::seconds(120)) {
  auto child = ChildProcess::spawn({.name = argv[1], .argv = std::move(argv), .log_file = log, .environment = std::move(env)});
  if (!child) {
    ADD_FAILURE() << child.error().message;
    return false;
  }
  child->wait_for(timeout);
  child->stop();
  return child->succeeded();
}

/// (span name, parent span name, service) of every span, sorted: the exact tree of a journey.
using SpanTree = std::vector<std::tuple<std::string, std::string, std::string>>;

SpanTree tree_of(const Journey& journey) {
  SpanTree tree;
  for (const auto& span : journey.spans) {
    const JourneySpan* parent = journey.find(span.parent_id);
    tree.emplace_back(span.name, parent == nullptr ? "" : parent->name, span.service);
  }
  std::sort(tree.begin(), tree.end());
  return tree;
}

SpanTree expected_tree(const std::string& processor) {
  const std::string ready = "frames:ready:" + processor;
  SpanTree tree{
      {"capture_frame", "", "rtsp-capture"},
      {"decode_frame", "capture_frame", "rtsp-capture"},
      {"send frames:metadata", "capture_frame", "rtsp-capture"},
      {"process frames:metadata", "send frames:metadata", "frame-buffer"},
      {"send " + ready, "process frames:metadata", "frame-buffer"},
      {"process " + ready, "send " + ready, "frame-processor"},
      {"detect", "process " + ready, "frame-processor"},
      {"send frames:results", "process " + ready, "frame-processor"},
      {"process frames:results", "send frames:results", "metadata-storage"},
      {"store_frame", "process frames:results", "metadata-storage"},
  };
  std::sort(tree.begin(), tree.end());
  return tree;
}

/// Runs 50 frames from the RTSP fixture through the pipeline on `broker_url` with frame-buffer `routes`
/// and one frame-processor per name in `processors`, and checks every journey; `expect_drops`: the
/// routes leave some frames without a processor (dropped with reason no_route).
void run_pipeline_and_check(const std::string& name, const std::string& broker_url, const std::string& messaging_system,
                            const std::vector<std::string>& routes, const std::vector<std::string>& processors,
                            bool expect_drops) {
  const int rtsp_port = fixture_port("rtsp");
  ASSERT_GT(rtsp_port, 0) << "the rtsp fixture wrote no port to " << FT_FIXTURE_DIR;
  const std::string work = work_dir(name);
  auto started = PipelineRun::start_service(FT_CLI, work);
  ASSERT_TRUE(started) << started.error().message;
  PipelineRun& run = **started;

  PipelineSpec spec;
  spec.input = "rtsp://127.0.0.1:" + std::to_string(rtsp_port) + "/stream";
  spec.camera_id = kCamera;
  spec.frames = kFrames;
  spec.fps = 0;
  spec.loop = false;
  spec.broker_url = broker_url;
  spec.routes = routes;
  spec.processors = processors;
  const auto failed = run.start_pipeline(spec);
  ASSERT_FALSE(failed) << failed->message;

  const auto waited = run.wait_until_done(nullptr, nullptr, std::chrono::seconds(60));
  ASSERT_FALSE(waited) << *waited;
  const PipelineProgress progress = run.progress();
  EXPECT_EQ(run.stop_pipeline(), std::vector<std::string>{});

  // Dropped frames are accounted for: captured = stored + dropped.
  EXPECT_EQ(progress.captured, kFrames);
  EXPECT_EQ(progress.captured, progress.stored + progress.dropped);
  const std::vector<std::string> ids = run.captured_ids();
  ASSERT_EQ(ids.size(), kFrames);

  const JourneyReport report = run.check_journeys(ids);
  EXPECT_EQ(report.incomplete, 0U);
  EXPECT_EQ(report.orphan_spans, 0U);
  EXPECT_EQ(report.complete, progress.stored);
  EXPECT_EQ(report.dropped, progress.dropped);
  EXPECT_GT(report.complete, 0U);

  std::size_t spans = 0, with_frame_id = 0, with_camera_id = 0, no_route = 0;
  const JourneyReport::Frame* chosen = nullptr;
  for (const auto& frame : report.frames) {
    for (const auto& problem : frame.verdict.problems) ADD_FAILURE() << frame.frame_id << ": " << problem;
    ASSERT_EQ(frame.traces.size(), 1U) << frame.frame_id << " must have exactly one trace";
    const Journey& trace = frame.traces[0];
    std::string hex = frame.frame_id;
    hex.erase(std::remove(hex.begin(), hex.end(), '-'), hex.end());
    EXPECT_EQ(trace.trace_id, hex);
    for (const auto& span : trace.spans) {
      ++spans;
      with_frame_id += span.tags.count("frame.id") && span.tags.at("frame.id") == frame.frame_id ? 1 : 0;
      with_camera_id += span.tags.count("camera.id") && span.tags.at("camera.id") == kCamera ? 1 : 0;
      if (span.kind == "producer" || span.kind == "consumer") {
        EXPECT_EQ(span.tags.count("messaging.system") ? span.tags.at("messaging.system") : "", messaging_system) << span.name;
      }
    }
    if (frame.verdict.outcome == Outcome::kDropped) {
      // The fixture's /stream is one live stream shared by all clients: a capture that joins it while
      // another test watches starts mid-GOP, and the frames before its first key frame end at capture.
      // A frame no processor wants ends in frame-buffer: its trace stops at the drop, complete up to there.
      const bool before_keyframe = frame.verdict.drop_reason == "before_keyframe";
      if (!before_keyframe) {
        EXPECT_EQ(frame.verdict.drop_reason, "no_route") << frame.frame_id;
        ++no_route;
      }
      const SpanTree until_drop = before_keyframe ? SpanTree{{"capture_frame", "", "rtsp-capture"}}
                                                  : SpanTree{{"capture_frame", "", "rtsp-capture"},
                                                             {"decode_frame", "capture_frame", "rtsp-capture"},
                                                             {"process frames:metadata", "send frames:metadata", "frame-buffer"},
                                                             {"send frames:metadata", "capture_frame", "rtsp-capture"}};
      EXPECT_EQ(tree_of(trace), until_drop) << frame.frame_id;
    }
    if (frame.verdict.outcome == Outcome::kComplete) {
      EXPECT_EQ(tree_of(trace), expected_tree(frame.verdict.processor)) << frame.frame_id;
      if (chosen == nullptr) chosen = &frame;
    }
  }
  if (expect_drops) {
    EXPECT_GT(no_route, 0U) << "key frames should have been dropped with reason no_route";
  }
  EXPECT_EQ(with_frame_id, spans) << "frame.id must be on 100 % of spans";
  EXPECT_EQ(with_camera_id, spans) << "camera.id must be on 100 % of spans";

  // Every stored frame is on disk under its FrameId.
  ASSERT_NE(chosen, nullptr);
  const std::string stored = read_file(fs::path(work) / "frames" / kCamera / (chosen->frame_id + ".json"));
  EXPECT_NE(stored.find("\"frame_id\":\"" + chosen->frame_id + "\""), std::string::npos) << stored;

  // `frame-tracking search <id>` finds the chosen frame through the query API.
  const std::string search_log = (fs::path(work) / "logs" / "search.log").string();
  EXPECT_TRUE(run_to_end({FT_CLI, "search", chosen->frame_id, "--api", run.query_url()}, search_log)) << read_file(search_log);
  const std::string found = read_file(search_log);
  EXPECT_NE(found.find("store_frame"), std::string::npos) << found;
  EXPECT_NE(found.find("metadata-storage"), std::string::npos) << found;
  run.stop_all();
}

TEST(PipelineE2E, RedisEveryCapturedFrameHasOneCompleteTrace) {
  const int port = fixture_port("redis");
  ASSERT_GT(port, 0) << "the redis fixture wrote no port to " << FT_FIXTURE_DIR;
  // Database 7 keeps these streams apart from the other tests using the same server.
  const std::string flush_log = (fs::path(FT_BINARY_DIR) / "e2e-pipeline-redis-flush.log").string();
  ASSERT_TRUE(run_to_end({"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port), "-n", "7", "FLUSHDB"}, flush_log));
  run_pipeline_and_check("redis", "redis://127.0.0.1:" + std::to_string(port) + "/7", "redis",
                         {"thumbnail=key_frame:true", "motion=*"}, {"motion", "thumbnail"}, false);
}

#if FRAME_TRACKING_HAS_RABBITMQ
TEST(PipelineE2E, RabbitMqEveryCapturedFrameHasOneCompleteTrace) {
  const int port = fixture_port("rabbitmq");
  ASSERT_GT(port, 0) << "the rabbitmq fixture wrote no port to " << FT_FIXTURE_DIR;
  // Key frames match no rule here: they are dropped in frame-buffer (no_route), and still accounted for.
  run_pipeline_and_check("rabbitmq", "amqp://guest:guest@127.0.0.1:" + std::to_string(port), "rabbitmq",
                         {"motion=key_frame:false"}, {"motion"}, true);
}
#endif

TEST(PipelineE2E, DemoExitsZeroOnlyWhenEveryJourneyIsComplete) {
  const std::string work = work_dir("demo");
  const std::string log = (fs::path(work) / "demo.out").string();
  const bool ok = run_to_end({FT_CLI, "demo", "--frames", "60", "--fps", "0", "--work-dir", work}, log,
                             {{"XDG_CACHE_HOME", (fs::path(FT_BINARY_DIR) / "e2e-pipeline" / "cache").string()}});
  const std::string out = read_file(log);
  EXPECT_TRUE(ok) << out;
  EXPECT_NE(out.find("captured 60"), std::string::npos) << out;
  EXPECT_NE(out.find("RESULT    every frame's journey is complete"), std::string::npos) << out;
}

}  // namespace
}  // namespace frame_tracking::pipeline
