// SPDX-License-Identifier: Apache-2.0
// `frame-tracking demo`: real video through the reference pipeline — a service, a broker and the four pipeline
// processes as real processes — then every frame's journey checked and shown through the Jaeger API.
#include "command.hpp"
#include "otlp/http_get.hpp"
#include "pipeline/journey_report.hpp"
#include "pipeline/local_broker.hpp"
#include "pipeline/pipeline_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <unistd.h>

namespace frame_tracking::cli {
namespace {

namespace fs = std::filesystem;
using pipeline::JourneyReport;
using pipeline::JourneyVerdict;

struct DemoOptions {
  std::string input;
  std::uint64_t frames = 300;
  double fps = 25;
  std::string broker = "redis";
  std::string broker_url;
  std::string camera_id = "cam-1";
  std::string work_dir;
  bool keep_running = false;
  bool metrics = false;
};

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }

/// The folder of cached clips: $XDG_CACHE_HOME/frame-tracking, else ~/.cache/frame-tracking.
fs::path cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') return fs::path(xdg) / "frame-tracking";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return fs::path(home) / ".cache" / "frame-tracking";
  return fs::temp_directory_path() / "frame-tracking-cache";
}

/// A real H.264 clip (testsrc2 640x480, 25 fps, 10 s, GOP 25, B-frames), made once with the ffmpeg
/// CLI like scripts/make-test-clip.sh and kept in the cache. Returns its path or an error.
Result<std::string> cached_clip(const fs::path& log_dir) {
  const fs::path clip = cache_dir() / "testsrc2-640x480-25fps-10s.mp4";
  std::error_code error;
  if (fs::file_size(clip, error) > 0 && !error) return clip.string();
  fs::create_directories(clip.parent_path(), error);
  if (error) return Error{ErrorCode::kInvalidInput, "cannot create the clip cache " + clip.parent_path().string() + ": " + error.message()};
  const fs::path partial = clip.string() + "." + std::to_string(getpid()) + ".mp4";
  std::cerr << "making a 10 s H.264 test clip with ffmpeg (once): " << clip.string() << "\n";
  auto ffmpeg = pipeline::ChildProcess::spawn(
      {.name = "ffmpeg",
       .argv = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=640x480:rate=25", "-frames:v", "250", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt",
                "yuv420p", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-bf", "2", "-movflags", "+faststart",
                partial.string()},
       .log_file = (log_dir / "ffmpeg.log").string(),
       .environment = {}});
  if (!ffmpeg) return Error{ErrorCode::kInvalidInput, ffmpeg.error().message + " (install ffmpeg, or pass --input)"};
  ffmpeg->wait_for(std::chrono::minutes(5));
  if (!ffmpeg->succeeded()) {
    fs::remove(partial, error);
    return Error{ErrorCode::kInvalidInput, "ffmpeg " + ffmpeg->describe() + ":\n" + pipeline::log_tail(ffmpeg->log_file())};
  }
  fs::rename(partial, clip, error);
  if (error) return Error{ErrorCode::kInvalidInput, "cannot move the clip to " + clip.string() + ": " + error.message()};
  return clip.string();
}

/// The binary to start children from: this very executable.
std::string self_path() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string("frame-tracking") : self.string();
}

