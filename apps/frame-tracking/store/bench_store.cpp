// SPDX-License-Identifier: Apache-2.0
// `frame-tracking bench store`: fill a SpanStore with frames' traces, report ingest spans/s and journey lookup latency.
#include "bench.hpp"
#include "command.hpp"

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/store/span_store.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <thread>
#include <unistd.h>

namespace frame_tracking::cli {
namespace {

namespace otlp_collector = opentelemetry::proto::collector::trace::v1;
namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;
using Clock = std::chrono::steady_clock;

struct BenchStoreOptions {
  std::uint64_t spans = 1'000'000;
  std::size_t frames_per_request = 100;
  std::size_t clients = 4;
  std::size_t lookups = 1000;
  std::string data_dir;
  bool keep = false;
  bool json = false;
};

/// The reference pipeline's spans of one frame (DESIGN.md "Spans of one frame"): name, kind, service index, parent index.
struct StageSpan {
  const char* name;
  int kind;
  int service;
  int parent;
};
constexpr StageSpan kStages[] = {
    {"capture_frame", 1, 0, -1}, {"decode_frame", 1, 0, 0}, {"send frames", 4, 0, 0},
    {"process frames", 5, 1, 2}, {"detect", 1, 1, 3},        {"send results", 4, 1, 3},
    {"process results", 5, 2, 5}, {"store_frame", 1, 2, 6}};
constexpr std::size_t kSpansPerFrame = std::size(kStages);
constexpr const char* kServices[] = {"capture", "processor", "storage"};

void add_attribute(google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* attributes, const char* key,
                   const std::string& value) {
  auto* kv = attributes->Add();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

void add_attribute(google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* attributes, const char* key, std::int64_t value) {
  auto* kv = attributes->Add();
  kv->set_key(key);
  kv->mutable_value()->set_int_value(value);
}

/// One OTLP request holding `frames` complete frame traces (3 resources, 8 spans per frame).
otlp_collector::ExportTraceServiceRequest frames_request(const std::vector<FrameId>& ids, std::uint64_t first_sequence,
                                                         std::uint64_t base_ns, std::mt19937_64& rng) {
  otlp_collector::ExportTraceServiceRequest request;
  otlp_trace::ScopeSpans* scopes[3];
  for (int s = 0; s < 3; ++s) {
    auto* rs = request.add_resource_spans();
    add_attribute(rs->mutable_resource()->mutable_attributes(), "service.name", kServices[s]);
    add_attribute(rs->mutable_resource()->mutable_attributes(), "host.name", "bench-host");
    scopes[s] = rs->add_scope_spans();
    scopes[s]->mutable_scope()->set_name("frame-tracking");
  }
  for (std::size_t f = 0; f < ids.size(); ++f) {
    std::string trace_id(reinterpret_cast<const char*>(ids[f].to_trace_id().bytes().data()), 16);
    std::string frame_text = ids[f].to_string();
    std::string span_ids[kSpansPerFrame];
    std::uint64_t start = base_ns + (first_sequence + f) * 40'000'000ULL;  // 25 fps
    for (std::size_t i = 0; i < kSpansPerFrame; ++i) {
      std::uint64_t random = rng() | 1;
      span_ids[i].assign(reinterpret_cast<const char*>(&random), 8);
      auto* span = scopes[kStages[i].service]->add_spans();
      span->set_trace_id(trace_id);
      span->set_span_id(span_ids[i]);
      if (kStages[i].parent >= 0) span->set_parent_span_id(span_ids[kStages[i].parent]);
      span->set_name(kStages[i].name);
      span->set_kind(static_cast<otlp_trace::Span::SpanKind>(kStages[i].kind));
      span->set_flags(0x101);
      span->set_start_time_unix_nano(start + i * 2'000'000ULL);
      span->set_end_time_unix_nano(start + i * 2'000'000ULL + 1'000'000ULL + rng() % 5'000'000ULL);
      add_attribute(span->mutable_attributes(), "frame.id", frame_text);
      add_attribute(span->mutable_attributes(), "camera.id", "cam-" + std::to_string((first_sequence + f) % 16));
      add_attribute(span->mutable_attributes(), "frame.sequence", static_cast<std::int64_t>(first_sequence + f));
      add_attribute(span->mutable_attributes(), "pipeline.stage", kStages[i].name);
    }
  }
  return request;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

int run(const BenchStoreOptions& options) {
  std::filesystem::path dir = options.data_dir.empty()
                                  ? std::filesystem::temp_directory_path() / ("frame-tracking-bench-" + std::to_string(::getpid()))
                                  : std::filesystem::path(options.data_dir);
  std::error_code ec;
  if (options.data_dir.empty()) std::filesystem::remove_all(dir, ec);
  store::SpanStoreOptions store_options;
  store_options.path = dir / "spans.db";
  store_options.retention = std::chrono::nanoseconds(0);
  auto opened = store::SpanStore::open(store_options);
  if (!opened) {
    std::cerr << "frame-tracking bench store: " << opened.error().message << "\n";
    return 1;
  }
  auto& span_store = **opened;

  const std::uint64_t frames = std::max<std::uint64_t>(1, options.spans / kSpansPerFrame);
  const std::uint64_t requests = (frames + options.frames_per_request - 1) / options.frames_per_request;
  std::vector<FrameId> ids(frames);
  for (auto& id : ids) id = FrameId::generate();
  const std::uint64_t base_ns = static_cast<std::uint64_t>(store::system_clock_unix_ns()) - frames * 40'000'000ULL;

  // Ingest from several clients at once (as the HTTP receiver does), each building its requests.
  std::atomic<std::uint64_t> next{0}, stored{0}, failed{0}, build_ns{0};
  auto ingest_start = Clock::now();
  std::vector<std::thread> clients;
  for (std::size_t c = 0; c < std::max<std::size_t>(1, options.clients); ++c) {
    clients.emplace_back([&, c] {
      std::mt19937_64 rng(c + 1);
      for (std::uint64_t r = next++; r < requests; r = next++) {
        std::uint64_t first = r * options.frames_per_request;
        std::uint64_t last = std::min<std::uint64_t>(frames, first + options.frames_per_request);
        auto t0 = Clock::now();
        auto request = frames_request(std::vector<FrameId>(ids.begin() + static_cast<std::ptrdiff_t>(first),
                                                           ids.begin() + static_cast<std::ptrdiff_t>(last)),
                                      first, base_ns, rng);
        build_ns += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
        auto result = span_store.ingest(request);
        if (result) stored += result->accepted_spans;
        else ++failed;
      }
    });
  }
  std::uint64_t progress_step = std::max<std::uint64_t>(1, requests / 10);
  for (std::uint64_t shown = progress_step; !options.json && shown < requests; shown += progress_step) {
    while (next < shown) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::fprintf(stderr, "\ringesting... %3llu%%", static_cast<unsigned long long>(shown * 100 / requests));
  }
  for (auto& t : clients) t.join();
  double ingest_s = std::chrono::duration<double>(Clock::now() - ingest_start).count();
  if (!options.json) std::fprintf(stderr, "\r                      \r");

  // Journey lookups: by FrameId (trace-by-id) and by the frame.id tag (search).
  std::mt19937_64 rng(42);
  std::vector<double> by_id_ms, by_tag_ms;
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < options.lookups; ++i) {
    const FrameId& id = ids[rng() % ids.size()];
    auto t0 = Clock::now();
    auto trace = span_store.find_trace(id.to_trace_id());
    by_id_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!trace || !trace->has_value() || (*trace)->span_count != kSpansPerFrame) ++mismatches;
    store::TraceQuery query;
    query.tags = {{"frame.id", id.to_string()}};
    query.limit = 1;
    t0 = Clock::now();
    auto found = span_store.search(query);
    by_tag_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!found || found->size() != 1 || (*found)[0].span_count != kSpansPerFrame) ++mismatches;
  }
  auto stats = span_store.stats();
  span_store.close();
  double spans_per_s = static_cast<double>(stored) / ingest_s;
  // The writer's own CPU time gives the rate one core sustains, whatever else runs on the machine.
  double writer_rate = stats.writer_cpu_ns > 0 ? static_cast<double>(stored) * 1e9 / static_cast<double>(stats.writer_cpu_ns) : 0;

