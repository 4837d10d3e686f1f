// SPDX-License-Identifier: Apache-2.0
// Example (otlp): a camera service that exports its frames' spans over OTLP/HTTP, configured by OTEL_* variables.
//
// Run it next to `frame-tracking serve` (or an OpenTelemetry Collector):
//   OTEL_SERVICE_NAME=camera-service OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 ./otlp_service
// OTEL_SDK_DISABLED=true turns tracing off without touching the code.
#include <frame_tracking/frame_tracker.hpp>
#include <frame_tracking/otlp/otlp_tracer_provider.hpp>

#include <cstdint>
#include <iostream>

using namespace frame_tracking;

int main() {
  // guide:begin otlp-setup
  // Reads OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_*, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_SDK_DISABLED, ...
  // A bad value is reported once on stderr, naming the variable, and its default is used.
  auto provider = otlp::create_otlp_tracer_provider_from_env();
  FrameTracker tracker(provider->get_tracer("camera-service", "1.0"));

  for (std::uint64_t sequence = 0; sequence < 3; ++sequence) {
    Frame frame = tracker.begin_frame({.camera_id = "cam-1", .sequence = sequence, .width = 1920, .height = 1080});
    { Span decode = frame.stage("decode_frame"); /* decode */ }
    if (sequence == 2) {
      frame.drop("queue_full");  // ends the journey with a frame.dropped event; counted, never silent
      continue;
    }
    frame.end();
  }
  provider->shutdown();  // flushes the batch queue (bounded by OTEL_BSP_EXPORT_TIMEOUT)
  // guide:end otlp-setup

  TracingStats stats = provider->collect();
  std::cout << "traced 3 frames: " << stats.spans_started << " spans started, " << stats.dropped_total()
            << " dropped\n";
  return 0;
}
