// SPDX-License-Identifier: Apache-2.0
// Unit tests of the service's parsers and renderers: Go durations, Jaeger params, OTLP/JSON, Jaeger ids and tags.
#include "jaeger_json.hpp"
#include "jaeger_query.hpp"
#include "otlp_json.hpp"

#include "otlp_builders.hpp"

#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <gtest/gtest.h>

namespace frame_tracking::service {
namespace {

using namespace frame_tracking::testing;  // NOLINT(google-build-using-namespace)

TEST(GoDurationTest, ParsesEveryUnitAndFractions) {
  struct Case {
    const char* text;
    std::int64_t ns;
  };
  for (const Case& c : {Case{"0", 0}, Case{"1ns", 1}, Case{"1.5us", 1500}, Case{"2\xC2\xB5s", 2000},
                        Case{"3\xCE\xBCs", 3000}, Case{"1.5ms", 1'500'000}, Case{"2s", 2'000'000'000},
                        Case{"1m", 60'000'000'000}, Case{"1h30m", 5'400'000'000'000}, Case{".5s", 500'000'000},
                        Case{"+4ms", 4'000'000}, Case{"-1s", -1'000'000'000}}) {
    auto parsed = parse_go_duration(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.ns) << c.text;
  }
}

TEST(GoDurationTest, ReportsErrorsInGosWords) {
  EXPECT_EQ(parse_go_duration("100").error().message, "time: missing unit in duration \"100\"");
  EXPECT_EQ(parse_go_duration("5x").error().message, "time: unknown unit \"x\" in duration \"5x\"");
  EXPECT_EQ(parse_go_duration("").error().message, "time: invalid duration \"\"");
  EXPECT_EQ(parse_go_duration("ms").error().message, "time: invalid duration \"ms\"");
  EXPECT_EQ(parse_go_duration(".s").error().message, "time: invalid duration \".s\"");
}

TEST(SearchParamsTest, AppliesJaegerDefaultsAndMergesTags) {
  constexpr std::int64_t kNow = 1'800'000'000'000'000'000;
  auto parsed = parse_search_params({{"service", "cam"},
                                     {"tag", "http.url:http://x:80/y"},
                                     {"tag", "a:1"},
                                     {"tags", R"({"a":"2","b":"with space"})"}},
                                    kNow);
  ASSERT_TRUE(parsed.has_value());
  const auto& q = parsed->query;
  EXPECT_EQ(q.service, "cam");
  EXPECT_EQ(q.limit, 100U);
  EXPECT_EQ(q.start_min_ns, kNow - kDefaultLookbackNs);
  EXPECT_EQ(q.start_max_ns, kNow);
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(q.tags, (Tags{{"a", "2"}, {"b", "with space"}, {"http.url", "http://x:80/y"}}));

  auto frame = parse_search_params({{"tags", "frame.id:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051"}}, kNow);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->query.tags, (Tags{{"frame.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051"}}));
  EXPECT_FALSE(frame->query.start_min_ns.has_value());  // a frame is found without a time window

  auto window = parse_search_params({{"start", "1000"}, {"end", "2000"}, {"minDuration", "1ms"}, {"limit", "7"}}, kNow);
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->query.start_min_ns, 1'000'000);
  EXPECT_EQ(window->query.start_max_ns, 2'000'000);
  EXPECT_EQ(window->query.duration_min_ns, 1'000'000);
  EXPECT_FALSE(window->query.duration_max_ns.has_value());
  EXPECT_EQ(window->query.limit, 7U);
}

TEST(TraceIdParamTest, AcceptsShortHexFullHexAndFrameIds) {
  EXPECT_EQ(parse_trace_id_param("abc")->to_hex(), "00000000000000000000000000000abc");
  EXPECT_EQ(parse_trace_id_param("0190A1B2C3D47E5F8A9B0C1D2E3F4051")->to_hex(), "0190a1b2c3d47e5f8a9b0c1d2e3f4051");
  EXPECT_EQ(parse_trace_id_param("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051")->to_hex(), "0190a1b2c3d47e5f8a9b0c1d2e3f4051");
  EXPECT_FALSE(parse_trace_id_param("0").has_value());
  EXPECT_FALSE(parse_trace_id_param("xyz").has_value());
  EXPECT_FALSE(parse_trace_id_param("0190a1b2c3d47e5f8a9b0c1d2e3f40510").has_value());
  EXPECT_FALSE(parse_trace_id_param("0190a1b2-c3d4-7e5f-8a9b_0c1d2e3f4051").has_value());
}

TEST(OtlpJsonTest, MapsEveryFieldOfTheSpecRules) {
  otlp_collector::ExportTraceServiceRequest request;
  auto parsed = parse_otlp_json(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s"}}]},
    "scopeSpans":[{"scope":{"name":"lib","version":"1.0"},"spans":[{
      "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"",
      "traceState":"k=v","flags":257,"name":"op","kind":3,"startTimeUnixNano":"1544712660000000000",
      "endTimeUnixNano":1544712661000000000,"droppedAttributesCount":2,
      "attributes":[{"key":"i","value":{"intValue":"-7"}},{"key":"d","value":{"doubleValue":1.5}},
                    {"key":"b","value":{"boolValue":true}},{"key":"x","value":{"bytesValue":"AQID"}},
                    {"key":"a","value":{"arrayValue":{"values":[{"stringValue":"p"},{"intValue":2}]}}},
                    {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],
      "events":[{"timeUnixNano":"1544712660500000000","name":"e","attributes":[{"key":"n","value":{"intValue":1}}]}],
      "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","flags":1}],
      "status":{"code":2,"message":"bad"},"unknownField":{"ignored":true}}]}]}]})",
                                request);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const auto& span = request.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id(), bytes_from_hex("5b8efff798038103d269b633813fc60c"));
  EXPECT_EQ(span.span_id(), bytes_from_hex("eee19b7ec3c1b174"));
  EXPECT_EQ(span.parent_span_id(), "");
  EXPECT_EQ(span.trace_state(), "k=v");
  EXPECT_EQ(span.flags(), 257U);
  EXPECT_EQ(span.kind(), otlp_trace::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(span.start_time_unix_nano(), 1544712660000000000ULL);
  EXPECT_EQ(span.end_time_unix_nano(), 1544712661000000000ULL);
  EXPECT_EQ(span.dropped_attributes_count(), 2U);
  EXPECT_EQ(span.attributes(0).value().int_value(), -7);
  EXPECT_EQ(span.attributes(1).value().double_value(), 1.5);
  EXPECT_TRUE(span.attributes(2).value().bool_value());
  EXPECT_EQ(span.attributes(3).value().bytes_value(), std::string("\x01\x02\x03"));
  EXPECT_EQ(span.attributes(4).value().array_value().values(1).int_value(), 2);
  EXPECT_EQ(span.attributes(5).value().kvlist_value().values(0).value().string_value(), "v");
  EXPECT_EQ(span.events(0).time_unix_nano(), 1544712660500000000ULL);
  EXPECT_EQ(span.events(0).attributes(0).value().int_value(), 1);
  EXPECT_EQ(span.links(0).trace_id(), bytes_from_hex("0102030405060708090a0b0c0d0e0f10"));
  EXPECT_EQ(span.links(0).flags(), 1U);
  EXPECT_EQ(span.status().code(), otlp_trace::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(span.status().message(), "bad");
  EXPECT_EQ(request.resource_spans(0).scope_spans(0).scope().version(), "1.0");
}

TEST(OtlpJsonTest, NamesTheFieldAndRuleOfEachDefect) {
  auto error = [](const char* body) {
    otlp_collector::ExportTraceServiceRequest request;
    auto parsed = parse_otlp_json(body, request);
    return parsed ? std::string("ok") : parsed.error().message;
  };
  EXPECT_EQ(error(R"([])"), "body: must be an object");
  EXPECT_EQ(error(R"({"resourceSpans":{}})"), "resourceSpans: must be an array");
  EXPECT_EQ(error(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc"}]}]}]})"),
            "resourceSpans[0].scopeSpans[0].spans[0].traceId: not a hex string (odd length)");
  EXPECT_EQ(error(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"12x"}]}]}]})"),
            "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: must be a decimal integer (number or string)");
  EXPECT_EQ(error(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":9}]}]}]})"),
            "resourceSpans[0].scopeSpans[0].spans[0].kind: unknown enum value 9");
  EXPECT_EQ(error(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"boolValue":1}}]}]}]}]})"),
            "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.boolValue: must be true or false");
  EXPECT_EQ(error(R"({"resourceSpans":[],"other":1})"), "ok");
}

