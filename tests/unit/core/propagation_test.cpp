// SPDX-License-Identifier: Apache-2.0
// Tests of carriers, the W3C propagators, the composite and OTEL_PROPAGATORS selection.
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traceparent.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace frame_tracking {
namespace {

const std::string kTid = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kPid = "00f067aa0ba902b7";
const std::string kTraceparent = "00-" + kTid + "-" + kPid + "-01";

Context sample_context() {
  Context c;
  c.span_context.trace_id = *TraceId::from_hex(kTid);
  c.span_context.span_id = *SpanId::from_hex(kPid);
  c.span_context.trace_flags = TraceFlags{TraceFlags::kSampled | TraceFlags::kRandom | 0x80};
  c.span_context.trace_state = *TraceState::parse("ft=1,rojo=x");
  EXPECT_TRUE(c.baggage.set("camera.id", "cam 1"));
  EXPECT_TRUE(c.baggage.set("tenant", "acme", "ttl=60"));
  return c;
}

std::unique_ptr<TextMapPropagator> default_propagator() {
  auto p = propagator_from_names("");
  EXPECT_TRUE(p);
  return std::move(*p);
}

TEST(PropagationTest, InjectWritesExactHeaders) {
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  default_propagator()->inject(sample_context(), carrier);
  const std::map<std::string, std::string> expected = {
      {"traceparent", "00-" + kTid + "-" + kPid + "-03"},  // bit 0x80 is not sent
      {"tracestate", "ft=1,rojo=x"},
      {"baggage", "camera.id=cam%201,tenant=acme;ttl=60"},
  };
  EXPECT_EQ(headers, expected);
}

TEST(PropagationTest, InjectSkipsInvalidContextAndEmptyParts) {
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  default_propagator()->inject(Context{}, carrier);
  EXPECT_TRUE(headers.empty());
  Context only_span = sample_context();
  only_span.baggage = Baggage();
  only_span.span_context.trace_state = TraceState();
  default_propagator()->inject(only_span, carrier);
  EXPECT_EQ(headers, (std::map<std::string, std::string>{{"traceparent", "00-" + kTid + "-" + kPid + "-03"}}));
}

TEST(PropagationTest, ExtractRoundTripsThroughEveryCarrier) {
  const Context sent = sample_context();
  Context expected = sent;
  expected.span_context.remote = true;
  expected.span_context.trace_flags = TraceFlags{TraceFlags::kSampled | TraceFlags::kRandom};
  auto propagator = default_propagator();

  std::map<std::string, std::string> map;
  MapCarrier map_carrier(map);
  propagator->inject(sent, map_carrier);
  EXPECT_EQ(propagator->extract(map_carrier, Context{}), expected);

  std::unordered_map<std::string, std::string> umap;
  UnorderedMapCarrier umap_carrier(umap);
  propagator->inject(sent, umap_carrier);
  const auto& const_umap = umap;
  EXPECT_EQ(propagator->extract(UnorderedMapCarrier(const_umap), Context{}), expected);

  HttpHeaders http;
  HttpHeaderCarrier http_carrier(http);
  propagator->inject(sent, http_carrier);
  EXPECT_EQ(http.size(), 3u);
  EXPECT_EQ(propagator->extract(http_carrier, Context{}), expected);
}

TEST(PropagationTest, HttpCarrierIsCaseInsensitiveAndReportsRepeatedFields) {
  HttpHeaders headers = {{"TraceParent", kTraceparent}, {"Tracestate", "a=1"}, {"TRACESTATE", "b=2"},
                         {"Content-Type", "image/jpeg"}};
  HttpHeaderCarrier carrier(headers);
  EXPECT_EQ(carrier.get("traceparent"), kTraceparent);
  EXPECT_EQ(carrier.value_count("tracestate"), 2u);
  EXPECT_EQ(carrier.get_at("tracestate", 1), "b=2");
  EXPECT_EQ(carrier.get_at("tracestate", 2), std::nullopt);
  EXPECT_EQ(carrier.keys(), (std::vector<std::string_view>{"TraceParent", "Tracestate", "Content-Type"}));
  carrier.set("tracestate", "c=3");
  EXPECT_EQ(headers, (HttpHeaders{{"TraceParent", kTraceparent}, {"Content-Type", "image/jpeg"}, {"tracestate", "c=3"}}));
  const HttpHeaders& read_only = headers;
  HttpHeaderCarrier const_carrier(read_only);
  const_carrier.set("x", "y");  // ignored: made from const headers
  EXPECT_EQ(headers.size(), 3u);
}

TEST(PropagationTest, SeveralTracestateFieldsAreCombinedInOrder) {
  HttpHeaders headers = {{"traceparent", kTraceparent}, {"tracestate", "foo=1"}, {"tracestate", " bar=2 "}};
  W3CTraceContextPropagator propagator;
  const Context c = propagator.extract(HttpHeaderCarrier(headers), Context{});
  EXPECT_EQ(c.span_context.trace_state.header(), "foo=1,bar=2");
}

TEST(PropagationTest, SeveralTraceparentFieldsStartANewTrace) {
  HttpHeaders headers = {{"traceparent", kTraceparent}, {"traceparent", kTraceparent}, {"tracestate", "foo=1"}};
  W3CTraceContextPropagator propagator;
  const Context c = propagator.extract(HttpHeaderCarrier(headers), Context{});
  EXPECT_FALSE(c.span_context.is_valid());
  EXPECT_TRUE(c.span_context.trace_state.empty());
  EXPECT_EQ(propagator.invalid_traceparent_count(), 1u);
}

TEST(PropagationTest, InvalidTraceparentLeavesTheContextWithoutParent) {
  std::map<std::string, std::string> headers = {{"traceparent", "00-" + kTid + "-" + kPid + "-01-extra"},
                                                {"tracestate", "foo=1"}};
  W3CTraceContextPropagator propagator;
  const Context c = propagator.extract(MapCarrier(headers), Context{});
  EXPECT_EQ(c, Context{});
  EXPECT_EQ(propagator.invalid_traceparent_count(), 1u);
  EXPECT_EQ(propagator.invalid_tracestate_count(), 0u);  // never parsed without a valid traceparent
}

TEST(PropagationTest, InvalidTracestateIsDroppedWholeButTraceparentKept) {
  std::map<std::string, std::string> headers = {{"traceparent", kTraceparent}, {"tracestate", "foo=1,FOO=2"}};
  W3CTraceContextPropagator propagator;
  const Context c = propagator.extract(MapCarrier(headers), Context{});
  ASSERT_TRUE(c.span_context.is_valid());
  EXPECT_EQ(format_traceparent(c.span_context), kTraceparent);
  EXPECT_TRUE(c.span_context.trace_state.empty());
  EXPECT_EQ(propagator.invalid_tracestate_count(), 1u);
}

TEST(PropagationTest, MissingTraceparentKeepsTheGivenContext) {
  std::map<std::string, std::string> headers = {{"tracestate", "foo=1"}};
  W3CTraceContextPropagator propagator;
  const Context given = sample_context();
  EXPECT_EQ(propagator.extract(MapCarrier(headers), given), given);
  EXPECT_EQ(propagator.invalid_traceparent_count(), 0u);
}

TEST(PropagationTest, BaggageExtractCombinesFieldsAndCountsDrops) {
  HttpHeaders headers = {{"baggage", "a=1"}, {"Baggage", "b=2,a=3"}};
  W3CBaggagePropagator propagator;
  Context c = propagator.extract(HttpHeaderCarrier(headers), Context{});
  EXPECT_EQ(c.baggage.to_header(), "a=3,b=2");

  HttpHeaders bad = {{"baggage", "a=1,b c=2"}};
  c = propagator.extract(HttpHeaderCarrier(bad), c);
  EXPECT_EQ(c.baggage.to_header(), "a=3,b=2");  // unchanged
  EXPECT_EQ(propagator.invalid_baggage_count(), 1u);

  std::string many;
  for (int i = 0; i < 70; ++i) many += (i ? "," : "") + std::string("k") + std::to_string(i) + "=v";
  HttpHeaders big = {{"baggage", many}};
  c = propagator.extract(HttpHeaderCarrier(big), Context{});
  EXPECT_EQ(c.baggage.size(), 64u);
  EXPECT_EQ(propagator.dropped_member_count(), 6u);
}

TEST(PropagationTest, CompositeFieldsAreTheUnion) {
  EXPECT_EQ(default_propagator()->fields(), (std::vector<std::string_view>{"traceparent", "tracestate", "baggage"}));
}

struct NamesCase {
  std::string value;
  std::vector<std::string_view> fields;
  std::string error;
};

TEST(PropagationTest, OtelPropagatorsSelection) {
  const std::string supported = " (supported: tracecontext, baggage, none)";
  const NamesCase cases[] = {
      {"", {"traceparent", "tracestate", "baggage"}, ""},
      {"  ", {"traceparent", "tracestate", "baggage"}, ""},
      {"tracecontext,baggage", {"traceparent", "tracestate", "baggage"}, ""},
      {"baggage, tracecontext", {"baggage", "traceparent", "tracestate"}, ""},
      {"tracecontext", {"traceparent", "tracestate"}, ""},
      {"baggage,baggage", {"baggage"}, ""},
      {"none", {}, ""},
      {"b3", {}, "OTEL_PROPAGATORS=b3: propagator 'b3' is not supported by frame-tracking" + supported},
      {"tracecontext,xray", {}, "OTEL_PROPAGATORS=tracecontext,xray: propagator 'xray' is not supported by frame-tracking" + supported},
      {"tracecontext,foo", {}, "OTEL_PROPAGATORS=tracecontext,foo: unknown propagator 'foo'" + supported},
      {"TraceContext", {}, "OTEL_PROPAGATORS=TraceContext: unknown propagator 'TraceContext'" + supported},
      {"tracecontext,,baggage", {}, "OTEL_PROPAGATORS=tracecontext,,baggage: empty propagator name in the list" + supported},
      {"none,baggage", {}, "OTEL_PROPAGATORS=none,baggage: 'none' cannot be combined with other propagators" + supported},
  };
  for (const auto& c : cases) {
    auto p = propagator_from_names(c.value);
    if (c.error.empty()) {
      ASSERT_TRUE(p) << c.value << ": " << p.error().message;
      EXPECT_EQ((*p)->fields(), c.fields) << c.value;
    } else {
      ASSERT_FALSE(p) << c.value;
      EXPECT_EQ(p.error().message, c.error) << c.value;
    }
  }
}

TEST(PropagationTest, NonePropagatesNothing) {
  auto none = propagator_from_names("none");
  ASSERT_TRUE(none);
  std::map<std::string, std::string> headers;
  MapCarrier carrier(headers);
  (*none)->inject(sample_context(), carrier);
  EXPECT_TRUE(headers.empty());
  headers = {{"traceparent", kTraceparent}};
  EXPECT_EQ((*none)->extract(MapCarrier(headers), Context{}), Context{});
}

TEST(PropagationTest, ReadsOtelPropagatorsFromTheEnvironment) {
  ASSERT_EQ(setenv("OTEL_PROPAGATORS", "baggage", 1), 0);
  auto only_baggage = propagator_from_env();
  ASSERT_TRUE(only_baggage);
  EXPECT_EQ((*only_baggage)->fields(), (std::vector<std::string_view>{"baggage"}));
  ASSERT_EQ(setenv("OTEL_PROPAGATORS", "jaeger", 1), 0);
  auto bad = propagator_from_env();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "OTEL_PROPAGATORS=jaeger: propagator 'jaeger' is not supported by frame-tracking (supported: tracecontext, "
            "baggage, none)");
  ASSERT_EQ(unsetenv("OTEL_PROPAGATORS"), 0);
  auto fallback = propagator_from_env();
  ASSERT_TRUE(fallback);
  EXPECT_EQ((*fallback)->fields(), (std::vector<std::string_view>{"traceparent", "tracestate", "baggage"}));
}

}  // namespace
}  // namespace frame_tracking
