// SPDX-License-Identifier: Apache-2.0
// PipelineRun: a frame-tracking service and the reference pipeline's processes started as real child processes,
// watched until every captured frame is stored or dropped, then each frame's journey checked through the Jaeger API.
#pragma once

#include "pipeline/child_process.hpp"
#include "pipeline/journey.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace frame_tracking::pipeline {

/// The pipeline to start. Value type.
struct PipelineSpec {
  /// rtsp://… or a file.
  std::string input;
  std::string camera_id = "cam-1";
  /// Frames to capture (dropped ones included).
  std::uint64_t frames = 300;
  /// Files: pace at this rate (0 = as fast as decoded).
  double fps = 25;
  /// Files: loop so that `frames` can exceed the file's length.
  bool loop = true;
  /// Broker URL (redis://… or amqp://…).
  std::string broker_url;
  /// frame-buffer rules (see RouteRule).
  std::vector<std::string> routes{"thumbnail=key_frame:true", "motion=*"};
  /// One frame-processor per name.
  std::vector<std::string> processors{"motion", "thumbnail"};
  /// Start every process with `--metrics-port auto` (see PipelineRun::metrics_ports()).
  bool metrics = false;
};

/// Where the run stands, from the processes' stats files.
struct PipelineProgress {
  std::uint64_t captured = 0;
  std::uint64_t processed = 0;
  std::uint64_t stored = 0;
  /// Frames dropped anywhere (capture, buffer, processors, storage).
  std::uint64_t dropped = 0;
  /// "reason" → count, summed over the processes.
  std::vector<std::pair<std::string, std::uint64_t>> drop_reasons;
  bool capture_finished = false;
};

/// The check of every captured frame's journey.
struct JourneyReport {
  struct Frame {
    std::string frame_id;
    JourneyVerdict verdict;
    std::vector<Journey> traces;
    /// Time of the last GET /api/traces/{id} for it.
    std::chrono::microseconds lookup{0};
  };
  std::vector<Frame> frames;
  std::uint64_t complete = 0;
  std::uint64_t dropped = 0;
  std::uint64_t incomplete = 0;
  std::uint64_t orphan_spans = 0;
};

/// Runs one service plus the pipeline under `work_dir` (logs/, stats/, frames/, store/). Every
/// child is stopped by the destructor. Not thread-safe; not copyable.
class PipelineRun {
 public:
  /// Starts `cli serve` on free loopback ports (read from its listening lines) with its store under
  /// work_dir/store. `cli` is the frame-tracking binary. Errors say which step failed, with the log.
  static Result<std::unique_ptr<PipelineRun>> start_service(const std::string& cli, const std::string& work_dir);
  ~PipelineRun();
  PipelineRun(const PipelineRun&) = delete;
  PipelineRun& operator=(const PipelineRun&) = delete;

  /// Starts the consumers (metadata-storage, the processors, frame-buffer) and then rtsp-capture.
  /// Errors name the process that could not start.
  std::optional<Error> start_pipeline(const PipelineSpec& spec);

  /// Reads the stats files.
  PipelineProgress progress() const;
  /// The metrics ports the processes reported in their stats files, by stats name
  /// ("rtsp-capture", "frame-buffer", "frame-processor-motion", …), sorted; processes without an
  /// endpoint (or not started yet) are left out.
  std::vector<std::pair<std::string, int>> metrics_ports() const;
  /// A message naming a child that died unexpectedly (any but a capture that exited 0) with its
  /// exit status and log, or empty.
  std::optional<std::string> dead_child();
  /// Waits until the capture finished and stored + dropped ≥ captured, calling `on_progress`
  /// about every 100 ms. Stops early (returning the reason) when a child dies, `interrupted()`
  /// turns true, or nothing moves for `stall_timeout`.
  std::optional<std::string> wait_until_done(const std::function<void(const PipelineProgress&)>& on_progress,
                                             const std::function<bool()>& interrupted,
                                             std::chrono::milliseconds stall_timeout = std::chrono::seconds(30));
  /// SIGTERM to every pipeline process (they flush their spans) and waits for them; returns the
  /// names of those that did not exit 0 with their status.
  std::vector<std::string> stop_pipeline();
  /// Stops everything, the service last.
  void stop_all();

  /// The FrameIds rtsp-capture wrote, in capture order.
  std::vector<std::string> captured_ids() const;
  /// Fetches GET /api/traces/{id} for every id and checks it. Frames not complete yet are fetched
  /// again until `settle` passed (the service ingests asynchronously).
  JourneyReport check_journeys(const std::vector<std::string>& ids,
                               std::chrono::milliseconds settle = std::chrono::seconds(10)) const;

  int otlp_port() const noexcept { return otlp_port_; }
  int query_port() const noexcept { return query_port_; }
  int admin_port() const noexcept { return admin_port_; }
  std::string query_url() const { return "http://127.0.0.1:" + std::to_string(query_port_); }
  std::string otlp_url() const { return "http://127.0.0.1:" + std::to_string(otlp_port_); }
  std::string admin_url() const { return "http://127.0.0.1:" + std::to_string(admin_port_); }
  const std::string& work_dir() const noexcept { return work_dir_; }
  const std::string& cli() const noexcept { return cli_; }
  /// The children started so far (service first).
  std::vector<ChildProcess>& children() noexcept { return children_; }

 private:
  PipelineRun() = default;
  std::optional<Error> spawn(const std::string& name, const std::string& log_name, std::vector<std::string> argv);

  std::string cli_;
  std::string work_dir_;
  int otlp_port_ = 0;
  int query_port_ = 0;
  int admin_port_ = 0;
  std::vector<ChildProcess> children_;  // [0] = service, [1] = rtsp-capture once started
  std::size_t capture_index_ = 0;
};

/// The last `lines` lines of a log file (for error messages), "" when unreadable.
std::string log_tail(const std::string& path, std::size_t lines = 15);

}  // namespace frame_tracking::pipeline
