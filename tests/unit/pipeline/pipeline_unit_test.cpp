// SPDX-License-Identifier: Apache-2.0
// Unit tests: frame-buffer routing rules and the journey check on exact Jaeger API JSON.
#include "pipeline/journey.hpp"
#include "pipeline/route_rule.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace frame_tracking::pipeline {
namespace {

constexpr const char* kFrameId = "01a22bfa-3745-7000-a237-1bd70724debc";
constexpr const char* kTraceId = "01a22bfa37457000a2371bd70724debc";

FrameMetadata frame(const std::string& camera, bool key_frame) {
  FrameMetadata m;
  m.camera_id = camera;
  m.format = "h264";
  m.attributes["key_frame"] = key_frame ? "true" : "false";
  return m;
}

TEST(RouteRule, ParsesCamerasFieldsAndWildcard) {
  auto rule = RouteRule::parse("motion=cam-1,key_frame:true,*");
  ASSERT_TRUE(rule) << rule.error().message;
  EXPECT_EQ(rule->processor, "motion");
  ASSERT_EQ(rule->matches.size(), 3U);
  EXPECT_EQ(rule->matches[0].field, "camera_id");
  EXPECT_EQ(rule->matches[0].value, "cam-1");
  EXPECT_EQ(rule->matches[1].field, "key_frame");
  EXPECT_EQ(rule->matches[1].value, "true");
  EXPECT_EQ(rule->matches[2].field, "");
}

TEST(RouteRule, FirstMatchingRuleWinsAndNoMatchIsNoRoute) {
  std::vector<RouteRule> rules{*RouteRule::parse("motion=cam-1,cam-2"), *RouteRule::parse("thumbnail=key_frame:true")};
  EXPECT_EQ(route(rules, frame("cam-2", true)), "motion");
  EXPECT_EQ(route(rules, frame("cam-9", true)), "thumbnail");
  EXPECT_EQ(route(rules, frame("cam-9", false)), std::nullopt);
  EXPECT_EQ(route({*RouteRule::parse("x=format:h264")}, frame("any", false)), "x");
}

TEST(RouteRule, BadRulesNameTheFlagAndTheRule) {
  EXPECT_EQ(RouteRule::parse("motion").error().message,
            "--route 'motion': expected PROCESSOR=MATCH[,MATCH...] (e.g. motion=cam-1,cam-2 or thumbnail=*)");
  EXPECT_EQ(RouteRule::parse("mo tion=*").error().message,
            "--route 'mo tion=*': the processor name must be letters, digits, '-', '_' or '.'");
  EXPECT_EQ(RouteRule::parse("motion=a,,b").error().message, "--route 'motion=a,,b': empty MATCH between commas");
  EXPECT_EQ(RouteRule::parse("motion=:x").error().message, "--route 'motion=:x': FIELD:VALUE needs a field name");
}

/// A Jaeger UI-model trace with the spans (name, id, parent id, service, kind), frame.id and camera.id on each.
std::string jaeger_trace(const std::vector<std::vector<std::string>>& spans, const std::string& drop_on = "") {
  nlohmann::json out{{"data", nlohmann::json::array()}};
  nlohmann::json trace{{"traceID", kTraceId}, {"spans", nlohmann::json::array()}, {"processes", nlohmann::json::object()}};
  int process = 0;
  for (const auto& s : spans) {
    const std::string pid = "p" + std::to_string(++process);
    trace["processes"][pid] = {{"serviceName", s[3]}, {"tags", nlohmann::json::array()}};
    nlohmann::json span{{"traceID", kTraceId},
                        {"spanID", s[1]},
                        {"operationName", s[0]},
                        {"references", nlohmann::json::array()},
                        {"startTime", 1000},
                        {"duration", 10},
                        {"tags",
                         {{{"key", "frame.id"}, {"type", "string"}, {"value", kFrameId}},
                          {{"key", "camera.id"}, {"type", "string"}, {"value", "cam-1"}},
                          {{"key", "span.kind"}, {"type", "string"}, {"value", s[4]}}}},
                        {"logs", nlohmann::json::array()},
                        {"processID", pid}};
    if (!s[2].empty()) span["references"].push_back({{"refType", "CHILD_OF"}, {"traceID", kTraceId}, {"spanID", s[2]}});
    if (s[0] == drop_on)
      span["logs"].push_back({{"timestamp", 1005},
                              {"fields",
                               {{{"key", "event"}, {"type", "string"}, {"value", "frame.dropped"}},
                                {{"key", "frame.drop_reason"}, {"type", "string"}, {"value", "no_route"}}}}});
    trace["spans"].push_back(span);
  }
  out["data"].push_back(trace);
  return out.dump();
}

const std::vector<std::vector<std::string>> kComplete{
    {"capture_frame", "0000000000000001", "", "rtsp-capture", "internal"},
    {"decode_frame", "0000000000000002", "0000000000000001", "rtsp-capture", "internal"},
    {"send frames:metadata", "0000000000000003", "0000000000000001", "rtsp-capture", "producer"},
    {"process frames:metadata", "0000000000000004", "0000000000000003", "frame-buffer", "consumer"},
    {"send frames:ready:motion", "0000000000000005", "0000000000000004", "frame-buffer", "producer"},
    {"process frames:ready:motion", "0000000000000006", "0000000000000005", "frame-processor", "consumer"},
    {"detect", "0000000000000007", "0000000000000006", "frame-processor", "internal"},
    {"send frames:results", "0000000000000008", "0000000000000006", "frame-processor", "producer"},
    {"process frames:results", "0000000000000009", "0000000000000008", "metadata-storage", "consumer"},
    {"store_frame", "000000000000000a", "0000000000000009", "metadata-storage", "internal"},
};

TEST(JourneyCheck, TheTenSpansInTheirTreeAreComplete) {
  auto traces = parse_jaeger_traces(jaeger_trace(kComplete));
  ASSERT_TRUE(traces) << traces.error().message;
  const JourneyVerdict verdict = check_journey(*traces, kFrameId);
  EXPECT_EQ(verdict.outcome, JourneyVerdict::Outcome::kComplete);
  EXPECT_EQ(verdict.processor, "motion");
  EXPECT_EQ(verdict.problems, std::vector<std::string>{});
}

TEST(JourneyCheck, AMissingSpanAndAnOrphanAreIncomplete) {
  auto spans = kComplete;
  spans.erase(spans.begin() + 7);  // send frames:results is lost: process frames:results becomes an orphan
  auto traces = parse_jaeger_traces(jaeger_trace(spans));
  ASSERT_TRUE(traces);
  const JourneyVerdict verdict = check_journey(*traces, kFrameId);
  EXPECT_EQ(verdict.outcome, JourneyVerdict::Outcome::kIncomplete);
  EXPECT_EQ(verdict.problems,
            (std::vector<std::string>{"span 'process frames:results' (metadata-storage) is an orphan: parent 0000000000000008 is not in the trace",
                                      "span 'send frames:results' (frame-processor) appears 0 times, expected once"}));
}

TEST(JourneyCheck, ADropEndsTheJourneyCleanly) {
  const std::vector<std::vector<std::string>> spans(kComplete.begin(), kComplete.begin() + 4);
  auto traces = parse_jaeger_traces(jaeger_trace(spans, "process frames:metadata"));
  ASSERT_TRUE(traces);
  const JourneyVerdict verdict = check_journey(*traces, kFrameId);
  EXPECT_EQ(verdict.outcome, JourneyVerdict::Outcome::kDropped);
  EXPECT_EQ(verdict.drop_reason, "no_route");
  EXPECT_EQ(verdict.problems, std::vector<std::string>{});
}

TEST(JourneyCheck, TwoTracesOrAWrongTraceIdAreIncomplete) {
  auto traces = parse_jaeger_traces(jaeger_trace(kComplete));
  ASSERT_TRUE(traces);
  std::vector<Journey> two{(*traces)[0], (*traces)[0]};
  EXPECT_EQ(check_journey(two, kFrameId).problems, std::vector<std::string>{"expected exactly 1 trace, found 2"});
  const JourneyVerdict other = check_journey(*traces, "01a22bfa-3745-7000-a237-1bd70724deb0");
  EXPECT_EQ(other.outcome, JourneyVerdict::Outcome::kIncomplete);
  EXPECT_EQ(other.problems.front(),
            "trace id 01a22bfa37457000a2371bd70724debc is not the FrameId 01a22bfa-3745-7000-a237-1bd70724deb0");
}

TEST(JourneyCheck, MalformedJsonNamesThePlace) {
  EXPECT_EQ(parse_jaeger_traces("{").error().message, "body: not JSON");
  EXPECT_EQ(parse_jaeger_traces(R"({"data":[{"traceID":"x","spans":[{"spanID":1}]}]})").error().message,
            "data[0].spans[0].spanID: expected string");
}

}  // namespace
}  // namespace frame_tracking::pipeline
