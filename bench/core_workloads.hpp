// SPDX-License-Identifier: Apache-2.0
// The tracing core's benchmark workloads, shared by bench/bench_core.cpp and `frame-tracking bench micro` (header-only).
#pragma once

#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traceparent.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace frame_tracking::bench {

/// Accepts and discards every batch, so span benchmarks measure the SDK, not an exporter.
class NullExporter final : public SpanExporter {
 public:
  ExportResult export_batch(std::span<const SpanData* const>) noexcept override { return ExportResult::kSuccess; }
  bool shutdown(std::chrono::microseconds) noexcept override { return true; }
};

/// How a benchmarked span is started: sampled into a BatchSpanProcessor, dropped by the sampler,
/// or under a disabled SDK (OTEL_SDK_DISABLED=true).
enum class SpanMode { kSampled, kUnsampled, kDisabled };

/// Queue of the sampled provider's BatchSpanProcessor: a caller that flushes at least every
/// kSampledQueueSize spans never sees a drop.
inline constexpr std::size_t kSampledQueueSize = 8192;

/// A provider for `mode`: AlwaysOn/AlwaysOff sampler over a BatchSpanProcessor with a NullExporter
/// (queue kSampledQueueSize, batches of 512, 5 ms delay), or TracerProvider::create_disabled().
/// The sampled provider's span pool covers a full queue plus two batches in flight.
inline std::unique_ptr<TracerProvider> make_span_provider(SpanMode mode) {
  if (mode == SpanMode::kDisabled) return TracerProvider::create_disabled();
  BatchSpanProcessorOptions batch;
  batch.max_queue_size = kSampledQueueSize;
  batch.max_export_batch_size = 512;
  batch.schedule_delay = std::chrono::milliseconds(5);
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", std::string("bench")}});
  options.sampler = mode == SpanMode::kSampled ? make_always_on_sampler() : make_always_off_sampler();
  options.processors.push_back(std::make_unique<BatchSpanProcessor>(std::make_unique<NullExporter>(), batch));
  options.span_pool_size = mode == SpanMode::kSampled ? batch.max_queue_size + 2 * batch.max_export_batch_size + 1024 : 0;
  return std::make_unique<TracerProvider>(std::move(options));
}

/// The budget's span operation: start "decode_frame", set 3 attributes (a string, two integers), end.
inline void span_with_three_attributes(const Tracer& tracer, const StartSpanOptions& options) noexcept {
  Span span = tracer.start_span("decode_frame", options);
  span.set_attribute("camera.id", "cam-01");
  span.set_attribute("frame.sequence", std::int64_t{12345});
  span.set_attribute("frame.size_bytes", std::int64_t{6220800});
  span.end();
}

/// A valid, unsampled parent (a stage of a frame the sampler left out), with the W3C random flag.
inline Context unsampled_parent() {
  SpanContext unsampled;
  unsampled.trace_id = *TraceId::from_hex("019ad4a1b2c37000bf7fffffffffffff");
  unsampled.span_id = *SpanId::from_hex("b7ad6b7169203331");
  unsampled.trace_flags.value = TraceFlags::kRandom;
  return Context{unsampled, {}};
}

inline constexpr std::string_view kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
inline constexpr std::string_view kTracestate = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

/// What one hop carries: traceparent, a two-member tracestate and one baggage entry.
inline Context propagated_context() {
  Context context;
  context.span_context = *parse_traceparent(kTraceparent);
  context.span_context.trace_state = *TraceState::parse(kTracestate);
  context.baggage.set("camera.id", "cam-01");
  return context;
}

/// One hop through `propagator`: inject `context` into fresh message headers, extract it on the other side.
inline Context inject_extract(const TextMapPropagator& propagator, const Context& context) {
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  propagator.inject(context, carrier);
  return propagator.extract(carrier, Context{});
}

/// A typical frame's metadata record (1080p h264, traceparent + tracestate, one extra attribute).
inline FrameMetadata typical_metadata() {
  FrameMetadata m;
  m.frame_id = FrameId::generate();
  m.camera_id = "cam-entrance-01";
  m.sequence = 123456;
  m.capture_time_unix_ns = 1764489600123456789;
  m.pts = 900900;
  m.width = 1920;
  m.height = 1080;
  m.format = "h264";
  m.size_bytes = 48213;
  m.traceparent = std::string(kTraceparent);
  m.tracestate = std::string(kTracestate);
  m.attributes = {{"site", "berlin-2"}};
  return m;
}

}  // namespace frame_tracking::bench
