// SPDX-License-Identifier: Apache-2.0
// Span metrics: sampling probability from `ot=th:`, exact counts and 1/p weights from known OTLP bodies, series limit.
#include "otlp_json.hpp"
#include "otlp_receiver.hpp"
#include "span_metrics.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace frame_tracking::service {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

/// The exposition lines of `text` that start with `prefix`, in order.
std::vector<std::string> lines_of(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(prefix)) out.push_back(line);
  return out;
}

std::string exposition(const SpanMetrics& metrics) {
  std::string out;
  metrics.write(out);
  return out;
}

/// One span as OTLP/JSON; `duration_ns` after a fixed start.
std::string json_span(const std::string& span_id, const std::string& name, int kind, int status, std::uint64_t duration_ns,
                      const std::string& trace_state) {
  const std::uint64_t start = 1796025177000000000;
  return R"({"traceId":"019ad4a1b2c37000bfffffffffffffff","spanId":")" + span_id + R"(","name":")" + name +
         R"(","kind":)" + std::to_string(kind) + R"(,"traceState":")" + trace_state + R"(","startTimeUnixNano":")" +
         std::to_string(start) + R"(","endTimeUnixNano":")" + std::to_string(start + duration_ns) +
         R"(","status":{"code":)" + std::to_string(status) + "}}";
}

std::string json_request(const std::string& service, const std::vector<std::string>& spans) {
  std::string joined;
  for (const auto& span : spans) joined += (joined.empty() ? "" : ",") + span;
  return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")" + service +
         R"("}}]},"scopeSpans":[{"scope":{"name":"t"},"spans":[)" + joined + "]}]}]}";
}

ExportTraceServiceRequest parse(const std::string& body) {
  ExportTraceServiceRequest request;
  auto parsed = parse_otlp_json(body, request);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return request;
}

TEST(SamplingProbabilityTest, ReadsTheOtThresholdExactly) {
  EXPECT_EQ(sampling_probability("ot=th:0"), 1.0);
  EXPECT_EQ(sampling_probability("ot=th:8"), 0.5);
  EXPECT_EQ(sampling_probability("congo=t61rcWkgMzE,ot=th:c"), 0.25);
  EXPECT_EQ(sampling_probability("ot=rv:abcdef01234567;th:c, rojo=00f067aa0ba902b7"), 0.25);
  EXPECT_EQ(sampling_probability("ot=th:fff"), 1.0 / 4096);  // T = 0xfff00000000000
  EXPECT_EQ(sampling_probability(""), std::nullopt);
  EXPECT_EQ(sampling_probability("congo=t61rcWkgMzE"), std::nullopt);
  EXPECT_EQ(sampling_probability("ot=th:"), std::nullopt);
  EXPECT_EQ(sampling_probability("ot=th:8G"), std::nullopt);
  EXPECT_EQ(sampling_probability("ot=th:123456789abcdef"), std::nullopt);  // 15 digits
  EXPECT_EQ(sampling_probability("xot=th:8"), std::nullopt);
}

TEST(SpanMetricsTest, CountsEachSpanOneOverPFromAJsonBody) {
  SpanMetrics metrics;
  metrics.record(parse(json_request(
      "frame-processor",
      {json_span("00f067aa0ba90201", "detect", 1, 0, 3000000, "ot=th:8"),       // p = 1/2 → 2 calls, 3 ms
       json_span("00f067aa0ba90202", "detect", 1, 0, 20000000, "ot=th:c"),      // p = 1/4 → 4 calls, 20 ms
       json_span("00f067aa0ba90203", "detect", 1, 2, 1000000, ""),              // no threshold → 1 call, error
       json_span("00f067aa0ba90204", "process frames:ready:motion", 5, 0, 500000, "ot=th:0"),  // p = 1
       json_span("0000000000000000", "detect", 1, 0, 1000000, "")})));          // rejected by the store: not counted
  const std::string text = exposition(metrics);
  EXPECT_EQ(lines_of(text, "traces_span_metrics_calls_total{"),
            (std::vector<std::string>{
                R"(traces_span_metrics_calls_total{service_name="frame-processor",span_name="detect",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_ERROR"} 1)",
                R"(traces_span_metrics_calls_total{service_name="frame-processor",span_name="detect",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET"} 6)",
                R"(traces_span_metrics_calls_total{service_name="frame-processor",span_name="process frames:ready:motion",span_kind="SPAN_KIND_CONSUMER",status_code="STATUS_CODE_UNSET"} 1)",
            }))
      << text;
  const std::string unset = R"({service_name="frame-processor",span_name="detect",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET")";
  EXPECT_EQ(lines_of(text, "traces_span_metrics_duration_seconds_bucket" + unset),
            (std::vector<std::string>{
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.0005"} 0)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.001"} 0)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.0025"} 0)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.005"} 2)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.01"} 2)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.025"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.05"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.1"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.25"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="0.5"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="1"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="2.5"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="5"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="10"} 6)",
                "traces_span_metrics_duration_seconds_bucket" + unset + R"(,le="+Inf"} 6)",
            }))
      << text;
  // 2 · 0.003 + 4 · 0.02 = 0.086 s, as IEEE doubles add it up.
  EXPECT_EQ(lines_of(text, "traces_span_metrics_duration_seconds_sum" + unset),
            (std::vector<std::string>{"traces_span_metrics_duration_seconds_sum" + unset + "} 0.08600000000000001"}));
  EXPECT_EQ(lines_of(text, "traces_span_metrics_duration_seconds_count" + unset),
            (std::vector<std::string>{"traces_span_metrics_duration_seconds_count" + unset + "} 6"}));
  EXPECT_EQ(lines_of(text, "traces_span_metrics_dropped_spans_total"),
            (std::vector<std::string>{"traces_span_metrics_dropped_spans_total 0"}));
}

