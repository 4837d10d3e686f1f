// SPDX-License-Identifier: Apache-2.0
// OtlpHttpExporter against a real HTTP receiver on 127.0.0.1: payloads, retries, Retry-After,
// permanent errors, gzip, headers, partial success, keep-alive, shutdown, collector outage.
#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/diagnostics.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/tracer_provider.hpp"
#include "otlp_corpus.hpp"
#include "otlp_decode.hpp"
#include "otlp_receiver.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <future>

namespace frame_tracking::otlp {
namespace {

using testing::OtlpTestReceiver;
using Reply = OtlpTestReceiver::Reply;
using std::chrono::milliseconds;

OtlpHttpExporterOptions options_for(const OtlpTestReceiver& receiver) {
  OtlpHttpExporterOptions o;
  o.endpoint = receiver.traces_url();
  o.timeout = milliseconds(5000);
  o.initial_backoff = milliseconds(10);
  o.max_backoff = milliseconds(50);
  return o;
}

// Collects warnings logged during a test.
class OtlpExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_log_handler([this](LogLevel level, std::string_view message) {
      std::lock_guard lock(mutex);
      if (level >= LogLevel::kWarning) warnings.emplace_back(message);
    });
  }
  void TearDown() override { set_log_handler({}); }
  std::vector<std::string> logged() {
    std::lock_guard lock(mutex);
    return warnings;
  }

  std::mutex mutex;
  std::vector<std::string> warnings;
  const testing::OtlpCorpus corpus = testing::make_otlp_corpus();
};

TEST_F(OtlpExporterTest, ProtobufPayloadCarriesEveryField) {
  OtlpTestReceiver receiver;
  OtlpHttpExporter exporter(options_for(receiver));
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].path, "/v1/traces");
  EXPECT_EQ(requests[0].content_type, "application/x-protobuf");
  EXPECT_EQ(requests[0].content_encoding, "");
  EXPECT_TRUE(requests[0].headers.find("User-Agent")->second.starts_with("OTel-OTLP-Exporter-Cpp/"));
  const auto decoded = testing::decode_otlp_body(requests[0].body, false);
  ASSERT_TRUE(decoded.has_value());
  testing::expect_request_matches(*decoded, corpus.batch());
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.exported_spans, 6U);
  EXPECT_EQ(stats.requests, 1U);
  EXPECT_EQ(stats.failed_batches, 0U);
  EXPECT_EQ(stats.bytes_sent, requests[0].body.size());
}

TEST_F(OtlpExporterTest, JsonPayloadCarriesEveryField) {
  OtlpTestReceiver receiver;
  auto o = options_for(receiver);
  o.protocol = OtlpProtocol::kHttpJson;
  OtlpHttpExporter exporter(o);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].body.substr(0, 42), R"({"resourceSpans":[{"resource":{"attributes)");
  const auto decoded = testing::decode_otlp_body(requests[0].body, true);
  ASSERT_TRUE(decoded.has_value());
  testing::expect_request_matches(*decoded, corpus.batch());
}

TEST_F(OtlpExporterTest, GzipBodyDecompressesToTheSamePayload) {
  OtlpTestReceiver receiver;
  auto o = options_for(receiver);
  o.compression = OtlpCompression::kGzip;
  OtlpHttpExporter exporter(o);
  const auto many = testing::make_typical_spans(200);
  ASSERT_EQ(exporter.export_batch(many.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].content_encoding, "gzip");
  // The receiver gunzips; what went over the wire is much smaller than the payload.
  EXPECT_LT(exporter.stats().bytes_sent * 4, requests[0].body.size());
  const auto decoded = testing::decode_otlp_body(requests[0].body, false);
  ASSERT_TRUE(decoded.has_value());
  testing::expect_request_matches(*decoded, many.batch());
}

TEST_F(OtlpExporterTest, CustomHeadersAreSent) {
  OtlpTestReceiver receiver;
  auto o = options_for(receiver);
  o.headers = {{"api-key", "s3cr=t"}, {"X-Scope-OrgID", "tenant 1"}};
  OtlpHttpExporter exporter(o);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].headers.find("api-key")->second, "s3cr=t");
  EXPECT_EQ(requests[0].headers.find("X-Scope-OrgID")->second, "tenant 1");
}

TEST_F(OtlpExporterTest, HeadersAndEndpointFromEnvironment) {
  OtlpTestReceiver receiver;
  const auto o = OtlpHttpExporterOptions::from_env(fixed_environment(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(receiver.port())},
       {"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20abc"},
       {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"}}));
  OtlpHttpExporter exporter(o);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].path, "/v1/traces");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].headers.find("authorization")->second, "Bearer abc");
}

TEST_F(OtlpExporterTest, ConnectionIsKeptAlive) {
  OtlpTestReceiver receiver;
  OtlpHttpExporter exporter(options_for(receiver));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3U);
  // One TCP connection: every request came from the same client port.
  const auto port = [](const auto& r) { return r.headers.find("REMOTE_PORT")->second; };
  EXPECT_EQ(port(requests[0]), port(requests[1]));
  EXPECT_EQ(port(requests[1]), port(requests[2]));
}

