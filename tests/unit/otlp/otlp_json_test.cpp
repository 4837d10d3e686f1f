// SPDX-License-Identifier: Apache-2.0
// OTLP/JSON encoder: exact text for a fixed span, grouping by resource and scope, JSON rule corner cases.
#include "frame_tracking/otlp_json.hpp"
#include "frame_tracking/otlp_layout.hpp"
#include "otlp_corpus.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace frame_tracking {
namespace {

using testing::make_otlp_corpus;
using testing::make_rich_span;

TEST(OtlpJsonTest, EncodesRichSpanExactly) {
  const Resource resource({{"service.name", std::string("camera-ingest")}, {"process.pid", std::int64_t{4242}}},
                          "https://opentelemetry.io/schemas/1.26.0");
  const InstrumentationScope scope{"frame_tracking", "0.1.0", "", {}};
  const auto span = make_rich_span(&resource, &scope);
  const SpanData* batch[] = {span.get()};
  EXPECT_EQ(to_otlp_json(batch),
            R"({"resourceSpans":[{"resource":{"attributes":[)"
            R"({"key":"service.name","value":{"stringValue":"camera-ingest"}},)"
            R"({"key":"process.pid","value":{"intValue":"4242"}}]},)"
            R"("scopeSpans":[{"scope":{"name":"frame_tracking","version":"0.1.0"},"spans":[{)"
            R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",)"
            R"("traceState":"vendor=x,other=y","parentSpanId":"eee19b7ec3c1b173","name":"process frames","kind":5,)"
            R"("startTimeUnixNano":"1764460800123456789","endTimeUnixNano":"1764460800125456789","attributes":[)"
            R"({"key":"frame.id","value":{"stringValue":"019ad4a2-7c3e-7000-8000-0123456789ab"}},)"
            R"({"key":"frame.sequence","value":{"intValue":"42"}},)"
            R"({"key":"frame.offset","value":{"intValue":"-9007199254740993"}},)"
            R"({"key":"frame.keyframe","value":{"boolValue":true}},)"
            R"({"key":"frame.fps","value":{"doubleValue":29.97}},)"
            R"({"key":"frame.tags","value":{"arrayValue":{"values":[{"stringValue":"night"},)"
            R"({"stringValue":"ir \"on\"\n"}]}}},)"
            R"({"key":"frame.sizes","value":{"arrayValue":{"values":[{"intValue":"1"},{"intValue":"-2"},)"
            R"({"intValue":"3000000000000"}]}}},)"
            R"({"key":"frame.ratios","value":{"arrayValue":{"values":[{"doubleValue":0.5},{"doubleValue":-1.25}]}}},)"
            R"({"key":"frame.bits","value":{"arrayValue":{"values":[{"boolValue":true},{"boolValue":false}]}}},)"
            "{\"key\":\"camera.label\",\"value\":{\"stringValue\":\"Cam\xC3\xA9ra \xE2\x82\xAC nord\"}}],"
            R"("droppedAttributesCount":2,"events":[)"
            R"({"timeUnixNano":"1764460800124000000","name":"frame.dropped","attributes":[)"
            R"({"key":"frame.drop_reason","value":{"stringValue":"queue_full"}},)"
            R"({"key":"queue.depth","value":{"intValue":"128"}}]},)"
            R"({"timeUnixNano":"1764460800124500000","name":"retry"}],"droppedEventsCount":1,"links":[)"
            R"({"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b175",)"
            R"("traceState":"rojo=00f067aa0ba902b7","attributes":[)"
            R"({"key":"messaging.message.id","value":{"stringValue":"1-0"}}],"flags":769},)"
            R"({"traceId":"5b8efff798038103d269b633813fc60e","spanId":"eee19b7ec3c1b176","flags":256}],)"
            R"("droppedLinksCount":3,"status":{"message":"decoder error","code":2},"flags":771}]}],)"
            R"("schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}]})");
}

TEST(OtlpJsonTest, EmptyBatchIsEmptyObject) {
  EXPECT_EQ(to_otlp_json({}), "{}");
  const SpanData* only_null[] = {nullptr};
  EXPECT_EQ(to_otlp_json(only_null), "{}");
}

TEST(OtlpJsonTest, AppendsToExistingText) {
  std::string out = "prefix ";
  append_otlp_json({}, out);
  EXPECT_EQ(out, "prefix {}");
}

