// SPDX-License-Identifier: Apache-2.0
// `frame-tracking bench micro`: per-operation medians of the tracing core's hot operations next to DESIGN.md's budget.
#include "allocation_counter.hpp"
#include "bench.hpp"
#include "command.hpp"
#include "core_workloads.hpp"

#include "frame_tracking/frame_id.hpp"

#if FRAME_TRACKING_HAS_OTLP
#include "frame_tracking/otlp/otlp_protobuf.hpp"
#include "otlp_corpus.hpp"
#endif

#include <nlohmann/json.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace frame_tracking::cli {
namespace {

struct BenchMicroOptions {
  std::size_t repetitions = 15;
  bool json = false;
};

/// Keeps `value` (and everything it was computed from) alive for the optimiser.
template <typename T>
inline void keep(const T& value) noexcept {
  asm volatile("" : : "r"(&value) : "memory");
}

std::uint64_t thread_cpu_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// One operation of the budget table and how to time it.
struct Row {
  std::string name;
  /// Budget per operation, ns; empty when DESIGN.md sets none for it.
  std::optional<double> budget_ns;
  /// Heap allocations per operation allowed (the sampled span's "0 heap allocations").
  std::optional<double> budget_allocations;
  /// Runs the operation `n` times.
  std::function<void(std::size_t n)> run;
  /// Operations per run(1) call (a batch encode counts its spans).
  std::size_t ops_per_call = 1;
  /// Calls per repetition; 0 = calibrated to about 20 ms of CPU time.
  std::size_t calls = 0;
  /// Called between repetitions, untimed (flushes the span queue).
  std::function<void()> between{};
};

struct RowResult {
  double median_ns = 0;
  double min_ns = 0;
  double wall_median_ns = 0;
  double allocations_per_op = 0;
  bool over = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

RowResult measure(Row& row, std::size_t repetitions) {
  std::size_t calls = row.calls;
  if (calls == 0) {  // calibrate: grow until one run takes ≥ 20 ms of CPU time
    calls = 1;
    for (;;) {
      const std::uint64_t t0 = thread_cpu_ns();
      row.run(calls);
      const std::uint64_t elapsed = thread_cpu_ns() - t0;
      if (row.between) row.between();
      if (elapsed >= 20'000'000 || calls >= (std::size_t{1} << 30)) break;
      calls *= elapsed < 2'000'000 ? 8 : 2;
    }
  } else {
    row.run(calls);  // warm up
    if (row.between) row.between();
  }
  std::vector<double> cpu, wall;
  std::uint64_t allocations = 0;
  const double ops = static_cast<double>(calls * row.ops_per_call);
  for (std::size_t r = 0; r < repetitions; ++r) {
    const std::uint64_t a0 = bench::thread_allocations();
    const auto w0 = std::chrono::steady_clock::now();
    const std::uint64_t c0 = thread_cpu_ns();
    row.run(calls);
    const std::uint64_t c1 = thread_cpu_ns();
    const auto w1 = std::chrono::steady_clock::now();
    allocations += bench::thread_allocations() - a0;
    cpu.push_back(static_cast<double>(c1 - c0) / ops);
    wall.push_back(std::chrono::duration<double, std::nano>(w1 - w0).count() / ops);
    if (row.between) row.between();
  }
  RowResult result;
  result.median_ns = median(cpu);
  result.min_ns = *std::min_element(cpu.begin(), cpu.end());
  result.wall_median_ns = median(wall);
  result.allocations_per_op = static_cast<double>(allocations) / (ops * static_cast<double>(repetitions));
  result.over = (row.budget_ns && result.median_ns > *row.budget_ns) ||
                (row.budget_allocations && result.allocations_per_op > *row.budget_allocations);
  return result;
}

std::string budget_text(const Row& row) {
  if (!row.budget_ns) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "<= %.0f", *row.budget_ns);
  std::string text = buf;
  if (row.budget_allocations) text += ", 0 alloc";
  return text;
}

int run(const BenchMicroOptions& options) {
  auto sampled = bench::make_span_provider(bench::SpanMode::kSampled);
  auto unsampled = bench::make_span_provider(bench::SpanMode::kUnsampled);
  auto disabled = bench::make_span_provider(bench::SpanMode::kDisabled);
  const Tracer sampled_tracer = sampled->get_tracer("bench");
  const Tracer unsampled_tracer = unsampled->get_tracer("bench");
  const Tracer disabled_tracer = disabled->get_tracer("bench");
  const Context unsampled_parent = bench::unsampled_parent();
  const SpanContext parsed = *parse_traceparent(bench::kTraceparent);
  const auto propagator = std::move(*propagator_from_names("tracecontext,baggage"));
  const Context propagated = bench::propagated_context();
  const StartSpanOptions root_options{};
  const StartSpanOptions child_options{.parent = &unsampled_parent};

  auto spans = [](const Tracer& tracer, const StartSpanOptions& start) {
    return [&tracer, &start](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) bench::span_with_three_attributes(tracer, start);
    };
  };
  std::vector<Row> rows;
  rows.push_back({"FrameId::generate", 30, std::nullopt, [](std::size_t n) {
                    for (std::size_t i = 0; i < n; ++i) keep(FrameId::generate());
                  }});
  rows.push_back({"traceparent parse", 60, std::nullopt, [](std::size_t n) {
                    for (std::size_t i = 0; i < n; ++i) keep(parse_traceparent(bench::kTraceparent));
                  }});
  rows.push_back({"traceparent format", 40, std::nullopt, [&parsed](std::size_t n) {
                    char out[kTraceparentSize];
                    for (std::size_t i = 0; i < n; ++i) {
                      format_traceparent(parsed, out);
                      keep(out);
                    }
                  }});
  // Sampled spans go into the batch queue: flush between repetitions so none is ever dropped.
  rows.push_back({"sampled span: start + 3 attributes + end", 150, 0, spans(sampled_tracer, root_options), 1,
                  bench::kSampledQueueSize / 2, [&] { sampled->force_flush(); }});
  rows.push_back({"unsampled span, new root (incl. FrameId)", 10, std::nullopt, spans(unsampled_tracer, root_options)});
  rows.push_back({"unsampled span, child of unsampled frame", 10, std::nullopt, spans(unsampled_tracer, child_options)});
  rows.push_back({"disabled span (OTEL_SDK_DISABLED=true)", 10, std::nullopt, spans(disabled_tracer, root_options)});
  rows.push_back({"W3C inject + extract (tp, ts, baggage)", std::nullopt, std::nullopt,
                  [&](std::size_t n) {
                    for (std::size_t i = 0; i < n; ++i) keep(bench::inject_extract(*propagator, propagated));
                  }});
#if FRAME_TRACKING_HAS_OTLP
  constexpr std::size_t kBatch = 512;  // OTEL_BSP_MAX_EXPORT_BATCH_SIZE default
  const auto corpus = testing::make_typical_spans(kBatch);
  const auto batch = corpus.batch();
  std::string encoded;
  // DESIGN: export (encode + send over loopback) ≥ 500 000 spans/s on one core = ≤ 2000 ns per span.
  rows.push_back({"OTLP protobuf encode, per span (batch 512)", 2000, std::nullopt,
                  [&](std::size_t n) {
                    for (std::size_t i = 0; i < n; ++i) {
                      encoded.clear();
                      otlp::append_otlp_protobuf(batch, encoded);
                      keep(encoded);
                    }
                  },
                  kBatch});
#endif