/// The progress bar on a terminal (redrawn in place); elsewhere one line every 2 s and at the end (`last`).
void draw_progress(const pipeline::PipelineProgress& p, std::uint64_t target, bool tty, bool last = false) {
  static auto last_line = std::chrono::steady_clock::time_point{};
  const std::uint64_t done = p.stored + p.dropped;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = target == 0 ? 0 : std::min<std::size_t>(kWidth, static_cast<std::size_t>(done * kWidth / target));
  char line[200];
  std::snprintf(line, sizeof(line), "[%s%s] %3llu/%llu  captured %llu · processed %llu · stored %llu · dropped %llu",
                std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(target),
                static_cast<unsigned long long>(p.captured), static_cast<unsigned long long>(p.processed),
                static_cast<unsigned long long>(p.stored), static_cast<unsigned long long>(p.dropped));
  if (tty) {
    std::cerr << "\r" << line << std::flush;
  } else if (last || std::chrono::steady_clock::now() - last_line > std::chrono::seconds(2)) {
    last_line = std::chrono::steady_clock::now();
    std::cerr << line << "\n";
  }
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  char text[16];
  std::snprintf(text, sizeof(text), "%.1f %%", whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

/// Prints the report; returns true when every frame not dropped has a complete journey.
bool print_report(const pipeline::PipelineRun& run, const pipeline::PipelineProgress& progress, const JourneyReport& report,
                  const std::string& broker_url) {
  const std::uint64_t not_dropped = report.frames.size() - report.dropped;
  std::cout << "\nframes    captured " << progress.captured << " · processed " << progress.processed << " · stored "
            << progress.stored << " · dropped " << progress.dropped;
  if (!progress.drop_reasons.empty()) {
    std::cout << " (";
    for (std::size_t i = 0; i < progress.drop_reasons.size(); ++i)
      std::cout << (i ? ", " : "") << progress.drop_reasons[i].first << " " << progress.drop_reasons[i].second;
    std::cout << ")";
  }
  std::cout << "\nbroker    " << broker_url << "\n";
  std::cout << "traces    " << report.complete << "/" << not_dropped << " complete journeys (" << percent(report.complete, not_dropped)
            << " of the frames not dropped), " << report.dropped << " dropped frames traced to their drop, "
            << report.incomplete << " incomplete, " << report.orphan_spans << " orphan spans\n";
  std::map<std::string, std::uint64_t> routes;
  for (const auto& frame : report.frames)
    if (frame.verdict.outcome == JourneyVerdict::Outcome::kComplete) ++routes[frame.verdict.processor];
  std::cout << "routes   ";
  for (const auto& [processor, count] : routes) std::cout << " " << processor << " " << count;
  std::cout << "\n";
  std::size_t shown = 0;
  for (const auto& frame : report.frames) {
    if (frame.verdict.outcome != JourneyVerdict::Outcome::kIncomplete || shown >= 5) continue;
    ++shown;
    std::cout << "  incomplete " << frame.frame_id << ":";
    for (const auto& problem : frame.verdict.problems) std::cout << "\n    - " << problem;
    std::cout << "\n";
  }

  std::vector<const pipeline::Journey*> complete;
  const JourneyReport::Frame* chosen = nullptr;
  for (const auto& frame : report.frames)
    if (frame.verdict.outcome == JourneyVerdict::Outcome::kComplete) complete.push_back(&frame.traces[0]);
  if (!complete.empty()) {
    std::cout << "\nper stage (ms, " << complete.size() << " complete journeys)\n";
    char line[160];
    std::snprintf(line, sizeof(line), "  %-32s %6s %9s %9s %9s\n", "stage", "spans", "p50", "p95", "p99");
    std::cout << line;
    for (const auto& stage : pipeline::stage_latencies(complete)) {
      std::snprintf(line, sizeof(line), "  %-32s %6zu %9.3f %9.3f %9.3f\n", stage.stage.c_str(), stage.count, stage.p50_ms,
                    stage.p95_ms, stage.p99_ms);
      std::cout << line;
    }
    // The journey shown: the complete frame with the median end-to-end time.
    std::vector<const JourneyReport::Frame*> ordered;
    for (const auto& frame : report.frames)
      if (frame.verdict.outcome == JourneyVerdict::Outcome::kComplete) ordered.push_back(&frame);
    std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
      return pipeline::journey_duration_us(a->traces[0]) < pipeline::journey_duration_us(b->traces[0]);
    });
    chosen = ordered[ordered.size() / 2];
  }
  if (chosen != nullptr) {
    const std::string url = run.query_url() + "/api/traces/" + chosen->frame_id;
    const HttpResponse again = http_get(url);  // the search, timed on its own
    std::cout << "\njourney of frame " << chosen->frame_id << " (median end-to-end, routed to " << chosen->verdict.processor
              << ")\n"
              << pipeline::render_waterfall(chosen->traces[0]);
    char found[160];
    std::snprintf(found, sizeof(found), "found by its id in %.2f ms (GET /api/traces/{frame id}, HTTP %ld, %zu bytes)\n",
                  static_cast<double>(again.elapsed.count()) / 1000.0, again.status, again.body.size());
    std::cout << found;
    std::cout << "\nexplore\n"
              << "  Jaeger API   " << url << "\n"
              << "  search       frame-tracking search " << chosen->frame_id << " --api " << run.query_url() << "\n"
              << "  by tag       " << run.query_url() << "/api/traces?service=frame-processor&tag=frame.id:" << chosen->frame_id << "\n"
              << "  health       frame-tracking health --url " << run.admin_url() << "\n"
              << "  Grafana      add a Jaeger data source with URL " << run.query_url() << "\n"
              << "  frames       " << (fs::path(run.work_dir()) / "frames").string() << "\n"
              << "  logs         " << (fs::path(run.work_dir()) / "logs").string() << "\n";
  }
  return report.incomplete == 0 && !report.frames.empty() && progress.stored + progress.dropped == progress.captured;
}