TEST(OtlpJsonTest, GroupsByResourceThenScopeInFirstSeenOrder) {
  const auto corpus = make_otlp_corpus();
  const auto json = nlohmann::json::parse(to_otlp_json(corpus.batch()));
  const auto& rs = json.at("resourceSpans");
  ASSERT_EQ(rs.size(), 3U);
  EXPECT_EQ(rs[0]["resource"]["attributes"][0]["value"]["stringValue"], "camera-ingest");
  EXPECT_EQ(rs[0]["schemaUrl"], "https://opentelemetry.io/schemas/1.26.0");
  ASSERT_EQ(rs[0]["scopeSpans"].size(), 2U);
  EXPECT_EQ(rs[0]["scopeSpans"][0]["scope"]["name"], "frame_tracking");
  EXPECT_EQ(rs[0]["scopeSpans"][0]["schemaUrl"], "https://opentelemetry.io/schemas/1.26.0");
  ASSERT_EQ(rs[0]["scopeSpans"][0]["spans"].size(), 3U);
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][0]["name"], "process frames");
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][1]["name"], "capture_frame");
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][1].dump(),
            R"({"endTimeUnixNano":"1764460800001000000","flags":257,"kind":2,"name":"capture_frame",)"
            R"("spanId":"eee19b7ec3c1b101","startTimeUnixNano":"1764460800000000000",)"
            R"("traceId":"5b8efff798038103d269b633813fc610"})");
  EXPECT_EQ(rs[0]["scopeSpans"][1].dump(),
            R"({"scope":{"name":"frame_tracking.redis"},"spans":[{"attributes":[{"key":"messaging.system",)"
            R"("value":{"stringValue":"redis"}}],"endTimeUnixNano":"1764460800000200000","flags":256,"kind":3,)"
            R"("name":"send frames","parentSpanId":"eee19b7ec3c1b101","spanId":"eee19b7ec3c1b102",)"
            R"("startTimeUnixNano":"1764460800000100000","status":{"code":1},)"
            R"("traceId":"5b8efff798038103d269b633813fc610"}]})");
  EXPECT_EQ(rs[1]["resource"].dump(),
            R"({"attributes":[{"key":"service.name","value":{"stringValue":"detector"}},)"
            R"({"key":"detector.gpu","value":{"boolValue":true}},)"
            R"({"key":"detector.scores","value":{"arrayValue":{"values":[{"doubleValue":0.25}]}}}]})");
  EXPECT_EQ(rs[1]["scopeSpans"][0]["spans"][0]["kind"], 4);
  // No resource and no scope: both fields are omitted.
  EXPECT_EQ(rs[2].dump(),
            R"({"scopeSpans":[{"spans":[{"endTimeUnixNano":"2","flags":256,"kind":1,"name":"bare",)"
            R"("spanId":"eee19b7ec3c1b104","startTimeUnixNano":"1","traceId":"5b8efff798038103d269b633813fc612"}]}]})");
}

TEST(OtlpJsonTest, RepairsUtf8EscapesControlsAndSpellsNonFiniteDoubles) {
  const auto corpus = make_otlp_corpus();
  const SpanData* batch[] = {corpus.spans[5].get()};
  EXPECT_EQ(to_otlp_json(batch),
            R"({"resourceSpans":[{"resource":{"attributes":[)"
            R"({"key":"service.name","value":{"stringValue":"camera-ingest"}},)"
            R"({"key":"host.name","value":{"stringValue":"edge-01"}},)"
            R"({"key":"process.pid","value":{"intValue":"4242"}}]},"scopeSpans":[{"scope":{"name":"frame_tracking",)"
            R"("version":"0.1.0","attributes":[{"key":"scope.shard","value":{"intValue":"7"}}]},"spans":[{)"
            R"("traceId":"5b8efff798038103d269b633813fc613","spanId":"eee19b7ec3c1b105",)"
            "\"name\":\"bad \xEF\xBF\xBD( utf8 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \\u0001\\t/\","
            R"("kind":1,"startTimeUnixNano":"10","endTimeUnixNano":"20","attributes":[)"
            R"({"key":"nan","value":{"doubleValue":"NaN"}},{"key":"inf","value":{"doubleValue":"Infinity"}},)"
            R"({"key":"ninf","value":{"doubleValue":"-Infinity"}},{"key":"empty","value":{"arrayValue":{}}},)"
            R"({"key":"","value":{"stringValue":""}}],"flags":256}],)"
            R"("schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}],)"
            R"("schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}]})");
}

TEST(OtlpLayoutTest, FlagsCarryTraceFlagsAndRemoteBits) {
  SpanData span;
  span.context.trace_flags.value = 0x01;
  EXPECT_EQ(otlp_span_flags(span), 0x101U);
  span.parent_is_remote = true;
  span.context.trace_flags.value = 0x03;
  EXPECT_EQ(otlp_span_flags(span), 0x303U);
  LinkView link;
  EXPECT_EQ(otlp_link_flags(link), 0x100U);
  link.remote = true;
  link.trace_flags.value = 0x01;
  EXPECT_EQ(otlp_link_flags(link), 0x301U);
}

}  // namespace
}  // namespace frame_tracking
