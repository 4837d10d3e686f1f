// SPDX-License-Identifier: Apache-2.0
// A fixed corpus of span records covering every OTLP field, shared by the OTLP tests, the
// conformance test and the OTLP benchmark (header-only, test code).
#pragma once

#include "frame_tracking/resource.hpp"
#include "frame_tracking/span_data.hpp"

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace frame_tracking::testing {

/// Owns resources, scopes and span records; `batch()` is what an exporter receives.
struct OtlpCorpus {
  std::vector<std::unique_ptr<Resource>> resources;
  std::vector<std::unique_ptr<InstrumentationScope>> scopes;
  std::vector<std::unique_ptr<SpanData>> spans;

  std::vector<const SpanData*> batch() const {
    std::vector<const SpanData*> out;
    for (const auto& s : spans) out.push_back(s.get());
    return out;
  }
};

inline TraceId corpus_trace_id(std::uint8_t last) {
  return TraceId({0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, last});
}
inline SpanId corpus_span_id(std::uint8_t last) { return SpanId({0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, last}); }

/// The rich span: every field and every attribute type set. Uses `resource` and `scope`.
inline std::unique_ptr<SpanData> make_rich_span(const Resource* resource, const InstrumentationScope* scope) {
  auto span = std::make_unique<SpanData>();
  span->context.trace_id = corpus_trace_id(0x0c);
  span->context.span_id = corpus_span_id(0x74);
  span->context.trace_flags.value = 0x03;
  span->context.trace_state = *TraceState::parse("vendor=x,other=y");
  span->parent_span_id = corpus_span_id(0x73);
  span->parent_is_remote = true;
  span->kind = SpanKind::kConsumer;
  span->start_time_unix_ns = 1764460800123456789ULL;
  span->end_time_unix_ns = 1764460800125456789ULL;
  span->set_name("process frames");
  span->set_attribute("frame.id", std::string_view("019ad4a2-7c3e-7000-8000-0123456789ab"));
  span->set_attribute("frame.sequence", std::int64_t{42});
  span->set_attribute("frame.offset", std::int64_t{-9007199254740993});
  span->set_attribute("frame.keyframe", true);
  span->set_attribute("frame.fps", 29.97);
  static const std::array<std::string_view, 2> tags{"night", "ir \"on\"\n"};
  static const std::array<std::int64_t, 3> sizes{1, -2, 3000000000000};
  static const std::array<double, 2> ratios{0.5, -1.25};
  static const std::array<bool, 2> bits{true, false};
  span->set_attribute("frame.tags", std::span<const std::string_view>(tags));
  span->set_attribute("frame.sizes", std::span<const std::int64_t>(sizes));
  span->set_attribute("frame.ratios", std::span<const double>(ratios));
  span->set_attribute("frame.bits", std::span<const bool>(bits));
  span->set_attribute("camera.label", std::string_view("Caméra \xE2\x82\xAC nord"));
  span->dropped_attributes_count = 2;
  const std::array<AttributeView, 2> event_attributes{
      AttributeView{"frame.drop_reason", std::string_view("queue_full")},
      AttributeView{"queue.depth", std::int64_t{128}}};
  span->add_event("frame.dropped", 1764460800124000000ULL, event_attributes);
  span->add_event("retry", 1764460800124500000ULL, {});
  span->dropped_events_count = 1;
  SpanContext linked;
  linked.trace_id = corpus_trace_id(0x0d);
  linked.span_id = corpus_span_id(0x75);
  linked.trace_flags.value = 0x01;
  linked.trace_state = *TraceState::parse("rojo=00f067aa0ba902b7");
  linked.remote = true;
  const std::array<AttributeView, 1> link_attributes{AttributeView{"messaging.message.id", std::string_view("1-0")}};
  span->add_link(linked, link_attributes);
  SpanContext local_link;
  local_link.trace_id = corpus_trace_id(0x0e);
  local_link.span_id = corpus_span_id(0x76);
  span->add_link(local_link, {});
  span->dropped_links_count = 3;
  span->status_code = StatusCode::kError;
  span->set_status_message("decoder error");
  span->resource = resource;
  span->scope = scope;
  return span;
}

/// The corpus: the rich span, a root SERVER span, an OK CLIENT span in a second scope, a PRODUCER
/// span under a second resource, an INTERNAL span with no scope and no resource, a span with
/// malformed UTF-8 and control characters, and a span with non-finite doubles.
inline OtlpCorpus make_otlp_corpus() {
  OtlpCorpus c;
  c.resources.push_back(std::make_unique<Resource>(
      std::vector<Attribute>{{"service.name", std::string("camera-ingest")},
                             {"host.name", std::string("edge-01")},
                             {"process.pid", std::int64_t{4242}}},
      "https://opentelemetry.io/schemas/1.26.0"));
  c.resources.push_back(std::make_unique<Resource>(std::vector<Attribute>{
      {"service.name", std::string("detector")}, {"detector.gpu", true}, {"detector.scores", std::vector<double>{0.25}}}));
  c.scopes.push_back(std::make_unique<InstrumentationScope>(InstrumentationScope{
      "frame_tracking", "0.1.0", "https://opentelemetry.io/schemas/1.26.0", {{"scope.shard", std::int64_t{7}}}}));
  c.scopes.push_back(std::make_unique<InstrumentationScope>(InstrumentationScope{"frame_tracking.redis", "", "", {}}));
  const Resource* r0 = c.resources[0].get();
  const Resource* r1 = c.resources[1].get();
  const InstrumentationScope* s0 = c.scopes[0].get();
  const InstrumentationScope* s1 = c.scopes[1].get();

  c.spans.push_back(make_rich_span(r0, s0));

  auto root = std::make_unique<SpanData>();
  root->context.trace_id = corpus_trace_id(0x10);
  root->context.span_id = corpus_span_id(0x01);
  root->context.trace_flags.value = 0x01;
  root->kind = SpanKind::kServer;
  root->start_time_unix_ns = 1764460800000000000ULL;
  root->end_time_unix_ns = 1764460800001000000ULL;
  root->set_name("capture_frame");
  root->resource = r0;
  root->scope = s0;
  c.spans.push_back(std::move(root));

  auto client = std::make_unique<SpanData>();
  client->context.trace_id = corpus_trace_id(0x10);
  client->context.span_id = corpus_span_id(0x02);
  client->parent_span_id = corpus_span_id(0x01);
  client->kind = SpanKind::kClient;
  client->start_time_unix_ns = 1764460800000100000ULL;
  client->end_time_unix_ns = 1764460800000200000ULL;
  client->set_name("send frames");
  client->set_attribute("messaging.system", std::string_view("redis"));
  client->status_code = StatusCode::kOk;
  client->resource = r0;
  client->scope = s1;
  c.spans.push_back(std::move(client));

  auto producer = std::make_unique<SpanData>();
  producer->context.trace_id = corpus_trace_id(0x11);
  producer->context.span_id = corpus_span_id(0x03);
  producer->context.trace_flags.value = 0x01;
  producer->kind = SpanKind::kProducer;
  producer->start_time_unix_ns = 1764460800000300000ULL;
  producer->end_time_unix_ns = 1764460800000400000ULL;
  producer->set_name("send results");
  producer->resource = r1;
  producer->scope = s0;
  c.spans.push_back(std::move(producer));

  auto bare = std::make_unique<SpanData>();
  bare->context.trace_id = corpus_trace_id(0x12);
  bare->context.span_id = corpus_span_id(0x04);
  bare->kind = SpanKind::kInternal;
  bare->start_time_unix_ns = 1;
  bare->end_time_unix_ns = 2;
  bare->set_name("bare");
  c.spans.push_back(std::move(bare));

  auto odd = std::make_unique<SpanData>();
  odd->context.trace_id = corpus_trace_id(0x13);
  odd->context.span_id = corpus_span_id(0x05);
  odd->kind = SpanKind::kInternal;
  odd->start_time_unix_ns = 10;
  odd->end_time_unix_ns = 20;
  odd->set_name("bad \xC3\x28 utf8 \xED\xA0\x80 \x01\t/");
  odd->set_attribute("nan", std::numeric_limits<double>::quiet_NaN());
  odd->set_attribute("inf", std::numeric_limits<double>::infinity());
  odd->set_attribute("ninf", -std::numeric_limits<double>::infinity());
  odd->set_attribute("empty", std::span<const std::int64_t>());
  odd->set_attribute("", std::string_view(""));
  odd->resource = r0;
  odd->scope = s0;
  c.spans.push_back(std::move(odd));
  return c;
}

/// `n` typical pipeline spans (5 attributes, no events) under one resource and scope, for benches.
inline OtlpCorpus make_typical_spans(std::size_t n) {
  OtlpCorpus c;
  c.resources.push_back(std::make_unique<Resource>(std::vector<Attribute>{
      {"service.name", std::string("camera-ingest")}, {"host.name", std::string("edge-01")}}));
  c.scopes.push_back(std::make_unique<InstrumentationScope>(InstrumentationScope{"frame_tracking", "0.1.0", "", {}}));
  for (std::size_t i = 0; i < n; ++i) {
    auto s = std::make_unique<SpanData>();
    s->context.trace_id = corpus_trace_id(static_cast<std::uint8_t>(i));
    s->context.span_id = corpus_span_id(static_cast<std::uint8_t>(i));
    s->context.trace_flags.value = 0x03;
    s->parent_span_id = corpus_span_id(static_cast<std::uint8_t>(i + 1));
    s->kind = SpanKind::kInternal;
    s->start_time_unix_ns = 1764460800000000000ULL + i * 1000;
    s->end_time_unix_ns = s->start_time_unix_ns + 750;
    s->set_name("detect");
    s->set_attribute("frame.id", std::string_view("019ad4a2-7c3e-7000-8000-0123456789ab"));
    s->set_attribute("frame.sequence", static_cast<std::int64_t>(i));
    s->set_attribute("frame.size_bytes", std::int64_t{1843200});
    s->set_attribute("camera.id", std::string_view("cam-03"));
    s->set_attribute("pipeline.stage", std::string_view("detector"));
    s->resource = c.resources[0].get();
    s->scope = c.scopes[0].get();
    c.spans.push_back(std::move(s));
  }
  return c;
}

}  // namespace frame_tracking::testing