  if (options.json) {
    nlohmann::ordered_json out = {
        {"spans", stored.load()},
        {"frames", frames},
        {"clients", options.clients},
        {"spans_per_request", options.frames_per_request * kSpansPerFrame},
        {"ingest_seconds", ingest_s},
        {"ingest_spans_per_second", spans_per_s},
        {"writer_cpu_seconds", static_cast<double>(stats.writer_cpu_ns) / 1e9},
        {"writer_spans_per_cpu_second", writer_rate},
        {"request_build_seconds_total", static_cast<double>(build_ns.load()) / 1e9},
        {"failed_requests", failed.load()},
        {"lookups", options.lookups},
        {"by_frame_id_ms", {{"p50", percentile(by_id_ms, 0.5)}, {"p99", percentile(by_id_ms, 0.99)}}},
        {"by_frame_id_tag_ms", {{"p50", percentile(by_tag_ms, 0.5)}, {"p99", percentile(by_tag_ms, 0.99)}}},
        {"lookup_mismatches", mismatches},
        {"store_file_bytes", stats.file_bytes},
    };
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("store bench: %llu spans (%llu frames x %zu spans), %zu clients, %zu spans per request\n",
                static_cast<unsigned long long>(stored.load()), static_cast<unsigned long long>(frames), kSpansPerFrame,
                options.clients, options.frames_per_request * kSpansPerFrame);
    std::printf("  ingest                 %10.0f spans/s  (%.2f s, incl. %.2f s building requests across clients)\n",
                spans_per_s, ingest_s, static_cast<double>(build_ns.load()) / 1e9);
    std::printf("  writer                 %10.0f spans per CPU second of the writer thread (%.2f s CPU)\n",
                writer_rate, static_cast<double>(stats.writer_cpu_ns) / 1e9);
    std::printf("  journey by FrameId     p50 %7.3f ms   p99 %7.3f ms  (%zu lookups)\n", percentile(by_id_ms, 0.5),
                percentile(by_id_ms, 0.99), options.lookups);
    std::printf("  journey by frame.id    p50 %7.3f ms   p99 %7.3f ms\n", percentile(by_tag_ms, 0.5),
                percentile(by_tag_ms, 0.99));
    std::printf("  store size             %.1f MB, failed requests %llu, lookup mismatches %zu\n",
                static_cast<double>(stats.file_bytes) / 1e6, static_cast<unsigned long long>(failed.load()), mismatches);
  }
  if (!options.keep && options.data_dir.empty()) std::filesystem::remove_all(dir, ec);
  return failed == 0 && mismatches == 0 ? 0 : 1;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BenchStoreOptions>();
  CLI::App* cmd = bench_command(app).add_subcommand(
      "store", "Fill a span store with frames' traces; report ingest spans/s and journey lookup p50/p99");
  cmd->add_option("--spans", options->spans, "Spans to ingest (8 per frame)")->capture_default_str();
  cmd->add_option("--frames-per-request", options->frames_per_request, "Frames per OTLP request")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  cmd->add_option("--clients", options->clients, "Concurrent ingest clients")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
      ->capture_default_str();
  cmd->add_option("--lookups", options->lookups, "Journey lookups of random frames")->capture_default_str();
  cmd->add_option("--data-dir", options->data_dir, "Store directory (default: a temporary one, removed afterwards)");
  cmd->add_flag("--keep", options->keep, "Keep the temporary store");
  cmd->add_flag("--json", options->json, "Print the figures as JSON");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("bench store", frame_tracking::cli::setup);