TEST_F(OtlpExporterTest, RetriesAfter503HonouringRetryAfterSeconds) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(503, "1")});
  auto o = options_for(receiver);
  // A computed back-off (60 s) would pass the 5 s timeout at once: only Retry-After can make it.
  o.initial_backoff = milliseconds(60000);
  o.max_backoff = milliseconds(60000);
  OtlpHttpExporter exporter(o);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(receiver.request_count(), 2U);
  const auto requests = receiver.requests();
  EXPECT_EQ(requests[0].body, requests[1].body);
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.retries, 1U);
  EXPECT_EQ(stats.exported_spans, 6U);
  EXPECT_EQ(stats.failed_batches, 0U);
  EXPECT_TRUE(logged().empty());
}

TEST_F(OtlpExporterTest, RetriesAfter429HonouringRetryAfterHttpDate) {
  OtlpTestReceiver receiver;
  const std::time_t soon = std::time(nullptr) + 1;
  char date[64];
  std::tm tm{};
  gmtime_r(&soon, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  receiver.script({Reply::status_only(429, date)});
  auto o = options_for(receiver);
  o.initial_backoff = milliseconds(60000);
  o.max_backoff = milliseconds(60000);
  OtlpHttpExporter exporter(o);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(receiver.request_count(), 2U);
  EXPECT_EQ(exporter.stats().retries, 1U);
}

TEST_F(OtlpExporterTest, RetriesGatewayErrorsWithBackoffUntilSuccess) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(502), Reply::status_only(504), Reply::status_only(503)});
  OtlpHttpExporter exporter(options_for(receiver));
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(receiver.request_count(), 4U);
  EXPECT_EQ(exporter.stats().retries, 3U);
}

TEST_F(OtlpExporterTest, RetryAfterBeyondTheTimeoutFailsAtOnce) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(503, "3600")});
  OtlpHttpExporter exporter(options_for(receiver));
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  EXPECT_EQ(receiver.request_count(), 1U);
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.failed_batches, 1U);
  EXPECT_EQ(stats.failed_spans, 6U);
  EXPECT_EQ(stats.retries, 0U);
}

TEST_F(OtlpExporterTest, BadRequestIsNotRetried) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(400), Reply::status_only(400)});
  OtlpHttpExporter exporter(options_for(receiver));
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  EXPECT_EQ(receiver.request_count(), 2U);
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.failed_batches, 2U);
  EXPECT_EQ(stats.failed_spans, 12U);
  EXPECT_EQ(stats.retries, 0U);
  // Logged when exports start failing, not once per failed batch.
  const std::vector<std::string> expected{"OTLP export to " + receiver.traces_url() +
                                          " failed (HTTP 400); 6 spans lost; further failures are counted until an "
                                          "export succeeds"};
  EXPECT_EQ(logged(), expected);
}

TEST_F(OtlpExporterTest, OtherClientAndServerErrorsAreNotRetried) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(401), Reply::status_only(413), Reply::status_only(500)});
  OtlpHttpExporter exporter(options_for(receiver));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  EXPECT_EQ(receiver.request_count(), 3U);
  EXPECT_EQ(exporter.stats().retries, 0U);
}

TEST_F(OtlpExporterTest, PartialSuccessCountsRejectedSpansAndLogsOnce) {
  OtlpTestReceiver receiver;
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(2);
  response.mutable_partial_success()->set_error_message("2 spans have no name");
  const std::string body = response.SerializeAsString();
  receiver.script({Reply::ok_with_body(body), Reply::ok_with_body(body)});
  OtlpHttpExporter exporter(options_for(receiver));
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.rejected_spans, 4U);
  EXPECT_EQ(stats.exported_spans, 8U);
  EXPECT_EQ(stats.retries, 0U);
  const std::vector<std::string> expected{"OTLP collector at " + receiver.traces_url() +
                                          " rejected 2 of 6 spans: \"2 spans have no name\" (logged once; "
                                          "rejections are counted)"};
  EXPECT_EQ(logged(), expected);
}

TEST_F(OtlpExporterTest, PartialSuccessInJsonAndEmptyPartialSuccess) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::ok_with_body(R"({"partialSuccess":{}})"),
                   Reply::ok_with_body(R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"too old"}})")});
  auto o = options_for(receiver);
  o.protocol = OtlpProtocol::kHttpJson;
  OtlpHttpExporter exporter(o);
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(exporter.stats().rejected_spans, 0U);
  EXPECT_TRUE(logged().empty());
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  EXPECT_EQ(exporter.stats().rejected_spans, 3U);
  EXPECT_EQ(exporter.stats().exported_spans, 9U);
  EXPECT_EQ(logged().size(), 1U);
}

