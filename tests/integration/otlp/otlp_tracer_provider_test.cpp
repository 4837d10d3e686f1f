// SPDX-License-Identifier: Apache-2.0
// A TracerProvider built from OTEL_* variables exports real spans over OTLP/HTTP to a local receiver.
#include "frame_tracking/otlp/otlp_tracer_provider.hpp"
#include "otlp_decode.hpp"
#include "otlp_receiver.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::otlp {
namespace {

using testing::OtlpTestReceiver;

TEST(OtlpTracerProviderTest, ExportsSpansToTheConfiguredEndpoint) {
  OtlpTestReceiver receiver;
  const EnvLookup env = fixed_environment({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(receiver.port())},
                                           {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"},
                                           {"OTEL_SERVICE_NAME", "otlp-provider-test"},
                                           {"OTEL_BSP_SCHEDULE_DELAY", "10"}});
  auto provider = create_otlp_tracer_provider_from_env(env);
  Tracer tracer = provider->get_tracer("frame_tracking.test", "1.2.3");
  Span parent = tracer.start_span("capture_frame", {.kind = SpanKind::kProducer, .new_root = true});
  parent.set_attribute("frame.sequence", std::int64_t{7});
  const SpanContext parent_context = parent.context();
  parent.end();
  ASSERT_TRUE(provider->force_flush(std::chrono::seconds(5)));

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].content_type, "application/json");
  const auto decoded = testing::decode_otlp_body(requests[0].body, true);
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->resource_spans_size(), 1);
  const auto& rs = decoded->resource_spans(0);
  bool has_service_name = false;
  for (const auto& kv : rs.resource().attributes())
    if (kv.key() == "service.name") has_service_name = kv.value().string_value() == "otlp-provider-test";
  EXPECT_TRUE(has_service_name);
  EXPECT_EQ(rs.scope_spans(0).scope().name(), "frame_tracking.test");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "1.2.3");
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 1);
  const auto& span = rs.scope_spans(0).spans(0);
  EXPECT_EQ(span.name(), "capture_frame");
  EXPECT_EQ(span.kind(), testing::pb_trace::Span::SPAN_KIND_PRODUCER);
  EXPECT_EQ(span.trace_id(), testing::id_bytes(parent_context.trace_id));
  EXPECT_EQ(span.span_id(), testing::id_bytes(parent_context.span_id));
  EXPECT_EQ(span.attributes(0).key(), "frame.sequence");
  EXPECT_EQ(span.attributes(0).value().int_value(), 7);
  EXPECT_TRUE(provider->shutdown(std::chrono::seconds(5)));
}

TEST(OtlpTracerProviderTest, ExporterNoneSendsNothing) {
  OtlpTestReceiver receiver;
  const EnvLookup env = fixed_environment({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(receiver.port())},
                                           {"OTEL_TRACES_EXPORTER", "none"}});
  auto provider = create_otlp_tracer_provider_from_env(env);
  provider->get_tracer("t").start_span("unexported").end();
  provider->force_flush(std::chrono::seconds(5));
  EXPECT_TRUE(provider->shutdown(std::chrono::seconds(5)));
  EXPECT_EQ(receiver.request_count(), 0U);
  EXPECT_EQ(provider->collect().spans_ended, 1U);
}

TEST(OtlpTracerProviderTest, ShutdownReturnsWhenTheCollectorNeverAnswers) {
  OtlpTestReceiver receiver;
  receiver.script({OtlpTestReceiver::Reply::hanging()});
  const EnvLookup env = fixed_environment({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(receiver.port())},
                                           {"OTEL_EXPORTER_OTLP_TIMEOUT", "0"},
                                           {"OTEL_BSP_SCHEDULE_DELAY", "10"}});
  auto provider = create_otlp_tracer_provider_from_env(env);
  provider->get_tracer("t").start_span("stuck").end();
  ASSERT_TRUE(receiver.wait_for_requests(1));
  provider->shutdown(std::chrono::milliseconds(500));
  const TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_exported, 0U);
  EXPECT_EQ(stats.spans_ended, 1U);
}

}  // namespace
}  // namespace frame_tracking::otlp
