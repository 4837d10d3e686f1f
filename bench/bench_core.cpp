// SPDX-License-Identifier: Apache-2.0
// Benchmarks of frame_tracking::core against DESIGN.md's performance budget.
//
// This program replaces the global operator new/delete with counting versions (per thread), so
// every benchmark can report heap allocations per operation on its own thread. Sections below
// are independent; add new ones at the end.
#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traceparent.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>

namespace {
thread_local std::uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++t_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // new is malloc-based above, so free matches
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace {

// ======================================================================================
// Tracing core: span start + 3 attributes + end (sampled into the BatchSpanProcessor,
// unsampled, SDK disabled). Budget: ≤ 150 ns and 0 allocations sampled, ≤ 10 ns otherwise.
// ======================================================================================

using namespace frame_tracking;

/// Accepts and discards every batch (measures the SDK, not an exporter).
class NullExporter final : public SpanExporter {
 public:
  ExportResult export_batch(std::span<const SpanData* const>) noexcept override { return ExportResult::kSuccess; }
  bool shutdown(std::chrono::microseconds) noexcept override { return true; }
};

enum class Mode { kSampled, kUnsampled, kDisabled };

std::unique_ptr<TracerProvider> make_provider(Mode mode) {
  if (mode == Mode::kDisabled) return TracerProvider::create_disabled();
  BatchSpanProcessorOptions batch;
  batch.max_queue_size = 8192;
  batch.max_export_batch_size = 512;
  batch.schedule_delay = std::chrono::milliseconds(5);
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", std::string("bench")}});
  options.sampler = mode == Mode::kSampled ? make_always_on_sampler() : make_always_off_sampler();
  options.processors.push_back(std::make_unique<BatchSpanProcessor>(std::make_unique<NullExporter>(), batch));
  options.span_pool_size = mode == Mode::kSampled ? batch.max_queue_size + 2 * batch.max_export_batch_size + 1024 : 0;
  return std::make_unique<TracerProvider>(std::move(options));
}

// One provider per mode, shared by the benchmark's threads.
TracerProvider& provider(Mode mode) {
  static auto sampled = make_provider(Mode::kSampled);
  static auto unsampled = make_provider(Mode::kUnsampled);
  static auto disabled = make_provider(Mode::kDisabled);
  return mode == Mode::kSampled ? *sampled : mode == Mode::kUnsampled ? *unsampled : *disabled;
}

void span_with_three_attributes(benchmark::State& state, Mode mode, const Context* parent = nullptr) {
  TracerProvider& p = provider(mode);
  Tracer tracer = p.get_tracer("bench");
  const StartSpanOptions options{.parent = parent};
  const TracingStats before = p.collect();
  const std::uint64_t allocations_before = t_allocations;
  for (auto _ : state) {
    Span span = tracer.start_span("decode_frame", options);
    span.set_attribute("camera.id", "cam-01");
    span.set_attribute("frame.sequence", std::int64_t{12345});
    span.set_attribute("frame.size_bytes", std::int64_t{6220800});
    span.end();
    benchmark::DoNotOptimize(span);
  }
  const std::uint64_t allocations = t_allocations - allocations_before;
  state.counters["allocs_per_span"] =
      benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
  if (state.thread_index() == 0) {
    const TracingStats after = p.collect();
    state.counters["dropped"] = static_cast<double>(after.dropped_total() - before.dropped_total());
    state.counters["heap_fallbacks"] = static_cast<double>(after.pool_heap_fallbacks - before.pool_heap_fallbacks);
  }
}

void BM_SpanSampled(benchmark::State& state) { span_with_three_attributes(state, Mode::kSampled); }
void BM_SpanUnsampled(benchmark::State& state) { span_with_three_attributes(state, Mode::kUnsampled); }
void BM_SpanDisabled(benchmark::State& state) { span_with_three_attributes(state, Mode::kDisabled); }
// A stage of a frame that was not sampled: the parent is a valid, unsampled context.
void BM_SpanUnsampledChild(benchmark::State& state) {
  SpanContext unsampled;
  unsampled.trace_id = *TraceId::from_hex("019ad4a1b2c37000bf7fffffffffffff");
  unsampled.span_id = *SpanId::from_hex("b7ad6b7169203331");
  unsampled.trace_flags.value = TraceFlags::kRandom;
  const Context parent{unsampled, {}};
  span_with_three_attributes(state, Mode::kUnsampled, &parent);
}

BENCHMARK(BM_SpanSampled)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanUnsampled)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanUnsampledChild)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanDisabled)->Threads(1)->Threads(2)->UseRealTime();

