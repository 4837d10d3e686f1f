// SPDX-License-Identifier: Apache-2.0
// Unit tests: Jaeger trace parsing, tree order and critical path, the exact waterfall text, the
// analysis of fixed traces, Prometheus text and the journey/analyze option parsers.
#include "jaeger/analysis_report.hpp"
#include "jaeger/cli_options.hpp"
#include "jaeger/jaeger_trace.hpp"
#include "jaeger/journey_tree.hpp"
#include "jaeger/prometheus_text.hpp"
#include "jaeger/trace_analysis.hpp"
#include "jaeger/waterfall.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace frame_tracking::jaeger {
namespace {

using nlohmann::json;

constexpr std::int64_t kBase = 1'700'000'000'000'000;  // µs
constexpr const char* kTrace = "01a22bfa37457000a2371bd70724debc";

/// A span of a test trace; times are µs after kBase.
struct TestSpan {
  std::string id, parent, service, name, kind;
  std::int64_t start = 0, end = 0;
  json tags = json::array();
  json logs = json::array();
};

json string_tag(const std::string& key, const std::string& value) { return {{"key", key}, {"type", "string"}, {"value", value}}; }

/// The `GET /api/traces/{id}` body of one trace; process tags give cam and proc a host.name.
std::string jaeger_body(const std::vector<TestSpan>& spans, const std::string& trace_id = kTrace) {
  json trace{{"traceID", trace_id}, {"spans", json::array()}, {"processes", json::object()}, {"warnings", nullptr}};
  const std::map<std::string, std::string> hosts{{"cam", "edge-1"}, {"proc", "gpu-1"}};
  for (const TestSpan& s : spans) {
    json process{{"serviceName", s.service}, {"tags", json::array()}};
    if (hosts.count(s.service) != 0) process["tags"].push_back(string_tag("host.name", hosts.at(s.service)));
    trace["processes"]["p-" + s.service] = process;
    json tags = s.tags;
    if (!s.kind.empty()) tags.push_back(string_tag("span.kind", s.kind));
    json span{{"traceID", trace_id}, {"spanID", s.id}, {"operationName", s.name}, {"references", json::array()},
              {"startTime", kBase + s.start}, {"duration", s.end - s.start}, {"tags", tags}, {"logs", s.logs},
              {"processID", "p-" + s.service}, {"warnings", nullptr}};
    if (!s.parent.empty()) span["references"].push_back({{"refType", "CHILD_OF"}, {"traceID", trace_id}, {"spanID", s.parent}});
    trace["spans"].push_back(span);
  }
  return json{{"data", json::array({trace})}, {"total", 0}, {"limit", 0}, {"offset", 0}, {"errors", nullptr}}.dump();
}

json log_at(std::int64_t at, const std::string& event, const std::string& key, const std::string& value) {
  return {{"timestamp", kBase + at}, {"fields", json::array({string_tag("event", event), string_tag(key, value)})}};
}

/// The fixed journey: a capture root with decode and send, a processor span with detect (failed,
/// one retry event) and a dropped store_frame, and an orphan whose parent never arrived.
std::vector<TestSpan> fixed_spans() {
  const json error_tags = json::array({{{"key", "error"}, {"type", "bool"}, {"value", true}},
                                       string_tag("otel.status_code", "ERROR"), string_tag("otel.status_description", "model timeout")});
  return {
      {"000000000000000a", "", "cam", "capture_frame", "internal", 0, 1000, json::array({string_tag("frame.id", "01a22bfa-3745-7000-a237-1bd70724debc")})},
      {"000000000000000b", "000000000000000a", "cam", "decode_frame", "internal", 100, 400},
      {"000000000000000c", "000000000000000a", "cam", "send frames:ready", "producer", 500, 600},
      {"000000000000000d", "000000000000000c", "proc", "process frames:ready", "consumer", 1500, 4500},
      {"000000000000000e", "000000000000000d", "proc", "detect", "internal", 1600, 3600, error_tags,
       json::array({log_at(2000, "retry", "attempt", "2")})},
      {"000000000000000f", "000000000000000d", "store", "store_frame", "internal", 3700, 4000,
       json::array({string_tag("otel.status_code", "ERROR")}), json::array({log_at(3900, "frame.dropped", "frame.drop_reason", "queue_full")})},
      {"0000000000000010", "deadbeefdeadbeef", "store", "late_ack", "", 4000, 5000},
  };
}

Journey parse_one(const std::string& body) {
  auto traces = parse_jaeger_traces(body);
  EXPECT_TRUE(traces.has_value()) << traces.error().message;
  EXPECT_EQ(traces->size(), 1U);
  return traces->at(0);
}

TEST(JaegerTrace, ParsesServiceHostKindErrorEventsAndDrop) {
  const Journey journey = parse_one(jaeger_body(fixed_spans()));
  EXPECT_EQ(journey.trace_id, kTrace);
  ASSERT_EQ(journey.spans.size(), 7U);
  const JourneySpan& detect = journey.spans[4];
  EXPECT_EQ(detect.parent_id, "000000000000000d");
  EXPECT_EQ(detect.service, "proc");
  EXPECT_EQ(detect.host, "gpu-1");
  EXPECT_EQ(detect.kind, "internal");
  EXPECT_EQ(detect.start_us, kBase + 1600);
  EXPECT_EQ(detect.duration_us, 2000);
  EXPECT_TRUE(detect.error);
  EXPECT_EQ(detect.status_message, "model timeout");
  ASSERT_EQ(detect.events.size(), 1U);
  EXPECT_EQ(detect.events[0].name, "retry");
  EXPECT_EQ(detect.events[0].timestamp_us, kBase + 2000);
  EXPECT_EQ(detect.events[0].fields, (std::map<std::string, std::string>{{"attempt", "2"}}));
  const JourneySpan& store = journey.spans[5];
  EXPECT_EQ(store.host, "store");  // no host.name: the service
  EXPECT_TRUE(store.dropped);
  EXPECT_EQ(store.drop_reason, "queue_full");
  EXPECT_TRUE(store.error);
  EXPECT_EQ(journey_duration_us(journey), 5000);
  EXPECT_EQ(journey_start_us(journey), kBase);
}

TEST(JaegerTrace, MalformedBodiesNameThePlace) {
  EXPECT_EQ(parse_jaeger_traces("{").error().message, "body: not JSON");
  EXPECT_EQ(parse_jaeger_traces("[]").error().message, "body: expected an object with \"data\"");
  EXPECT_EQ(parse_jaeger_traces(R"({"data":{}})").error().message, "data: expected an array");
  EXPECT_EQ(parse_jaeger_traces(R"({"data":[{"traceID":"x","spans":[{"spanID":1}]}]})").error().message,
            "data[0].spans[0].spanID: expected string");
  // Wrong types inside a span are skipped, not thrown through.
  auto odd = parse_jaeger_traces(
      R"({"data":[{"traceID":"x","spans":[{"spanID":"1","startTime":"soon","tags":[{"key":7,"value":1}],"logs":[3]}]}]})");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->at(0).spans.at(0).start_us, 0);
  EXPECT_TRUE(odd->at(0).spans.at(0).tags.empty());
  EXPECT_TRUE(parse_jaeger_traces(R"({"data":null})")->empty());
}

