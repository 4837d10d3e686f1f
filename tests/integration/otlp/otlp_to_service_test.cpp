// SPDX-License-Identifier: Apache-2.0
// The exporter against the project's own receiver (the service behind `frame-tracking serve`):
// what the store keeps equals the records, in both encodings.
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/store/service.hpp"
#include "otlp_corpus.hpp"
#include "otlp_decode.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

namespace frame_tracking::otlp {
namespace {

class OtlpToServiceTest : public ::testing::TestWithParam<OtlpProtocol> {};

TEST_P(OtlpToServiceTest, StoredSpansEqualTheRecords) {
  const bool json = GetParam() == OtlpProtocol::kHttpJson;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ft-otlp-service-" + std::to_string(::getpid()) + (json ? "-json" : "-protobuf"));
  std::filesystem::remove_all(dir);
  store::ServiceOptions service_options;
  service_options.otlp_port = service_options.query_port = service_options.admin_port = 0;
  service_options.store.path = dir / "spans.db";
  // The corpus is dated 2025-11-30; keep it inside the retention window.
  service_options.store.clock = [] { return std::int64_t{1764460800} * 1'000'000'000 + 3'600'000'000'000; };
  service_options.log = [](std::string_view) {};
  auto service = store::Service::start(service_options);
  ASSERT_TRUE(service.has_value()) << service.error().message;

  const auto corpus = testing::make_otlp_corpus();
  OtlpHttpExporterOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string((*service)->otlp_port()) + "/v1/traces";
  options.protocol = GetParam();
  {
    OtlpHttpExporter exporter(options);
    ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
    EXPECT_EQ(exporter.stats().exported_spans, corpus.spans.size());
    EXPECT_EQ(exporter.stats().rejected_spans, 0U);
  }  // closes the kept-alive connection, so stop() need not wait for it

  testing::PbRequest stored;
  std::set<TraceId> trace_ids;
  for (const auto& span : corpus.spans) trace_ids.insert(span->context.trace_id);
  for (const TraceId& id : trace_ids) {
    auto trace = (*service)->store().find_trace(id);
    ASSERT_TRUE(trace.has_value()) << trace.error().message;
    ASSERT_TRUE(trace->has_value()) << "trace " << id.to_hex() << " not stored";
    for (const auto& rs : (*trace)->data->resource_spans()) *stored.add_resource_spans() = rs;
  }
  // The store keeps every span field, but not schema URLs (nor the absence of a resource or scope).
  testing::expect_request_matches(stored, corpus.batch(), /*stored=*/true);
  (*service)->stop();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, OtlpToServiceTest,
                         ::testing::Values(OtlpProtocol::kHttpProtobuf, OtlpProtocol::kHttpJson),
                         [](const auto& info) { return info.param == OtlpProtocol::kHttpJson ? "Json" : "Protobuf"; });

}  // namespace
}  // namespace frame_tracking::otlp
