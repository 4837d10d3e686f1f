// SPDX-License-Identifier: Apache-2.0
// Benchmarks of frame_tracking::core against DESIGN.md's performance budget.
//
// Heap allocations per operation come from bench/allocation_counter.cpp (linked in), counted per
// thread. The workloads are shared with `frame-tracking bench micro` (core_workloads.hpp).
// Sections below are independent; add new ones at the end.
#include "allocation_counter.hpp"
#include "core_workloads.hpp"

#include "frame_tracking/frame_id.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace {

// ======================================================================================
// Tracing core: span start + 3 attributes + end (sampled into the BatchSpanProcessor,
// unsampled, SDK disabled). Budget: ≤ 150 ns and 0 allocations sampled, ≤ 10 ns otherwise.
// ======================================================================================

using namespace frame_tracking;
using bench::SpanMode;
using bench::thread_allocations;

// One provider per mode, shared by the benchmark's threads.
TracerProvider& provider(SpanMode mode) {
  static auto sampled = bench::make_span_provider(SpanMode::kSampled);
  static auto unsampled = bench::make_span_provider(SpanMode::kUnsampled);
  static auto disabled = bench::make_span_provider(SpanMode::kDisabled);
  return mode == SpanMode::kSampled ? *sampled : mode == SpanMode::kUnsampled ? *unsampled : *disabled;
}

void span_with_three_attributes(benchmark::State& state, SpanMode mode, const Context* parent = nullptr) {
  TracerProvider& p = provider(mode);
  Tracer tracer = p.get_tracer("bench");
  const StartSpanOptions options{.parent = parent};
  const TracingStats before = p.collect();
  const std::uint64_t allocations_before = thread_allocations();
  for (auto _ : state) {
    bench::span_with_three_attributes(tracer, options);
    benchmark::ClobberMemory();
  }
  const std::uint64_t allocations = thread_allocations() - allocations_before;
  state.counters["allocs_per_span"] =
      benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
  if (state.thread_index() == 0) {
    const TracingStats after = p.collect();
    state.counters["dropped"] = static_cast<double>(after.dropped_total() - before.dropped_total());
    state.counters["heap_fallbacks"] = static_cast<double>(after.pool_heap_fallbacks - before.pool_heap_fallbacks);
  }
}

void BM_SpanSampled(benchmark::State& state) { span_with_three_attributes(state, SpanMode::kSampled); }
void BM_SpanUnsampled(benchmark::State& state) { span_with_three_attributes(state, SpanMode::kUnsampled); }
void BM_SpanDisabled(benchmark::State& state) { span_with_three_attributes(state, SpanMode::kDisabled); }
// A stage of a frame that was not sampled: the parent is a valid, unsampled context.
void BM_SpanUnsampledChild(benchmark::State& state) {
  const Context parent = bench::unsampled_parent();
  span_with_three_attributes(state, SpanMode::kUnsampled, &parent);
}

BENCHMARK(BM_SpanSampled)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanUnsampled)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanUnsampledChild)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SpanDisabled)->Threads(1)->Threads(2)->UseRealTime();

// ======================================================================================
// Foundation: FrameId, traceparent, tracestate, propagation, FrameMetadata JSON.
// Budget: FrameId::generate ≤ 30 ns; traceparent parse ≤ 60 ns, format ≤ 40 ns.
// ======================================================================================

void report_allocations(benchmark::State& state, std::uint64_t allocations_before) {
  state.counters["allocs_per_op"] =
      benchmark::Counter(static_cast<double>(thread_allocations() - allocations_before) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

void BM_FrameIdGenerate(benchmark::State& state) {
  const std::uint64_t allocations_before = thread_allocations();
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
  const std::uint64_t allocations_before = thread_allocations();
  for (auto _ : state) benchmark::DoNotOptimize(parse_traceparent(bench::kTraceparent));
  report_allocations(state, allocations_before);
}

void BM_TraceparentFormat(benchmark::State& state) {
  const SpanContext context = *parse_traceparent(bench::kTraceparent);
  char out[kTraceparentSize];
  const std::uint64_t allocations_before = thread_allocations();
  for (auto _ : state) {
    format_traceparent(context, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  report_allocations(state, allocations_before);
}

void BM_TracestateParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(TraceState::parse(bench::kTracestate));
}

// One hop: inject traceparent + tracestate + baggage into headers, extract them on the other side.
void BM_W3CInjectExtract(benchmark::State& state) {
  const auto propagator = std::move(*propagator_from_names("tracecontext,baggage"));
  const Context context = bench::propagated_context();
  for (auto _ : state) benchmark::DoNotOptimize(bench::inject_extract(*propagator, context));
}

void BM_FrameMetadataToJson(benchmark::State& state) {
  const FrameMetadata m = bench::typical_metadata();
  for (auto _ : state) benchmark::DoNotOptimize(m.to_json());
}

void BM_FrameMetadataFromJson(benchmark::State& state) {
  const std::string json = bench::typical_metadata().to_json();
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