TEST(JourneyTree, TreeOrderAndCriticalPathFollowTheChildThatEndsLast) {
  const Journey journey = parse_one(jaeger_body(fixed_spans()));
  std::vector<std::string> order;
  for (const TreeRow& row : tree_rows(journey)) order.push_back(row.span->name + "@" + std::to_string(row.depth) + (row.orphan ? "!" : ""));
  EXPECT_EQ(order, (std::vector<std::string>{"capture_frame@0", "decode_frame@1", "send frames:ready@1", "process frames:ready@2",
                                             "detect@3", "store_frame@3", "late_ack@0!"}));
  EXPECT_EQ(critical_path(journey),
            (std::vector<std::string>{"000000000000000a", "000000000000000c", "000000000000000d", "000000000000000f"}));
}

TEST(JourneyTree, CriticalPathTiesGoToTheEarlierStartAndLoopsEnd) {
  // Two children end together: the earlier start wins.
  Journey ties = parse_one(jaeger_body({{"0000000000000001", "", "cam", "root", "", 0, 100},
                                        {"0000000000000003", "0000000000000001", "cam", "late", "", 50, 90},
                                        {"0000000000000002", "0000000000000001", "cam", "early", "", 10, 90}}));
  EXPECT_EQ(critical_path(ties), (std::vector<std::string>{"0000000000000001", "0000000000000002"}));
  // No root at all: two spans naming each other as parent. Each appears once; the path stops.
  Journey loop = parse_one(jaeger_body({{"0000000000000001", "0000000000000002", "cam", "a", "", 0, 10},
                                        {"0000000000000002", "0000000000000001", "cam", "b", "", 5, 10}}));
  const auto rows = tree_rows(loop);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].span->name, "a");
  EXPECT_TRUE(rows[0].orphan);
  EXPECT_EQ(rows[1].depth, 1U);
  EXPECT_EQ(critical_path(loop), (std::vector<std::string>{"0000000000000001", "0000000000000002"}));
  EXPECT_TRUE(critical_path(Journey{}).empty());
}

