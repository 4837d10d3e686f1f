// SPDX-License-Identifier: Apache-2.0
// PipelineRun: the service and the reference pipeline as real child processes, watched and checked.
#include "pipeline/pipeline_run.hpp"

#include "otlp/http_get.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace frame_tracking::pipeline {
namespace {

namespace fs = std::filesystem;

/// The port of the first "<what> listening on HOST:PORT" line of `log`, or 0.
int listening_port(const std::string& log, std::string_view what) {
  std::ifstream file(log);
  std::string line;
  const std::string prefix = std::string(what) + " listening on ";
  while (std::getline(file, line)) {
    if (!line.starts_with(prefix)) continue;
    const std::size_t colon = line.rfind(':');
    if (colon == std::string::npos) continue;
    try {
      return std::stoi(line.substr(colon + 1));
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream file(path);
  if (!file) return nullptr;
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json parsed = nlohmann::json::parse(text.str(), nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

std::uint64_t counter(const nlohmann::json& stats, const char* name) {
  if (!stats.is_object() || !stats.contains("counters")) return 0;
  return stats["counters"].value(name, std::uint64_t{0});
}

}  // namespace

std::string log_tail(const std::string& path, std::size_t lines) {
  std::ifstream file(path);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(file, line)) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "    " + l + "\n";
  return out;
}

Result<std::unique_ptr<PipelineRun>> PipelineRun::start_service(const std::string& cli, const std::string& work_dir) {
  std::unique_ptr<PipelineRun> run(new PipelineRun());
  run->cli_ = cli;
  run->work_dir_ = work_dir;
  std::error_code error;
  for (const char* sub : {"logs", "stats", "frames", "store"}) fs::create_directories(fs::path(work_dir) / sub, error);
  if (error) return Error{ErrorCode::kInvalidInput, "cannot create " + work_dir + ": " + error.message()};
  const std::string log = (fs::path(work_dir) / "logs" / "service.log").string();
  if (auto failed = run->spawn("frame-tracking serve", "service.log",
                               {cli, "serve", "--otlp-port", "0", "--query-port", "0", "--admin-port", "0", "--data-dir",
                                (fs::path(work_dir) / "store").string()}))
    return *failed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (run->admin_port_ == 0) {
    run->otlp_port_ = listening_port(log, "otlp");
    run->query_port_ = listening_port(log, "query");
    run->admin_port_ = run->otlp_port_ && run->query_port_ ? listening_port(log, "admin") : 0;
    if (run->admin_port_ != 0) break;
    if (!run->children_[0].running())
      return Error{ErrorCode::kInvalidInput, "frame-tracking serve " + run->children_[0].describe() + "; its log (" + log +
                                                 "):\n" + log_tail(log)};
    if (std::chrono::steady_clock::now() > deadline)
      return Error{ErrorCode::kInvalidInput, "frame-tracking serve printed no listening lines within 20 s; its log (" + log +
                                                 "):\n" + log_tail(log)};
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return run;
}

PipelineRun::~PipelineRun() { stop_all(); }

std::optional<Error> PipelineRun::spawn(const std::string& name, const std::string& log_name, std::vector<std::string> argv) {
  const std::string log = (fs::path(work_dir_) / "logs" / log_name).string();
  auto child = ChildProcess::spawn({.name = name, .argv = std::move(argv), .log_file = log, .environment = {}});
  if (!child) return child.error();
  children_.push_back(std::move(*child));
  return std::nullopt;
}

std::optional<Error> PipelineRun::start_pipeline(const PipelineSpec& spec) {
  const fs::path stats = fs::path(work_dir_) / "stats";
  const auto common = [&](std::vector<std::string> argv, const std::string& stats_name) {
    for (std::string extra : {std::string("--broker"), spec.broker_url, std::string("--otlp-endpoint"), otlp_url(),
                              std::string("--stats-file"), (stats / (stats_name + ".json")).string()})
      argv.push_back(std::move(extra));
    if (spec.metrics) {
      argv.push_back("--metrics-port");
      argv.push_back("auto");
    }
    return argv;
  };
  if (auto failed = spawn("metadata-storage", "metadata-storage.log",
                          common({cli_, "pipeline", "metadata-storage", "--out", (fs::path(work_dir_) / "frames").string()},
                                 "metadata-storage")))
    return failed;
  for (const std::string& name : spec.processors)
    if (auto failed = spawn("frame-processor " + name, "frame-processor-" + name + ".log",
                            common({cli_, "pipeline", "frame-processor", "--name", name}, "frame-processor-" + name)))
      return failed;
  std::vector<std::string> buffer{cli_, "pipeline", "frame-buffer"};
  for (const std::string& route : spec.routes) {
    buffer.push_back("--route");
    buffer.push_back(route);
  }
  if (auto failed = spawn("frame-buffer", "frame-buffer.log", common(buffer, "frame-buffer"))) return failed;
  std::vector<std::string> capture{cli_, "pipeline", "rtsp-capture", "--input", spec.input, "--camera-id", spec.camera_id,
                                   "--frames", std::to_string(spec.frames), "--fps", std::to_string(spec.fps),
                                   "--ids-file", (fs::path(work_dir_) / "frame-ids.txt").string()};
  if (spec.loop) capture.push_back("--loop");
  capture_index_ = children_.size();
  return spawn("rtsp-capture", "rtsp-capture.log", common(capture, "rtsp-capture"));
}

PipelineProgress PipelineRun::progress() const {
  PipelineProgress out;
  std::map<std::string, std::uint64_t> reasons;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(work_dir_) / "stats", error)) {
    if (entry.path().extension() != ".json") continue;
    const nlohmann::json stats = read_json(entry.path());
    if (!stats.is_object()) continue;
    const std::string service = stats.value("service", "");
    if (service == "rtsp-capture") {
      out.captured = counter(stats, "captured");
      out.capture_finished = stats.value("done", false);
    }
    if (service == "frame-processor") out.processed += counter(stats, "processed");
    if (service == "metadata-storage") out.stored = counter(stats, "stored");
    out.dropped += counter(stats, "dropped");
    if (stats.contains("dropped") && stats["dropped"].is_object())
      for (const auto& [reason, count] : stats["dropped"].items()) reasons[reason] += count.get<std::uint64_t>();
  }
  out.drop_reasons.assign(reasons.begin(), reasons.end());
  return out;
}

std::vector<std::pair<std::string, int>> PipelineRun::metrics_ports() const {
  std::vector<std::pair<std::string, int>> out;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(work_dir_) / "stats", error)) {
    if (entry.path().extension() != ".json") continue;
    const nlohmann::json stats = read_json(entry.path());
    if (!stats.is_object() || !stats.contains("metrics_port") || !stats["metrics_port"].is_number_integer()) continue;
    const int port = stats["metrics_port"].get<int>();
    if (port > 0) out.emplace_back(entry.path().stem().string(), port);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> PipelineRun::dead_child() {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    ChildProcess& child = children_[i];
    if (child.running()) continue;
    if (i == capture_index_ && capture_index_ != 0 && child.succeeded()) continue;
    return child.name() + " " + child.describe() + "; the end of its log (" + child.log_file() + "):\n" +
           log_tail(child.log_file());
  }
  return std::nullopt;
}

std::optional<std::string> PipelineRun::wait_until_done(const std::function<void(const PipelineProgress&)>& on_progress,
                                                        const std::function<bool()>& interrupted,
                                                        std::chrono::milliseconds stall_timeout) {
  std::uint64_t last_moved_total = ~std::uint64_t{0};
  auto last_move = std::chrono::steady_clock::now();
  while (true) {
    if (interrupted && interrupted()) return std::string("interrupted");
    if (auto dead = dead_child()) return "stopped because " + *dead;
    const PipelineProgress now = progress();
    if (on_progress) on_progress(now);
    const bool capture_exited = capture_index_ != 0 && !children_[capture_index_].running();
    if (capture_exited && now.capture_finished && now.stored + now.dropped >= now.captured) return std::nullopt;
    const std::uint64_t total = now.captured + now.processed + now.stored + now.dropped;
    if (total != last_moved_total) {
      last_moved_total = total;
      last_move = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_move > stall_timeout) {
      return "no progress for " + std::to_string(stall_timeout.count() / 1000) + " s (captured " +
             std::to_string(now.captured) + ", stored " + std::to_string(now.stored) + ", dropped " +
             std::to_string(now.dropped) + "); see the logs in " + (fs::path(work_dir_) / "logs").string();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<std::string> PipelineRun::stop_pipeline() {
  std::vector<std::string> failures;
  // Producers first: capture, then the buffer, the processors and storage last, so each one's
  // in-flight messages are finished by the next; every process flushes its spans on SIGTERM.
  for (std::size_t i = children_.size(); i-- > 1;) {
    ChildProcess& child = children_[i];
    child.stop(std::chrono::seconds(15));  // a pipeline process exits 0 after a SIGTERM it handled
    if (!child.succeeded()) failures.push_back(child.name() + " " + child.describe());
  }
  return failures;
}

void PipelineRun::stop_all() {
  for (std::size_t i = children_.size(); i-- > 0;) children_[i].stop(std::chrono::seconds(15));
}

std::vector<std::string> PipelineRun::captured_ids() const {
  std::vector<std::string> ids;
  std::ifstream file(fs::path(work_dir_) / "frame-ids.txt");
  std::string line;
  while (std::getline(file, line))
    if (!line.empty()) ids.push_back(line);
  return ids;
}

JourneyReport PipelineRun::check_journeys(const std::vector<std::string>& ids, std::chrono::milliseconds settle) const {
  JourneyReport report;
  report.frames.resize(ids.size());
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    report.frames[i].frame_id = ids[i];
    pending.push_back(i);
  }
  const auto deadline = std::chrono::steady_clock::now() + settle;
  while (true) {
    std::vector<std::size_t> again;
    for (std::size_t i : pending) {
      JourneyReport::Frame& frame = report.frames[i];
      const cli::HttpResponse response = cli::http_get(query_url() + "/api/traces/" + frame.frame_id);
      frame.lookup = response.elapsed;
      frame.traces.clear();
      if (!response.error.empty()) {
        frame.verdict = {};
        frame.verdict.problems.push_back("GET /api/traces/" + frame.frame_id + ": " + response.error);
      } else if (response.status == 404) {
        frame.verdict = {};
        frame.verdict.problems.push_back("trace not found");
      } else if (auto traces = parse_jaeger_traces(response.body); !traces) {
        frame.verdict = {};
        frame.verdict.problems.push_back("HTTP " + std::to_string(response.status) + ": " + traces.error().message);
      } else {
        frame.traces = std::move(*traces);
        frame.verdict = check_journey(frame.traces, frame.frame_id);
      }
      if (frame.verdict.outcome == JourneyVerdict::Outcome::kIncomplete) again.push_back(i);
    }
    pending = std::move(again);
    if (pending.empty() || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  for (const auto& frame : report.frames) {
    switch (frame.verdict.outcome) {
      case JourneyVerdict::Outcome::kComplete: ++report.complete; break;
      case JourneyVerdict::Outcome::kDropped: ++report.dropped; break;
      case JourneyVerdict::Outcome::kIncomplete: ++report.incomplete; break;
    }
    for (const auto& trace : frame.traces)
      for (const auto& span : trace.spans)
        if (!span.parent_id.empty() && trace.find(span.parent_id) == nullptr) ++report.orphan_spans;
  }
  return report;
}

}  // namespace frame_tracking::pipeline
