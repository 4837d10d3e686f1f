// SPDX-License-Identifier: Apache-2.0
// `frame-tracking bench pipeline`: throughput and CPU cost of tracing on an in-process two-thread frame pipeline,
// disabled vs 100 % vs 10 % sampling, interleaved rounds, exporting over OTLP/HTTP to a real service.
#if FRAME_TRACKING_HAS_OTLP && FRAME_TRACKING_HAS_STORE

#include "bench.hpp"
#include "command.hpp"
#include "otlp/cli_tracing.hpp"

#include "frame_tracking/capture/image_ops.hpp"
#include "frame_tracking/environment.hpp"
#include "frame_tracking/frame_tracker.hpp"
#include "frame_tracking/otlp/otlp_tracer_provider.hpp"
#include "frame_tracking/store/service.hpp"

#include <nlohmann/json.hpp>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace frame_tracking::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWidth = 640;
constexpr int kHeight = 480;
constexpr int kThumbWidth = 160;
constexpr int kThumbHeight = 120;
/// capture_frame, decode_frame, send frames (producer thread); process frames, detect (worker thread).
constexpr std::uint64_t kSpansPerFrame = 5;

struct BenchPipelineOptions {
  std::uint64_t frames = 2000;
  std::size_t rounds = 5;
  std::size_t queue_depth = 8;
  std::string endpoint;
  bool json = false;
};

/// One tracing configuration of the workload, as OTEL_* variables would set it, and its figures per round.
struct Mode {
  const char* name;
  std::map<std::string, std::string, std::less<>> env;
  std::unique_ptr<TracerProvider> provider{};
  std::vector<double> fps{}, cpu_us{}, process_cpu_us{};
  std::uint64_t frames_processed = 0;
};

/// A bounded blocking FIFO between the two pipeline threads (the frame queue, and the buffer return path).
template <typename T>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : capacity_(capacity) {}
  void push(T value) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(value));
    not_empty_.notify_one();
  }
  T pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty(); });
    T value = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return value;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> items_;
};

struct WorkItem {
  std::vector<std::uint8_t> picture;  // yuv420p, kWidth × kHeight
  FrameMetadata metadata;             // carries the frame's trace context, as across a broker
};

