// SPDX-License-Identifier: Apache-2.0
// OTLP export throughput: encoding alone, and encode + send over loopback to a cpp-httplib receiver,
// protobuf and JSON, with and without gzip (spans/s; DESIGN budget: ≥ 500 000 spans/s protobuf, no gzip).
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/otlp/otlp_protobuf.hpp"
#include "frame_tracking/otlp_json.hpp"
#include "otlp_corpus.hpp"
#include "otlp_receiver.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace frame_tracking;

constexpr std::size_t kBatch = 512;  // OTEL_BSP_MAX_EXPORT_BATCH_SIZE default

void BM_EncodeProtobuf(benchmark::State& state) {
  const auto corpus = testing::make_typical_spans(kBatch);
  const auto batch = corpus.batch();
  std::string out;
  for (auto _ : state) {
    out.clear();
    otlp::append_otlp_protobuf(batch, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  state.counters["bytes/span"] = static_cast<double>(out.size()) / kBatch;
}
BENCHMARK(BM_EncodeProtobuf);

void BM_EncodeJson(benchmark::State& state) {
  const auto corpus = testing::make_typical_spans(kBatch);
  const auto batch = corpus.batch();
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_otlp_json(batch, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  state.counters["bytes/span"] = static_cast<double>(out.size()) / kBatch;
}
BENCHMARK(BM_EncodeJson);

// One export_batch per iteration: encode, (gzip,) POST over a kept-alive loopback connection, wait
// for the 200. The receiver runs on its own thread and only counts bytes.
void BM_ExportLoopback(benchmark::State& state) {
  const auto corpus = testing::make_typical_spans(kBatch);
  const auto batch = corpus.batch();
  testing::OtlpTestReceiver receiver(0, /*record=*/false);
  otlp::OtlpHttpExporterOptions options;
  options.endpoint = receiver.traces_url();
  options.protocol = state.range(0) == 0 ? otlp::OtlpProtocol::kHttpProtobuf : otlp::OtlpProtocol::kHttpJson;
  options.compression = state.range(1) == 0 ? otlp::OtlpCompression::kNone : otlp::OtlpCompression::kGzip;
  otlp::OtlpHttpExporter exporter(options);
  for (auto _ : state) {
    if (exporter.export_batch(batch) != ExportResult::kSuccess) state.SkipWithError("export failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  const auto stats = exporter.stats();
  state.counters["wire_bytes/span"] = static_cast<double>(stats.bytes_sent) / static_cast<double>(stats.requests * kBatch);
  state.SetLabel(std::string(state.range(0) == 0 ? "protobuf" : "json") + (state.range(1) == 0 ? "" : "+gzip"));
}
BENCHMARK(BM_ExportLoopback)->ArgsProduct({{0, 1}, {0, 1}})->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