TEST(Waterfall, ExactTextAtWidth100) {
  const Journey journey = parse_one(jaeger_body(fixed_spans()));
  EXPECT_EQ(render_waterfall(journey, 100),
            "  SERVICE SPAN                       START ms     DUR ms  TIMELINE\n"
            "* cam     capture_frame                 0.000      1.000  |########                                |\n"
            "  cam       decode_frame                0.100      0.300  |====                                    |\n"
            "* cam       send frames:ready           0.500      0.100  |    #                                   |\n"
            "* proc        process frames:ready      1.500      3.000  |            ########################    |\n"
            "  proc          detect                  1.600      2.000  |            =================           | ERROR: model timeout\n"
            "                  - retry +2.000 ms attempt=2\n"
            "* store         store_frame             3.700      0.300  |                             ##X        | DROPPED: queue_full\n"
            "                  - frame.dropped +3.900 ms frame.drop_reason=queue_full\n"
            "  store   late_ack                      4.000      1.000  |                                ========| ORPHAN: parent deadbeefdeadbeef not in trace\n");
  EXPECT_EQ(render_waterfall(Journey{}, 100), "");
}

TEST(Waterfall, NarrowWidthKeepsTenCells) {
  const Journey journey = parse_one(jaeger_body({{"0000000000000001", "", "cam", "root", "", 0, 100}}));
  EXPECT_EQ(render_waterfall(journey, 20),
            "  SERVICE SPAN   START ms     DUR ms  TIMELINE\n"
            "* cam     root      0.000      0.100  |##########|\n");
}

TEST(Waterfall, JsonDocument) {
  const Journey journey = parse_one(jaeger_body(fixed_spans()));
  const auto document = journey_json(journey);
  EXPECT_EQ(document["frame_id"], "01a22bfa-3745-7000-a237-1bd70724debc");
  EXPECT_EQ(document["duration_us"], 5000);
  EXPECT_EQ(document["services"].dump(), R"(["cam","proc","store"])");
  EXPECT_EQ(document["errors"].dump(), R"([{"span_id":"000000000000000e","name":"detect","service":"proc","message":"model timeout"}])");
  EXPECT_EQ(document["drops"].dump(), R"([{"span_id":"000000000000000f","name":"store_frame","service":"store","reason":"queue_full"}])");
  EXPECT_EQ(document["spans"][4].dump(),
            R"({"span_id":"000000000000000e","parent_id":"000000000000000d","depth":3,"orphan":false,"critical":false,)"
            R"("service":"proc","host":"gpu-1","name":"detect","kind":"internal","start_offset_us":1600,"duration_us":2000,)"
            R"("error":true,"status_message":"model timeout","dropped":false,"drop_reason":"",)"
            R"("tags":{"error":"true","otel.status_code":"ERROR","otel.status_description":"model timeout","span.kind":"internal"},)"
            R"("events":[{"offset_us":2000,"name":"retry","fields":{"attempt":"2"}}]})");
}

