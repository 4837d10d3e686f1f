// SPDX-License-Identifier: Apache-2.0
// `frame-tracking serve` given the same OTLP batch twice (an exporter's retry after a lost reply) stores it once and counts the copy.
#include "../service/serve_process.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <httplib.h>

#include <gtest/gtest.h>

namespace frame_tracking::testing {
namespace {

/// The value of an unlabelled metric line `name <value>` in a Prometheus text page, or -1.
long long metric(const std::string& page, const std::string& name) {
  auto at = page.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(page.substr(at + name.size() + 2));
}

TEST(OtlpRetryDedup, SameBatchTwiceIsStoredOnceAndCountedAsDuplicate) {
  constexpr int kBatch = 50;
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  auto* name = rs->mutable_resource()->add_attributes();
  name->set_key("service.name");
  name->mutable_value()->set_string_value("retry-dedup");
  auto* scope = rs->add_scope_spans();
  for (int i = 0; i < kBatch; ++i) {
    auto* span = scope->add_spans();
    span->set_trace_id(std::string(15, '\x01') + static_cast<char>(1 + i % 5));  // 5 traces
    span->set_span_id(std::string(7, '\x02') + static_cast<char>(1 + i));
    span->set_name("work");
    span->set_start_time_unix_nano(1'800'000'000'000'000'000ULL + static_cast<std::uint64_t>(i));
    span->set_end_time_unix_nano(1'800'000'000'000'000'000ULL + static_cast<std::uint64_t>(i) + 1000);
  }
  const std::string body = request.SerializeAsString();

  const auto dir = std::filesystem::temp_directory_path() / ("ft-retry-dedup-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir));
  httplib::Client otlp("127.0.0.1", serve.otlp_port);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto reply = otlp.Post("/v1/traces", body, "application/x-protobuf");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200) << "attempt " << attempt;
    EXPECT_EQ(reply->body, "") << "attempt " << attempt;  // full success: no partial_success, nothing rejected
  }
  auto page = httplib::Client("127.0.0.1", serve.admin_port).Get("/metrics");
  ASSERT_TRUE(page);
  EXPECT_EQ(metric(page->body, "frame_tracking_service_spans_received_total"), 2 * kBatch);
  EXPECT_EQ(metric(page->body, "frame_tracking_service_spans_ingested_total"), kBatch);
  EXPECT_EQ(metric(page->body, "frame_tracking_service_spans_duplicate_total"), kBatch);
  EXPECT_EQ(metric(page->body, "frame_tracking_service_spans_rejected_total"), 0);
  EXPECT_EQ(metric(page->body, "frame_tracking_store_spans"), kBatch);
  EXPECT_EQ(metric(page->body, "frame_tracking_store_traces"), 5);

  auto trace = httplib::Client("127.0.0.1", serve.query_port).Get("/api/traces/01010101010101010101010101010101");
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->status, 200);
  std::size_t spans = 0;
  for (std::size_t at = trace->body.find("\"spanID\""); at != std::string::npos; at = trace->body.find("\"spanID\"", at + 1))
    ++spans;
  EXPECT_EQ(spans, static_cast<std::size_t>(kBatch / 5));
  EXPECT_EQ(serve.stop(SIGTERM), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::testing