TEST_F(OtlpExporterTest, ConnectionFailuresAreRetriedThenCounted) {
  int port = 0;
  {
    OtlpTestReceiver probe;  // find a free port, then close it
    port = probe.port();
  }
  OtlpHttpExporterOptions o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  o.initial_backoff = milliseconds(5);
  o.max_backoff = milliseconds(20);
  o.max_attempts = 3;
  OtlpHttpExporter exporter(o);
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  const OtlpExporterStats stats = exporter.stats();
  EXPECT_EQ(stats.requests, 3U);
  EXPECT_EQ(stats.retries, 2U);
  EXPECT_EQ(stats.failed_batches, 1U);
  EXPECT_EQ(stats.failed_spans, 6U);
  ASSERT_EQ(logged().size(), 1U);
  EXPECT_NE(logged()[0].find(", after 3 attempts"), std::string::npos) << logged()[0];
}

TEST_F(OtlpExporterTest, ShutdownAbortsARequestTheCollectorNeverAnswers) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::hanging()});
  auto o = options_for(receiver);
  o.timeout = milliseconds(0);  // no limit: only shutdown can end the call
  OtlpHttpExporter exporter(o);
  auto pending = std::async(std::launch::async, [&] { return exporter.export_batch(corpus.batch()); });
  ASSERT_TRUE(receiver.wait_for_requests(1));
  EXPECT_TRUE(exporter.shutdown(std::chrono::seconds(2)));
  EXPECT_EQ(pending.get(), ExportResult::kFailure);
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  EXPECT_EQ(exporter.stats().failed_batches, 2U);
  EXPECT_EQ(receiver.request_count(), 1U);
}

TEST_F(OtlpExporterTest, ShutdownInterruptsABackoffWait) {
  OtlpTestReceiver receiver;
  receiver.script({Reply::status_only(503, "3")});
  OtlpHttpExporter exporter(options_for(receiver));
  auto pending = std::async(std::launch::async, [&] { return exporter.export_batch(corpus.batch()); });
  ASSERT_TRUE(receiver.wait_for_requests(1));
  EXPECT_TRUE(exporter.shutdown(std::chrono::seconds(2)));
  EXPECT_EQ(pending.get(), ExportResult::kFailure);
  EXPECT_EQ(receiver.request_count(), 1U);
}

TEST_F(OtlpExporterTest, CollectorDownThenBackBehindTheBatchProcessor) {
  int port = 0;
  {
    OtlpTestReceiver probe;
    port = probe.port();
  }
  auto o = OtlpHttpExporterOptions{};
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  o.timeout = milliseconds(300);
  o.initial_backoff = milliseconds(5);
  o.max_backoff = milliseconds(20);
  auto exporter = std::make_unique<OtlpHttpExporter>(o);
  OtlpHttpExporter* exporter_view = exporter.get();
  BatchSpanProcessorOptions bsp;
  bsp.max_queue_size = 64;
  bsp.max_export_batch_size = 16;
  bsp.schedule_delay = milliseconds(20);
  TracerProviderOptions po;
  po.resource = Resource({{"service.name", std::string("outage-test")}});
  po.processors.push_back(std::make_unique<BatchSpanProcessor>(std::move(exporter), bsp));
  TracerProvider provider(std::move(po));
  Tracer tracer = provider.get_tracer("outage");

  // Collector down: 1000 spans end; the queue stays bounded, the rest is dropped and counted.
  for (int i = 0; i < 1000; ++i) tracer.start_span("while down").end();
  provider.force_flush(std::chrono::seconds(5));
  TracingStats down = provider.collect();
  EXPECT_LE(down.queue_size, down.queue_capacity);
  EXPECT_EQ(down.queue_capacity, 64U);
  EXPECT_EQ(down.spans_exported, 0U);
  EXPECT_GT(down.dropped_queue_full + down.dropped_export_failed, 0U);
  EXPECT_EQ(down.spans_ended, down.spans_exported + down.dropped_total() + down.queue_size);
  EXPECT_GT(exporter_view->stats().failed_batches, 0U);

  // Collector back on the same port: export resumes by itself.
  OtlpTestReceiver receiver(port);
  ASSERT_EQ(receiver.port(), port);
  for (int i = 0; i < 10; ++i) tracer.start_span("after recovery").end();
  ASSERT_TRUE(provider.force_flush(std::chrono::seconds(5)));
  ASSERT_TRUE(receiver.wait_for_requests(1));
  std::size_t recovered = 0;
  for (const auto& r : receiver.requests()) {
    const auto decoded = testing::decode_otlp_body(r.body, false);
    ASSERT_TRUE(decoded.has_value());
    for (const auto& rs : decoded->resource_spans())
      for (const auto& ss : rs.scope_spans())
        for (const auto& s : ss.spans()) recovered += s.name() == "after recovery" ? 1 : 0;
  }
  EXPECT_EQ(recovered, 10U);
  const TracingStats up = provider.collect();
  EXPECT_EQ(up.spans_ended, 1010U);
  EXPECT_EQ(up.spans_ended, up.spans_exported + up.dropped_total() + up.queue_size);
  EXPECT_EQ(up.spans_exported, exporter_view->stats().exported_spans);
  ASSERT_TRUE(provider.shutdown(std::chrono::seconds(5)));
}

}  // namespace
}  // namespace frame_tracking::otlp