  const TracingStats sampled_before = sampled->collect();
  nlohmann::ordered_json json_rows = nlohmann::ordered_json::array();
  if (!options.json) {
    std::printf("bench micro: median of %zu repetitions, thread CPU ns per operation (wall-clock median beside it)\n",
                options.repetitions);
    std::printf("  %-44s %9s %9s %9s  %-16s %-7s %s\n", "operation", "median", "min", "wall", "budget ns", "verdict",
                "allocs/op");
  }
  std::size_t over = 0;
  for (auto& row : rows) {
    const RowResult r = measure(row, options.repetitions);
    const char* verdict = !row.budget_ns ? "-" : r.over ? "OVER" : "OK";
    if (r.over) ++over;
    if (options.json) {
      nlohmann::ordered_json j = {{"operation", row.name},
                                  {"median_ns", r.median_ns},
                                  {"min_ns", r.min_ns},
                                  {"wall_median_ns", r.wall_median_ns},
                                  {"allocations_per_op", r.allocations_per_op}};
      j["budget_ns"] = row.budget_ns ? nlohmann::ordered_json(*row.budget_ns) : nlohmann::ordered_json(nullptr);
      j["verdict"] = verdict;
      json_rows.push_back(std::move(j));
    } else {
      std::printf("  %-44s %9.1f %9.1f %9.1f  %-16s %-7s %.2f\n", row.name.c_str(), r.median_ns, r.min_ns,
                  r.wall_median_ns, budget_text(row).c_str(), verdict, r.allocations_per_op);
    }
  }
  sampled->force_flush();
  const TracingStats sampled_after = sampled->collect();
  const std::uint64_t dropped = sampled_after.dropped_total() - sampled_before.dropped_total();
  const std::uint64_t fallbacks = sampled_after.pool_heap_fallbacks - sampled_before.pool_heap_fallbacks;
  if (options.json) {
    nlohmann::ordered_json out = {
        {"method", "median over repetitions of the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID) per operation"},
        {"repetitions", options.repetitions},
        {"operations", json_rows},
        {"over_budget", over},
        {"sampled_spans_dropped", dropped},
        {"span_pool_heap_fallbacks", fallbacks}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("  %zu over budget; sampled spans dropped %llu, span pool heap fallbacks %llu\n", over,
                static_cast<unsigned long long>(dropped), static_cast<unsigned long long>(fallbacks));
    std::printf("  (service ingest: `bench store`; pipeline overhead: `bench pipeline`)\n");
  }
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BenchMicroOptions>();
  CLI::App* cmd = bench_command(app).add_subcommand(
      "micro", "Per-operation medians of the tracing hot path (ids, traceparent, spans, propagation, OTLP encode) "
               "next to DESIGN.md's budget");
  cmd->add_option("--repetitions", options->repetitions, "Timed repetitions per operation (the median is reported)")
      ->check(CLI::Range(std::size_t{3}, std::size_t{1000}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Print the figures as JSON");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("bench micro", frame_tracking::cli::setup);