std::uint64_t cpu_ns(clockid_t clock) noexcept {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// Draws frame `sequence` of the synthetic camera: a diagonal gradient drifting with the frame number and a bright
/// 64×64 square moving 4 px per frame, gray chroma. Deterministic.
void render(std::uint64_t sequence, std::vector<std::uint8_t>& yuv) {
  std::uint8_t* y = yuv.data();
  const auto shift = static_cast<unsigned>(sequence * 2);
  for (int row = 0; row < kHeight; ++row) {
    std::uint8_t* line = y + static_cast<std::ptrdiff_t>(row) * kWidth;
    for (int x = 0; x < kWidth; ++x) line[x] = static_cast<std::uint8_t>((static_cast<unsigned>(x + row) + shift) / 4);
  }
  const int left = static_cast<int>((sequence * 4) % (kWidth - 64));
  const int top = static_cast<int>((sequence * 2) % (kHeight - 64));
  for (int row = top; row < top + 64; ++row) std::fill_n(y + row * kWidth + left, 64, std::uint8_t{235});
  std::fill(yuv.begin() + kWidth * kHeight, yuv.end(), std::uint8_t{128});
}

capture::PictureView view_of(const std::vector<std::uint8_t>& yuv) {
  capture::PictureView view;
  view.width = kWidth;
  view.height = kHeight;
  view.pixel_format = "yuv420p";
  const std::uint8_t* base = yuv.data();
  view.data = {base, base + kWidth * kHeight, base + kWidth * kHeight + (kWidth / 2) * (kHeight / 2), nullptr};
  view.linesize = {kWidth, kWidth / 2, kWidth / 2, 0};
  return view;
}

struct RoundResult {
  double seconds = 0;
  std::uint64_t thread_cpu_ns = 0;   // producer + worker threads
  std::uint64_t process_cpu_ns = 0;  // whole process (adds the export thread and an in-process service)
  std::uint64_t frames = 0;
  bool failed = false;
};

/// Runs `frames` frames through producer → queue → worker with `tracer`, numbering them from `first_sequence`.
RoundResult run_round(const Tracer& tracer, std::uint64_t first_sequence, std::uint64_t frames, std::size_t depth) {
  const FrameTracker tracker(tracer);
  Channel<WorkItem> queue(depth);
  Channel<std::vector<std::uint8_t>> free_buffers(depth + 2);
  for (std::size_t i = 0; i < depth + 2; ++i) free_buffers.push(std::vector<std::uint8_t>(kWidth * kHeight * 3 / 2));
  RoundResult result;
  std::uint64_t producer_cpu = 0, worker_cpu = 0;
  const std::uint64_t process_start = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
  const auto start = Clock::now();

  std::thread producer([&] {
    const std::uint64_t t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    const std::array<AttributeView, 1> capture_attributes{AttributeView{"pipeline.stage", std::string_view("capture")}};
    const std::array<AttributeView, 2> send_attributes{
        AttributeView{"messaging.operation.type", std::string_view("send")},
        AttributeView{"messaging.destination.name", std::string_view("frames")}};
    for (std::uint64_t i = 0; i < frames; ++i) {
      const std::uint64_t sequence = first_sequence + i;
      Frame frame = tracker.begin_frame({.camera_id = "bench-cam",
                                         .sequence = sequence,
                                         .width = kWidth,
                                         .height = kHeight,
                                         .size_bytes = kWidth * kHeight * 3 / 2,
                                         .pts = static_cast<std::int64_t>(sequence * 3600),
                                         .format = "yuv420p"},
                                        capture_attributes);
      WorkItem item{free_buffers.pop(), {}};
      {
        Span decode = frame.stage("decode_frame");
        render(sequence, item.picture);
      }
      {
        Span send = frame.stage("send frames", SpanKind::kProducer, send_attributes);
        item.metadata = frame.metadata_for(send);
        queue.push(std::move(item));
      }
      frame.end();
    }
    producer_cpu = cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
  });

  std::thread worker([&] {
    const std::uint64_t t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    const std::array<AttributeView, 2> receive_attributes{
        AttributeView{"messaging.operation.type", std::string_view("process")},
        AttributeView{"messaging.destination.name", std::string_view("frames")}};
    std::optional<capture::GrayImage> previous;
    for (std::uint64_t i = 0; i < frames; ++i) {
      WorkItem item = queue.pop();
      Frame frame = tracker.continue_frame(item.metadata, "process frames", SpanKind::kConsumer, {}, receive_attributes);
      {
        Span detect = frame.stage("detect");
        auto gray = capture::to_gray(view_of(item.picture), kThumbWidth, kThumbHeight);
        if (!gray) {
          result.failed = true;
        } else {
          if (previous) {
            auto score = capture::motion_score(*previous, *gray);
            if (score) detect.set_attribute("motion.score", *score);
            else result.failed = true;
          }
          previous = std::move(*gray);
        }
      }
      frame.end();
      free_buffers.push(std::move(item.picture));
      ++result.frames;
    }
    worker_cpu = cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
  });
  producer.join();
  worker.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.process_cpu_ns = cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - process_start;
  result.thread_cpu_ns = producer_cpu + worker_cpu;
  return result;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Two-sided 95 % Student t quantile for `df` degrees of freedom (normal approximation above 30).
double t_quantile_95(std::size_t df) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  return df >= 1 && df <= std::size(kTable) ? kTable[df - 1] : 1.960;
}

/// Throughput lost vs the disabled mode, %, from the paired per-round ratios: median, mean and the 95 % t-interval
/// of the mean (needs ≥ 2 rounds).
struct Overhead {
  double median = 0, mean = 0;
  std::optional<std::pair<double, double>> ci95;
};

Overhead overhead(const std::vector<double>& fps, const std::vector<double>& baseline) {
  std::vector<double> loss;
  for (std::size_t r = 0; r < fps.size(); ++r) loss.push_back((1.0 - fps[r] / baseline[r]) * 100.0);
  Overhead o;
  o.median = median(loss);
  o.mean = std::accumulate(loss.begin(), loss.end(), 0.0) / static_cast<double>(loss.size());
  if (loss.size() >= 2) {
    double ss = 0;
    for (double l : loss) ss += (l - o.mean) * (l - o.mean);
    const double sd = std::sqrt(ss / static_cast<double>(loss.size() - 1));
    const double half = t_quantile_95(loss.size() - 1) * sd / std::sqrt(static_cast<double>(loss.size()));
    o.ci95 = std::make_pair(o.mean - half, o.mean + half);
  }
  return o;
}

int run(const BenchPipelineOptions& options) {
  // The backend: the given endpoint, or an in-process service on free loopback ports with a temporary store.
  std::unique_ptr<store::Service> service;
  std::filesystem::path store_dir;
  std::string url;
  if (options.endpoint.empty()) {
    store_dir = std::filesystem::temp_directory_path() / ("frame-tracking-bench-pipeline-" + std::to_string(::getpid()));
    std::error_code ec;
    std::filesystem::remove_all(store_dir, ec);
    std::filesystem::create_directories(store_dir, ec);
    store::ServiceOptions service_options;
    service_options.otlp_port = service_options.query_port = service_options.admin_port = 0;
    service_options.store.path = store_dir / "spans.db";
    service_options.threads = 2;
    service_options.log = [](std::string_view) {};
    auto started = store::Service::start(service_options);
    if (!started) {
      std::cerr << "frame-tracking bench pipeline: " << started.error().message << "\n";
      return 1;
    }
    service = std::move(*started);
    url = "http://127.0.0.1:" + std::to_string(service->otlp_port()) + "/v1/traces";
  } else {
    url = otlp_traces_url(options.endpoint);
  }

  std::array<Mode, 3> modes{Mode{"disabled", {{"OTEL_SDK_DISABLED", "true"}}},
                            Mode{"sampled_100", {{"OTEL_TRACES_SAMPLER", "parentbased_always_on"}}},
                            Mode{"sampled_10",
                                 {{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.1"}}}};
  for (auto& mode : modes) {
    auto env = mode.env;
    env["OTEL_SERVICE_NAME"] = "frame-tracking-bench";
    env["OTEL_RESOURCE_ATTRIBUTES"] = std::string("bench.mode=") + mode.name;
    env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = url;
    env["OTEL_BSP_SCHEDULE_DELAY"] = "200";
    mode.provider = otlp::create_otlp_tracer_provider_from_env(fixed_environment(std::move(env)));
  }

  // Waits until the in-process store has ingested every exported span, so one mode's export (the export thread
  // and the store writer) does not run into the next mode's round.
  auto wait_ingested = [&] {
    if (!service) return;
    std::uint64_t exported = 0;
    for (auto& m : modes) exported += m.provider->collect().spans_exported;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (service->store().stats().ingested_spans < exported && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  auto settle = [&](Mode& mode) {
    mode.provider->force_flush(std::chrono::seconds(30));
    wait_ingested();
  };

  bool failed = false;
  std::uint64_t sequence = 0;
  const std::uint64_t warmup = std::min<std::uint64_t>(options.frames, 200);
  for (auto& mode : modes) {  // warm-up: scaler contexts, connections, pools, page faults
    const RoundResult r =
        run_round(mode.provider->get_tracer("frame-tracking-bench"), sequence, warmup, options.queue_depth);
    sequence += warmup;
    mode.frames_processed += r.frames;
    failed |= r.failed;
    settle(mode);
  }
  for (std::size_t round = 0; round < options.rounds; ++round) {
    for (auto& mode : modes) {  // A/B/C in every round, so slow drifts of the machine hit all modes alike
      const RoundResult r =
          run_round(mode.provider->get_tracer("frame-tracking-bench"), sequence, options.frames, options.queue_depth);
      sequence += options.frames;
      mode.frames_processed += r.frames;
      failed |= r.failed;
      const double n = static_cast<double>(r.frames);
      mode.fps.push_back(n / r.seconds);
      mode.cpu_us.push_back(static_cast<double>(r.thread_cpu_ns) / 1e3 / n);
      mode.process_cpu_us.push_back(static_cast<double>(r.process_cpu_ns) / 1e3 / n);
      settle(mode);
    }
    if (!options.json) std::fprintf(stderr, "\rround %zu/%zu", round + 1, options.rounds);
  }
  if (!options.json) std::fprintf(stderr, "\r              \r");

  std::array<TracingStats, 3> stats;
  for (std::size_t i = 0; i < modes.size(); ++i) {
    modes[i].provider->shutdown(std::chrono::seconds(30));
    stats[i] = modes[i].provider->collect();
  }
  std::optional<std::uint64_t> stored;
  if (service) {
    wait_ingested();
    stored = service->store().stats().span_count;
  }
  const std::uint64_t total_exported = stats[0].spans_exported + stats[1].spans_exported + stats[2].spans_exported;
  const bool rollback_ok = stats[0].spans_started == 0 && stats[0].spans_exported == 0;
  bool frames_ok = true;
  for (const auto& mode : modes) frames_ok &= mode.frames_processed == warmup + options.frames * options.rounds;
  const bool stored_ok = !stored || *stored == total_exported;
  const bool ok = rollback_ok && frames_ok && stored_ok && !failed;

  if (options.json) {
    nlohmann::ordered_json json_modes = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < modes.size(); ++i) {
      const Mode& m = modes[i];
      nlohmann::ordered_json j = {{"mode", m.name},
                                  {"frames_per_second", median(m.fps)},
                                  {"frames_per_second_by_round", m.fps},
                                  {"cpu_us_per_frame", median(m.cpu_us)},
                                  {"process_cpu_us_per_frame", median(m.process_cpu_us)},
                                  {"frames_processed", m.frames_processed},
                                  {"spans_started", stats[i].spans_started},
                                  {"spans_exported", stats[i].spans_exported},
                                  {"spans_dropped", stats[i].dropped_total()},
                                  {"export_failures", stats[i].export_failures}};
      if (i > 0) {
        const Overhead o = overhead(m.fps, modes[0].fps);
        nlohmann::ordered_json ci = nullptr;
        if (o.ci95) ci = nlohmann::ordered_json::array({o.ci95->first, o.ci95->second});
        j["overhead_percent"] = {{"median", o.median}, {"mean", o.mean}, {"ci95", ci}};
      }
      json_modes.push_back(std::move(j));
    }
    nlohmann::ordered_json out = {{"frames_per_round", options.frames},
                                  {"rounds", options.rounds},
                                  {"warmup_frames", warmup},
                                  {"frame", {{"width", kWidth}, {"height", kHeight}, {"format", "yuv420p"}}},
                                  {"spans_per_frame", kSpansPerFrame},
                                  {"endpoint", url},
                                  {"in_process_service", service != nullptr},
                                  {"modes", json_modes}};
    out["stored_spans"] = stored ? nlohmann::ordered_json(*stored) : nlohmann::ordered_json(nullptr);
    out["rollback_ok"] = rollback_ok;
    out["ok"] = ok;
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("bench pipeline: %llu frames x %zu rounds per mode (+%llu warm-up), %dx%d yuv420p -> %dx%d gray + "
                "motion score, %llu spans/frame, OTLP to %s%s\n",
                static_cast<unsigned long long>(options.frames), options.rounds, static_cast<unsigned long long>(warmup),
                kWidth, kHeight, kThumbWidth, kThumbHeight, static_cast<unsigned long long>(kSpansPerFrame), url.c_str(),
                service ? " (in-process service)" : "");
    std::printf("  %-12s %10s  %-30s %12s %12s %10s %8s\n", "mode", "frames/s", "overhead % mean [95% CI]",
                "CPU us/frame", "process CPU", "exported", "dropped");
    for (std::size_t i = 0; i < modes.size(); ++i) {
      const Mode& m = modes[i];
      char overhead_text[64] = "-";
      if (i > 0) {
        const Overhead o = overhead(m.fps, modes[0].fps);
        if (o.ci95) {
          std::snprintf(overhead_text, sizeof overhead_text, "%+.2f [%+.2f, %+.2f]", o.mean, o.ci95->first,
                        o.ci95->second);
        } else {
          std::snprintf(overhead_text, sizeof overhead_text, "%+.2f", o.mean);
        }
      }
      std::printf("  %-12s %10.1f  %-30s %12.1f %12.1f %10llu %8llu\n", m.name, median(m.fps), overhead_text,
                  median(m.cpu_us), median(m.process_cpu_us), static_cast<unsigned long long>(stats[i].spans_exported),
                  static_cast<unsigned long long>(stats[i].dropped_total()));
    }
    std::printf("  rollback (OTEL_SDK_DISABLED=true): %llu spans started, %llu exported, %llu frames processed: %s\n",
                static_cast<unsigned long long>(stats[0].spans_started),
                static_cast<unsigned long long>(stats[0].spans_exported),
                static_cast<unsigned long long>(modes[0].frames_processed), rollback_ok && frames_ok ? "OK" : "FAILED");
    if (stored) {
      std::printf("  service store: %llu spans stored, %llu exported in total: %s\n",
                  static_cast<unsigned long long>(*stored), static_cast<unsigned long long>(total_exported),
                  stored_ok ? "OK" : "MISMATCH");
    }
  }
  if (service) {
    service->stop();
    std::error_code ec;
    std::filesystem::remove_all(store_dir, ec);
  }
  return ok ? 0 : 1;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BenchPipelineOptions>();
  CLI::App* cmd = bench_command(app).add_subcommand(
      "pipeline", "Throughput and CPU cost of tracing on an in-process frame pipeline: disabled vs 100 % vs 10 % "
                  "sampling, interleaved rounds, OTLP export to a real service");
  cmd->add_option("--frames", options->frames, "Frames per round and mode")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--rounds", options->rounds, "Rounds; each runs every mode once (A/B/C)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  cmd->add_option("--queue-depth", options->queue_depth, "Frames the queue between the two threads holds")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}))
      ->capture_default_str();
  cmd->add_option("--endpoint", options->endpoint,
                  "OTLP/HTTP endpoint (base URL or .../v1/traces); default: an in-process service on free loopback "
                  "ports with a temporary store");
  cmd->add_flag("--json", options->json, "Print the figures as JSON");
  cmd->footer(
      "Overhead: per round, 1 - frames/s(mode) / frames/s(disabled) of the same round; mean with a 95 % Student-t\n"
      "interval over the rounds. CPU us/frame: producer + worker threads; process CPU adds the export thread (and the\n"
      "in-process service). Exit 1 when the disabled mode started a span, a frame was lost, or the store disagrees.");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("bench pipeline", frame_tracking::cli::setup);

#endif  // FRAME_TRACKING_HAS_OTLP && FRAME_TRACKING_HAS_STORE