TEST(JaegerJsonTest, ShortensTraceIdsWithZeroHighHalfAndQuotesBigIntegers) {
  EXPECT_EQ(jaeger_trace_id(bytes_from_hex("00000000000000000102030405060708")), "0102030405060708");
  EXPECT_EQ(jaeger_trace_id(bytes_from_hex("01000000000000000102030405060708")), "01000000000000000102030405060708");

  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "svc", "");
  auto* span = add_span(scope, "00000000000000000102030405060708", "0a0b0c0d0e0f1011", "", "op", 0, 1'000'999, 3'000'000);
  auto* big = span->add_attributes();
  big->set_key("big");
  big->mutable_value()->set_int_value(9007199254740993);
  auto* small = span->add_attributes();
  small->set_key("small");
  small->mutable_value()->set_int_value(9007199254740991);
  store::StoredTrace trace;
  trace.trace_id = *TraceId::from_hex("00000000000000000102030405060708");
  trace.data = std::make_shared<otlp_trace::TracesData>();
  trace.data->add_resource_spans()->CopyFrom(request.resource_spans(0));
  trace.span_count = 1;
  auto json = jaeger_trace(trace);
  EXPECT_EQ(json.dump(),
            R"({"traceID":"0102030405060708","spans":[{"traceID":"0102030405060708","spanID":"0a0b0c0d0e0f1011",)"
            R"("operationName":"op","references":[],"startTime":1000,"duration":1999,"tags":[)"
            R"({"key":"big","type":"int64","value":"9007199254740993"},)"
            R"({"key":"small","type":"int64","value":9007199254740991}],"logs":[],"processID":"p1","warnings":null}],)"
            R"("processes":{"p1":{"serviceName":"svc","tags":[]}},"warnings":null})");
}

}  // namespace
}  // namespace frame_tracking::service