int run_demo(const DemoOptions& options) {
#if !FRAME_TRACKING_HAS_STORE
  (void)options;
  std::cerr << "frame-tracking demo: this binary was built without the store component, which provides the service "
               "(frame-tracking serve) the demo sends its spans to. Rebuild with -DFRAME_TRACKING_WITH_STORE=ON "
               "(needs libsqlite3-dev and libcpp-httplib-dev: scripts/install-deps.sh).\n";
  return 1;
#else
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  const bool tty = isatty(STDERR_FILENO) != 0;

  fs::path work = options.work_dir;
  if (work.empty()) {
    std::string pattern = (fs::temp_directory_path() / "frame-tracking-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "demo: cannot create a temporary directory under " << fs::temp_directory_path() << "\n";
      return 1;
    }
    work = pattern;
  }
  std::error_code error;
  fs::create_directories(work / "logs", error);
  work = fs::absolute(work);
  std::cout << "frame-tracking demo — work dir " << work.string() << "\n";

  std::string input = options.input;
  if (input.empty()) {
    auto clip = cached_clip(work / "logs");
    if (!clip) {
      std::cerr << "demo: " << clip.error().message << "\n";
      return 1;
    }
    input = *clip;
  }

  std::unique_ptr<pipeline::LocalBroker> broker;
  std::string broker_url = options.broker_url;
  if (broker_url.empty()) {
    std::cout << "starting " << (options.broker == "amqp" ? "RabbitMQ (10-15 s)" : "redis-server") << " ...\n";
    auto started = options.broker == "amqp" ? pipeline::LocalBroker::start_rabbitmq((work / "broker").string())
                                            : pipeline::LocalBroker::start_redis((work / "broker").string());
    if (!started) {
      std::cerr << "demo: " << started.error().message << "\n";
      return 1;
    }
    broker = std::move(*started);
    broker_url = broker->url();
  }

  auto service = pipeline::PipelineRun::start_service(self_path(), work.string());
  if (!service) {
    std::cerr << "demo: " << service.error().message << "\n";
    return 1;
  }
  pipeline::PipelineRun& run = **service;
  std::cout << "service   OTLP " << run.otlp_url() << " · Jaeger API " << run.query_url() << " · admin " << run.admin_url() << "\n";
  pipeline::PipelineSpec spec;
  spec.input = input;
  spec.camera_id = options.camera_id;
  spec.frames = options.frames;
  spec.fps = options.fps;
  spec.broker_url = broker_url;
  spec.metrics = options.metrics;
  if (auto failed = run.start_pipeline(spec)) {
    std::cerr << "demo: " << failed->message << "\n";
    return 1;
  }
  if (options.metrics) {
    // Each process reports its port in its stats file once its endpoint listens.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::vector<std::pair<std::string, int>> ports = run.metrics_ports();
    while (ports.size() < spec.processors.size() + 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ports = run.metrics_ports();
    }
    std::cout << "metrics  ";
    for (const auto& [name, port] : ports) std::cout << " " << name << " http://127.0.0.1:" << port << "/metrics";
    std::cout << "\n";
  }
  std::cout << "pipeline  rtsp-capture → frame-buffer → frame-processor (motion, thumbnail) → metadata-storage\n"
            << "input     " << input << " (" << options.frames << " frames"
            << (input.starts_with("rtsp://") ? ""
                : options.fps > 0 ? ", paced at " + std::to_string(static_cast<int>(options.fps)) + " fps like a camera"
                                  : ", as fast as decoded")
            << ")\n";

  const auto started_at = std::chrono::steady_clock::now();
  const auto broker_dead = [&]() -> std::optional<std::string> {
    if (!broker) return std::nullopt;
    for (auto& process : broker->processes())
      if (!process.running()) return process.name() + " " + process.describe() + ":\n" + pipeline::log_tail(process.log_file());
    return std::nullopt;
  };
  std::optional<std::string> broken;
  const std::optional<std::string> waited = run.wait_until_done(
      [&](const pipeline::PipelineProgress& p) { draw_progress(p, options.frames, tty); },
      [&] {
        if (!broken) broken = broker_dead();
        return g_interrupted.load() || broken.has_value();
      });
  draw_progress(run.progress(), options.frames, tty, true);
  if (tty) std::cerr << "\n";
  if (waited) {
    if (*waited == "interrupted")
      std::cerr << "demo: " << (broken ? "stopped because " + *broken : std::string("interrupted; stopping everything it started")) << "\n";
    else
      std::cerr << "demo: " << *waited << "\n";
    run.stop_all();
    return g_interrupted.load() ? 130 : 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  const pipeline::PipelineProgress progress = run.progress();
  for (const std::string& failure : run.stop_pipeline()) std::cerr << "demo: warning: " << failure << "\n";
  char timing[96];
  std::snprintf(timing, sizeof(timing), "%.1f s", seconds);
  std::cout << "done      " << progress.captured << " frames in " << timing << "; checking every journey through the Jaeger API ...\n";

  const auto check_start = std::chrono::steady_clock::now();
  const JourneyReport report = run.check_journeys(run.captured_ids());
  const double check_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - check_start).count();
  const bool complete = print_report(run, progress, report, broker_url);
  std::snprintf(timing, sizeof(timing), "%.0f ms (%.2f ms per frame)", check_ms,
                report.frames.empty() ? 0.0 : check_ms / static_cast<double>(report.frames.size()));
  std::cout << "checked   " << report.frames.size() << " journeys in " << timing << "\n";
  std::cout << (complete ? "RESULT    every frame's journey is complete and findable by its id\n"
                         : "RESULT    NOT every journey is complete (see above)\n");

  if (options.keep_running && !g_interrupted.load()) {
    std::cout << "\nthe service" << (broker ? " and the broker keep" : " keeps") << " running; Ctrl-C stops them.\n" << std::flush;
    while (!g_interrupted.load()) {
      if (!run.children()[0].running()) {
        std::cerr << "demo: the service " << run.children()[0].describe() << "\n";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  } else {
    std::cout << "(the service stopped with the demo; --keep-running keeps it up to explore)\n";
  }
  run.stop_all();
  return complete ? 0 : 1;
#endif
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand("demo", "Trace real video through the reference pipeline and check every frame's journey");
  cmd->add_option("--input", options->input, "rtsp://… camera or a video file (default: a generated H.264 clip, cached)");
  cmd->add_option("--frames", options->frames, "Frames to capture")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--fps", options->fps, "Files: frames per second released (like a camera); 0 = as fast as possible")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  cmd->add_option("--broker", options->broker, "Broker to start: redis or amqp (RabbitMQ)")
      ->check(CLI::IsMember({"redis", "amqp"}))
      ->capture_default_str();
  cmd->add_option("--broker-url", options->broker_url, "Use this running broker instead (redis://… or amqp://…)");
  cmd->add_option("--camera-id", options->camera_id, "camera.id of the frames")->capture_default_str();
  cmd->add_option("--work-dir", options->work_dir, "Directory for logs, stats, stored frames and the trace store (default: a new temp dir)");
  cmd->add_flag("--keep-running", options->keep_running, "Keep the service (and broker) running after the report until Ctrl-C");
  cmd->add_flag("--metrics", options->metrics, "Serve each pipeline process's Prometheus metrics on a free port (printed)");
  cmd->footer("Exit 0 only when every frame that was not dropped has a complete journey (all spans, one trace, no orphans).");
  cmd->callback([options, &exit_code] { exit_code = run_demo(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("demo", frame_tracking::cli::setup);