// ======================================================================================
// Foundation: FrameId, traceparent, tracestate, propagation, FrameMetadata JSON.
// Budget: FrameId::generate ≤ 30 ns; traceparent parse ≤ 60 ns, format ≤ 40 ns.
// ======================================================================================

constexpr std::string_view kBenchTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr std::string_view kBenchTracestate = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

void report_allocations(benchmark::State& state, std::uint64_t allocations_before) {
  state.counters["allocs_per_op"] =
      benchmark::Counter(static_cast<double>(t_allocations - allocations_before) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

void BM_FrameIdGenerate(benchmark::State& state) {
  const std::uint64_t allocations_before = t_allocations;
  for (auto _ : state) benchmark::DoNotOptimize(FrameId::generate());
  report_allocations(state, allocations_before);
}

void BM_FrameIdToString(benchmark::State& state) {
  const FrameId id = FrameId::generate();
  char out[FrameId::kStringSize];
  for (auto _ : state) {
    id.write_string(out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
}

void BM_FrameIdParse(benchmark::State& state) {
  const std::string text = FrameId::generate().to_string();
  for (auto _ : state) benchmark::DoNotOptimize(FrameId::parse(text));
}

void BM_TraceparentParse(benchmark::State& state) {
  const std::uint64_t allocations_before = t_allocations;
  for (auto _ : state) benchmark::DoNotOptimize(parse_traceparent(kBenchTraceparent));
  report_allocations(state, allocations_before);
}

void BM_TraceparentFormat(benchmark::State& state) {
  const SpanContext context = *parse_traceparent(kBenchTraceparent);
  char out[kTraceparentSize];
  const std::uint64_t allocations_before = t_allocations;
  for (auto _ : state) {
    format_traceparent(context, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  report_allocations(state, allocations_before);
}

void BM_TracestateParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(TraceState::parse(kBenchTracestate));
}

// One hop: inject traceparent + tracestate + baggage into headers, extract them on the other side.
void BM_W3CInjectExtract(benchmark::State& state) {
  auto propagator = std::move(*propagator_from_names("tracecontext,baggage"));
  Context context;
  context.span_context = *parse_traceparent(kBenchTraceparent);
  context.span_context.trace_state = *TraceState::parse(kBenchTracestate);
  context.baggage.set("camera.id", "cam-01");
  for (auto _ : state) {
    std::map<std::string, std::string> headers;
    MapCarrier carrier(headers);
    propagator->inject(context, carrier);
    benchmark::DoNotOptimize(propagator->extract(carrier, Context{}));
  }
}

FrameMetadata bench_metadata() {
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
  m.traceparent = std::string(kBenchTraceparent);
  m.tracestate = std::string(kBenchTracestate);
  m.attributes = {{"site", "berlin-2"}};
  return m;
}

void BM_FrameMetadataToJson(benchmark::State& state) {
  const FrameMetadata m = bench_metadata();
  for (auto _ : state) benchmark::DoNotOptimize(m.to_json());
}

void BM_FrameMetadataFromJson(benchmark::State& state) {
  const std::string json = bench_metadata().to_json();
  for (auto _ : state) benchmark::DoNotOptimize(FrameMetadata::from_json(json));
}

BENCHMARK(BM_FrameIdGenerate)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_FrameIdToString);
BENCHMARK(BM_FrameIdParse);
BENCHMARK(BM_TraceparentParse);
BENCHMARK(BM_TraceparentFormat);
BENCHMARK(BM_TracestateParse);
BENCHMARK(BM_W3CInjectExtract);
BENCHMARK(BM_FrameMetadataToJson);
BENCHMARK(BM_FrameMetadataFromJson);

}  // namespace

BENCHMARK_MAIN();