TEST(TraceAnalysis, StageMatchingRule) {
  EXPECT_TRUE(stage_matches("send", "send"));
  EXPECT_TRUE(stage_matches("send", "send frames:metadata"));
  EXPECT_TRUE(stage_matches("process frames:ready", "process frames:ready:motion"));
  EXPECT_FALSE(stage_matches("send", "sender"));
  EXPECT_FALSE(stage_matches("process frames:ready", "process frames:results"));
  EXPECT_FALSE(stage_matches("detect", "dete"));
}

TEST(TraceAnalysis, NearestRankPercentiles) {
  EXPECT_EQ(nearest_rank({}, 50), 0);
  const std::vector<double> values{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(nearest_rank(values, 50), 5);
  EXPECT_EQ(nearest_rank(values, 95), 10);
  EXPECT_EQ(nearest_rank(values, 10), 1);
}

TEST(TraceAnalysis, FixedJourneyFindings) {
  const Journey journey = parse_one(jaeger_body(fixed_spans()));
  AnalysisOptions options;
  options.expect = {"capture_frame", "send", "process", "detect", "store_frame"};
  const Analysis a = analyze_traces({journey, journey}, options);  // the duplicate counts once
  const auto report = analysis_json(a);
  EXPECT_EQ(report["frames"].dump(), R"({"total":1,"complete":0,"dropped":1,"incomplete":0,"coverage_percent":null})");
  EXPECT_EQ(report["orphans"]["count"], 1);
  EXPECT_EQ(report["orphans"]["spans"][0]["parent_id"], "deadbeefdeadbeef");
  EXPECT_EQ(report["errors"].dump(),
            R"({"frames":1,"spans":[{"trace_id":"01a22bfa37457000a2371bd70724debc","frame_id":"01a22bfa-3745-7000-a237-1bd70724debc",)"
            R"("span_id":"000000000000000e","name":"detect","service":"proc","message":"model timeout"}]})");
  EXPECT_EQ(report["drops"]["by_reason"].dump(), R"({"queue_full":1})");
  EXPECT_EQ(report["clock_skew"]["count"], 0);
  // Every span but the root lacks frame.id.
  EXPECT_EQ(report["missing_frame_id"]["count"], 6);
  // process frames:ready: 3000 µs minus detect (1600..3600) and store_frame (3700..4000) = 700 µs of self time;
  // capture_frame: 1000 − decode (300) − send (100) = 600 µs; detect 2000 µs is the slowest stage.
  EXPECT_EQ(report["slowest"].dump(),
            R"([{"trace_id":"01a22bfa37457000a2371bd70724debc","frame_id":"01a22bfa-3745-7000-a237-1bd70724debc",)"
            R"("duration_us":5000,"slowest_stage":"detect","slowest_stage_self_us":2000}])");
}

TEST(TraceAnalysis, SkewIsPerHostPairAndAsyncHandOverMayEndLater) {
  // The consumer starts 200 µs before its producer (skew edge-1 → gpu-1) and ends long after it (allowed);
  // detect ends after its parent on the same host (a bug, reported gpu-1 → gpu-1).
  const Journey journey = parse_one(jaeger_body({{"0000000000000001", "", "cam", "send x", "producer", 1000, 1100},
                                                 {"0000000000000002", "0000000000000001", "proc", "process x", "consumer", 800, 5000},
                                                 {"0000000000000003", "0000000000000002", "proc", "detect", "internal", 900, 5300}}));
  const Analysis a = analyze_traces({journey}, AnalysisOptions{{"send"}, 5, 20});
  EXPECT_EQ(analysis_json(a)["clock_skew"].dump(),
            R"({"count":2,"host_pairs":[{"parent_host":"edge-1","child_host":"gpu-1","spans":1,"max_skew_us":200},)"
            R"({"parent_host":"gpu-1","child_host":"gpu-1","spans":1,"max_skew_us":300}],"spans":[)"
            R"({"trace_id":"01a22bfa37457000a2371bd70724debc","frame_id":"01a22bfa37457000a2371bd70724debc","span_id":"0000000000000002",)"
            R"("name":"process x","parent_name":"send x","parent_host":"edge-1","child_host":"gpu-1","kind":"starts_before_parent","skew_us":200},)"
            R"({"trace_id":"01a22bfa37457000a2371bd70724debc","frame_id":"01a22bfa37457000a2371bd70724debc","span_id":"0000000000000003",)"
            R"("name":"detect","parent_name":"process x","parent_host":"gpu-1","child_host":"gpu-1","kind":"ends_after_parent","skew_us":300}]})");
}

TEST(AnalysisReport, TextAndMarkdownTables) {
  const Journey journey = parse_one(jaeger_body({{"0000000000000001", "", "cam", "capture_frame", "", 0, 1000,
                                                  json::array({string_tag("frame.id", "f-1")})}}));
  const Analysis a = analyze_traces({journey}, AnalysisOptions{{"capture_frame", "store_frame"}, 1, 20});
  EXPECT_EQ(render_analysis(a, ReportFormat::kText),
            "frames: 1 (complete 0, dropped 0, incomplete 1), 1 spans\n"
            "coverage: 0.000 % of the frames not dropped have every stage of capture_frame,store_frame\n"
            "\nincomplete frames (1)\n"
            "  FRAME  MISSING STAGES\n"
            "  f-1    store_frame\n"
            "\norphan spans (0): none\n"
            "\ntraces with several roots (0): none\n"
            "\nclock skew (0) by host pair: none\n"
            "\nspans without frame.id (0): none\n"
            "\nper stage (ms)\n"
            "  STAGE          SPANS  P50    P95    P99\n"
            "  capture_frame  1      1.000  1.000  1.000\n"
            "  store_frame    0      0.000  0.000  0.000\n"
            "  end to end     1      1.000  1.000  1.000\n"
            "\nslowest frames\n"
            "  FRAME  DURATION ms  SLOWEST STAGE  SELF ms\n"
            "  f-1    1.000        capture_frame  1.000\n"
            "\nframes with errors (0), error spans: none\n"
            "\ndropped frames (0) by reason: none\n"
            "\nwarnings\n"
            "  WARNING\n"
            "  stage 'store_frame' matches no span\n");
  const std::string markdown = render_analysis(a, ReportFormat::kMarkdown);
  EXPECT_NE(markdown.find("# Trace analysis\n\n- frames: 1 (complete 0, dropped 0, incomplete 1), 1 spans\n"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("## incomplete frames (1)\n\n| FRAME | MISSING STAGES |\n|---|---|\n| f-1 | store_frame |\n"), std::string::npos)
      << markdown;
}

TEST(PrometheusText, SamplesLabelsAndErrors) {
  auto samples = parse_prometheus_text(
      "# HELP frame_tracking_tracer_spans_dropped_total sampled spans lost\n"
      "# TYPE frame_tracking_tracer_spans_dropped_total counter\n"
      "frame_tracking_tracer_spans_dropped_total{reason=\"queue_full\"} 3\n"
      "frame_tracking_tracer_spans_dropped_total{reason=\"a\\\"b\\\\c\",x=\"\"} 1.5e1 1700000000000\n"
      "\n"
      "up +Inf\r\n");
  ASSERT_TRUE(samples.has_value()) << samples.error().message;
  ASSERT_EQ(samples->size(), 3U);
  EXPECT_EQ((*samples)[0].labels, (std::map<std::string, std::string>{{"reason", "queue_full"}}));
  EXPECT_EQ((*samples)[0].value, 3);
  EXPECT_EQ((*samples)[1].labels.at("reason"), "a\"b\\c");
  EXPECT_EQ((*samples)[1].value, 15);
  EXPECT_EQ((*samples)[2].name, "up");
  EXPECT_TRUE(std::isinf((*samples)[2].value));
  EXPECT_EQ(parse_prometheus_text("x{a=1} 2").error().message, "line 1: expected label=\"value\" in the braces");
  EXPECT_EQ(parse_prometheus_text("ok 1\nx{a=\"1} 2").error().message, "line 2: unterminated label value");
  EXPECT_EQ(parse_prometheus_text("x 1\ny\n").error().message, "line 2: expected a value after the name and labels");
  EXPECT_EQ(parse_prometheus_text("x one").error().message, "line 1: value 'one' is not a number");
  EXPECT_EQ(parse_prometheus_text("{a=\"b\"} 1").error().message, "line 1: expected a metric name");
}

TEST(CliOptions, FrameIdArgument) {
  EXPECT_EQ(*trace_id_argument("01a22bfa-3745-7000-a237-1bd70724debc"), "01a22bfa37457000a2371bd70724debc");
  EXPECT_EQ(*trace_id_argument("4BF92F3577B34DA6A3CE929D0E0E4736"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(trace_id_argument("xyz").error().message,
            "FRAME_ID 'xyz': expected a FrameId (8-4-4-4-12 hex digits, e.g. 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4001) or a non-zero "
            "32-hex-digit trace id");
  EXPECT_FALSE(trace_id_argument("00000000000000000000000000000000").has_value());
  const auto v4 = trace_id_argument("01a22bfa-3745-4000-a237-1bd70724debc");
  ASSERT_FALSE(v4.has_value());
  EXPECT_EQ(v4.error().message.rfind("FRAME_ID '01a22bfa-3745-4000-a237-1bd70724debc': ", 0), 0U) << v4.error().message;
}

TEST(CliOptions, DurationsAndTags) {
  EXPECT_EQ(parse_lookback("1h", "--since")->count(), 3600);
  EXPECT_EQ(parse_lookback("2d", "--since")->count(), 172800);
  EXPECT_EQ(parse_lookback("90s", "--since")->count(), 90);
  EXPECT_EQ(parse_lookback("1.5h", "--since").error().message,
            "--since '1.5h': expected a positive integer and a unit s, m, h or d (e.g. 1h)");
  EXPECT_FALSE(parse_lookback("0m", "--since").has_value());
  EXPECT_FALSE(parse_lookback("h", "--since").has_value());
  for (const char* good : {"1s", "250ms", "1.5m", "1h30m", "10us", "3ns", "2\xC2\xB5s"}) EXPECT_TRUE(check_go_duration(good, "--min-duration")) << good;
  for (const char* bad : {"", "100", "1x", "s", "1s2", ".s"}) EXPECT_FALSE(check_go_duration(bad, "--min-duration")) << bad;
  EXPECT_EQ(check_go_duration("100", "--min-duration").error().message,
            "--min-duration '100': expected a duration like 1s, 250ms, 1.5m or 1h30m (units ns, us, ms, s, m, h)");
  EXPECT_EQ(*parse_tags({"camera.id=cam-1", "url=http://x/?a=b"}),
            (std::map<std::string, std::string>{{"camera.id", "cam-1"}, {"url", "http://x/?a=b"}}));
  EXPECT_EQ(parse_tags({"=x"}).error().message, "--tag '=x': expected KEY=VALUE (e.g. camera.id=cam-1)");
  EXPECT_FALSE(parse_tags({"novalue"}).has_value());
}

}  // namespace
}  // namespace frame_tracking::jaeger
