// SPDX-License-Identifier: Apache-2.0
// `frame-tracking generate`: synthetic frames traced through the instrumented path (Tracer, batch processor,
// OTLP exporter) into a running service; prints their FrameIds.
#include "command.hpp"
#include "otlp/cli_tracing.hpp"

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/traced_messaging.hpp"
#include "frame_tracking/traceparent.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace frame_tracking::cli {
namespace {

struct GenerateOptions {
  std::uint64_t count = 100;
  std::string endpoint;
  std::string at;
  std::string camera_id = "synthetic-cam";
  int flush_timeout_s = 30;
};

/// The synthetic journey of one frame, as offsets from its capture time (µs): every stage is a
/// child of the root `capture_frame`.
struct SyntheticStage {
  const char* name;
  std::int64_t start_us;
  std::int64_t duration_us;
};
constexpr SyntheticStage kStages[] = {{"decode_frame", 100, 2'000}, {"detect", 2'200, 5'000}, {"store_frame", 7'400, 800}};
constexpr std::int64_t kFrameDurationUs = 8'400;
constexpr std::int64_t kFrameIntervalUs = 40'000;  // 25 fps

/// Parses --at: RFC 3339 UTC `YYYY-MM-DDTHH:MM:SS[.fff]Z`, or `-N{s,m,h,d}` relative to now.
/// Returns Unix ms, or an error message naming the rule.
std::optional<std::int64_t> parse_at(const std::string& text, std::string& error) {
  using namespace std::chrono;
  const std::int64_t now_ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  if (!text.empty() && text[0] == '-') {
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text.substr(1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    const std::string unit = text.substr(1 + used);
    const std::int64_t scale = unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : unit == "d" ? 86'400'000 : 0;
    if (used == 0 || scale == 0 || value < 0) {
      error = "--at '" + text + "': a relative time is -N followed by s, m, h or d (e.g. -25h)";
      return std::nullopt;
    }
    return now_ms - value * scale;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
      consumed != 19) {
    error = "--at '" + text + "': expected YYYY-MM-DDTHH:MM:SS[.fff]Z (UTC) or -N{s,m,h,d}";
    return std::nullopt;
  }
  std::string rest = text.substr(19);
  std::int64_t millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    std::size_t i = 1;
    std::int64_t scale = 100;
    for (; i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])); ++i, scale /= 10) millis += (rest[i] - '0') * scale;
    rest = rest.substr(i);
  }
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (rest != "Z" || !ymd.ok() || h > 23 || mi > 59 || s > 60) {
    error = "--at '" + text + "': not a valid UTC time (expected e.g. 2026-11-29T08:00:00Z)";
    return std::nullopt;
  }
  return duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count() + ((h * 60LL + mi) * 60 + s) * 1000 + millis;
}

int run(const GenerateOptions& options) {
  std::optional<std::int64_t> at_ms;
  if (!options.at.empty()) {
    std::string error;
    at_ms = parse_at(options.at, error);
    if (!at_ms) {
      std::cerr << "generate: " << error << "\n";
      return 2;
    }
  }
  CliTracing tracing = make_cli_tracing("frame-tracking-generate", options.endpoint);
  const Tracer tracer = tracing.provider->get_tracer("frame_tracking.generate", FRAME_TRACKING_VERSION);

  // With --at, the ids carry that time (frame i at at + i·40 ms) and so do the spans; otherwise now.
  std::int64_t next_ms = at_ms.value_or(0);
  FrameIdGenerator ids = at_ms ? FrameIdGenerator([&next_ms] { return static_cast<std::uint64_t>(next_ms); })
                               : FrameIdGenerator();
  const auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  std::uint64_t spans = 0;
  for (std::uint64_t i = 0; i < options.count; ++i) {
    const std::int64_t start_ns = at_ms ? (*at_ms + static_cast<std::int64_t>(i) * kFrameIntervalUs / 1000) * 1'000'000 : now_ns();
    next_ms = start_ns / 1'000'000;
    FrameMetadata metadata;
    metadata.frame_id = ids.generate();
    metadata.camera_id = options.camera_id;
    metadata.sequence = i;
    metadata.capture_time_unix_ns = start_ns;
    metadata.pts = static_cast<std::int64_t>(i) * 3600;
    metadata.width = 640;
    metadata.height = 480;
    metadata.format = "synthetic";
    metadata.size_bytes = 12'000;

    Span root = tracer.start_span("capture_frame", {.new_root = true,
                                                    .trace_id = metadata.frame_id.to_trace_id(),
                                                    .start_time_unix_ns = static_cast<std::uint64_t>(start_ns)});
    set_frame_attributes(root, metadata);
    root.set_attribute("pipeline.stage", "capture");
    const Context parent{root.context(), {}};
    for (const auto& stage : kStages) {
      Span span = tracer.start_span(stage.name, {.parent = &parent,
                                                 .start_time_unix_ns = static_cast<std::uint64_t>(start_ns + stage.start_us * 1000)});
      set_frame_attributes(span, metadata);
      span.end(static_cast<std::uint64_t>(start_ns + (stage.start_us + stage.duration_us) * 1000));
      ++spans;
    }
    root.end(static_cast<std::uint64_t>(start_ns + kFrameDurationUs * 1000));
    ++spans;
    std::cout << metadata.frame_id.to_string() << "\n";
  }
  std::cout.flush();

  const bool flushed = tracing.provider->shutdown(std::chrono::seconds(options.flush_timeout_s));
  std::cerr << "generate: " << options.count << " frames, " << spans << " spans to " << tracing.endpoint;
  if (tracing.exporter != nullptr) {
    const otlp::OtlpExporterStats exported = tracing.exporter->stats();
    std::cerr << " — exported " << exported.exported_spans << ", failed " << exported.failed_spans << ", rejected "
              << exported.rejected_spans << "\n";
    if (!flushed || exported.exported_spans != spans) {
      std::cerr << "generate: not every span reached " << tracing.endpoint
                << (flushed ? "" : " (flush timed out)") << "; is the service running? (frame-tracking health)\n";
      return 1;
    }
  } else {
    std::cerr << " (no OTLP exporter: OTEL_TRACES_EXPORTER or OTEL_SDK_DISABLED turned it off)\n";
  }
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "Send synthetic traced frames to a running service and print their FrameIds");
  cmd->add_option("--count", options->count, "Frames to generate")->check(CLI::Range(1, 10'000'000))->capture_default_str();
  cmd->add_option("--endpoint", options->endpoint,
                  "OTLP/HTTP endpoint (base URL or .../v1/traces); default OTEL_EXPORTER_OTLP_ENDPOINT or http://localhost:4318");
  cmd->add_option("--at", options->at,
                  "Make the frames (ids and span times) at this time: 2026-11-29T08:00:00Z, or -25h / -90m / -2d from now");
  cmd->add_option("--camera-id", options->camera_id, "camera.id of the frames")->capture_default_str();
  cmd->add_option("--flush-timeout", options->flush_timeout_s, "Seconds to wait for the export at the end")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->footer(
      "Each frame is one trace (trace id = FrameId): capture_frame → decode_frame, detect, store_frame.\n"
      "Exit 1 when not every span was accepted by the endpoint.\n"
      "Example: frame-tracking generate --count 100 --endpoint http://127.0.0.1:4318 --at -25h");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("generate", frame_tracking::cli::setup);