TEST(SpanMetricsTest, SeriesBeyondTheLimitAreCountedAsDropped) {
  SpanMetrics metrics(2);
  metrics.record(parse(json_request("svc", {json_span("00f067aa0ba90201", "a", 1, 0, 1000, ""),
                                            json_span("00f067aa0ba90202", "b", 1, 0, 1000, ""),
                                            json_span("00f067aa0ba90203", "c", 1, 0, 1000, ""),
                                            json_span("00f067aa0ba90204", "c", 1, 0, 1000, ""),
                                            json_span("00f067aa0ba90205", "a", 1, 0, 1000, "")})));
  const std::string text = exposition(metrics);
  EXPECT_EQ(lines_of(text, "traces_span_metrics_calls_total{"),
            (std::vector<std::string>{
                R"(traces_span_metrics_calls_total{service_name="svc",span_name="a",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET"} 2)",
                R"(traces_span_metrics_calls_total{service_name="svc",span_name="b",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET"} 1)",
            }));
  EXPECT_EQ(lines_of(text, "traces_span_metrics_dropped_spans_total"),
            (std::vector<std::string>{"traces_span_metrics_dropped_spans_total 2"}));
}

TEST(SpanMetricsTest, LabelValuesAreEscaped) {
  SpanMetrics metrics;
  metrics.record(parse(json_request(R"(a\"b)", {json_span("00f067aa0ba90201", R"(x\\y\nz)", 2, 1, 1000, "")})));
  EXPECT_EQ(lines_of(exposition(metrics), "traces_span_metrics_calls_total{"),
            (std::vector<std::string>{
                R"(traces_span_metrics_calls_total{service_name="a\"b",span_name="x\\y\nz",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_OK"} 1)"}));
}

TEST(SpanMetricsTest, ProtobufBodyThroughTheReceiverAndARealStore) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ft-spanmetrics-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                                "-" + std::to_string(reinterpret_cast<std::uintptr_t>(&dir)));
  std::filesystem::remove_all(dir);
  store::SpanStoreOptions options;
  options.path = dir / "spans.db";
  auto opened = store::SpanStore::open(options);
  ASSERT_TRUE(opened) << opened.error().message;
  const ExportTraceServiceRequest request =
      parse(json_request("rtsp-capture", {json_span("00f067aa0ba90201", "capture_frame", 1, 0, 40000000, "ot=th:c"),
                                          json_span("00f067aa0ba90202", "capture_frame", 1, 0, 60000000, "ot=th:c")}));
  SpanMetrics metrics;
  ReceiveOutcome outcome;
  HttpReply reply = receive_traces(**opened, OtlpEncoding::kProtobuf, request.SerializeAsString(), outcome, &metrics);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(outcome.accepted_spans, 2u);
  const std::string text = exposition(metrics);
  const std::string labels = R"({service_name="rtsp-capture",span_name="capture_frame",span_kind="SPAN_KIND_INTERNAL",status_code="STATUS_CODE_UNSET")";
  EXPECT_EQ(lines_of(text, "traces_span_metrics_calls_total{"),
            (std::vector<std::string>{"traces_span_metrics_calls_total" + labels + "} 8"}));
  EXPECT_EQ(lines_of(text, "traces_span_metrics_duration_seconds_sum"),
            (std::vector<std::string>{"traces_span_metrics_duration_seconds_sum" + labels + "} 0.4"}));
  EXPECT_EQ(lines_of(text, "traces_span_metrics_duration_seconds_bucket" + labels + R"(,le="0.05"})"),
            (std::vector<std::string>{"traces_span_metrics_duration_seconds_bucket" + labels + R"(,le="0.05"} 4)"}));
  // A body that does not decode is not counted.
  receive_traces(**opened, OtlpEncoding::kProtobuf, "\xff\xff", outcome, &metrics);
  EXPECT_EQ(lines_of(exposition(metrics), "traces_span_metrics_calls_total{"),
            (std::vector<std::string>{"traces_span_metrics_calls_total" + labels + "} 8"}));
  opened->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::service
