// SPDX-License-Identifier: Apache-2.0
// Integration tests against the real `frame-tracking serve` binary: OTLP ingest, Jaeger API, errors, durability.
#include "serve_process.hpp"

#include "../../unit/store/otlp_builders.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMs = 1'000'000ULL;
constexpr const char* kFrameA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051";
constexpr const char* kTraceA = "0190a1b2c3d47e5f8a9b0c1d2e3f4051";
constexpr const char* kTraceB = "0190a1b2c3d47e5f8a9b0c1d2e3f4052";
constexpr const char* kTraceC = "0190a1b2c3d47e5f8a9b0c1d2e3f4053";

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-serve-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

/// Three traces: A (capture, a frame), B (detector, an error), C (detector, newest).
otlp_collector::ExportTraceServiceRequest sample_request(std::uint64_t base) {
  otlp_collector::ExportTraceServiceRequest request;
  auto* capture = add_scope(request, "capture", "frame-tracking");
  auto* root = add_span(capture, kTraceA, "1111111111111111", "", "capture_frame", 1, base, base + 5 * kMs);
  add_string_attribute(root->mutable_attributes(), "frame.id", kFrameA);
  add_string_attribute(root->mutable_attributes(), "camera.id", "cam 1");
  add_span(capture, kTraceA, "2222222222222222", "1111111111111111", "send frames", 4, base + 1 * kMs, base + 2 * kMs);
  auto* detector = add_scope(request, "detector", "frame-tracking");
  add_span(detector, kTraceB, "3333333333333333", "", "process frames", 5, base + 10 * kMs, base + 50 * kMs);
  auto* detect = add_span(detector, kTraceB, "4444444444444444", "3333333333333333", "detect", 1, base + 11 * kMs,
                          base + 41 * kMs);
  detect->mutable_status()->set_code(otlp_trace::Status::STATUS_CODE_ERROR);
  detect->mutable_status()->set_message("model not loaded");
  add_span(detector, kTraceC, "5555555555555555", "", "process frames", 5, base + 60 * kMs, base + 62 * kMs);
  return request;
}

/// One serve process for the whole suite, loaded with sample_request().
class ServeBinaryTest : public ServeSuite<ServeBinaryTest> {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(start_suite_serve(temp_dir("suite")));
    base_ = now_ns() - 10 * 60 * 1000 * kMs;
    auto reply = otlp().Post("/v1/traces", sample_request(base_).SerializeAsString(), "application/x-protobuf");
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200);
  }

  /// GET on the query port; returns the parsed body (status checked).
  static json get_json(const std::string& path, int status = 200) {
    auto reply = query().Get(path);
    EXPECT_TRUE(reply) << path;
    if (!reply) return nullptr;
    EXPECT_EQ(reply->status, status) << path << "\n" << reply->body;
    return json::parse(reply->body, nullptr, false);
  }
  /// GET on the query port keeping Jaeger's key order, for exact comparisons of the text.
  static std::string get_ordered(const std::string& path) {
    auto reply = query().Get(path);
    EXPECT_TRUE(reply) << path;
    return reply ? nlohmann::ordered_json::parse(reply->body).dump() : std::string();
  }
  /// Trace ids of a search, in answer order.
  static std::vector<std::string> search(const std::string& params) {
    json body = get_json("/api/traces?" + params);
    std::vector<std::string> ids;
    for (const auto& trace : body["data"]) ids.push_back(trace["traceID"]);
    return ids;
  }
  /// The exact Jaeger error answer for `message` with `status`.
  static void expect_jaeger_error(const std::string& path, int status, const std::string& message) {
    auto reply = query().Get(path);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, status) << path;
    EXPECT_EQ(reply->get_header_value("Content-Type"), "text/plain; charset=utf-8");
    nlohmann::ordered_json expected = {{"data", nullptr}, {"total", 0}, {"limit", 0}, {"offset", 0},
                     {"errors", nlohmann::ordered_json::array({{{"code", status}, {"msg", message}}})}};
    EXPECT_EQ(reply->body, expected.dump() + "\n") << path;
  }

  static inline std::uint64_t base_ = 0;
};

TEST_F(ServeBinaryTest, PrintsStablePortLines) {
  EXPECT_NE(serve_->log.find("otlp listening on 127.0.0.1:" + std::to_string(serve_->otlp_port) + "\n"), std::string::npos);
  EXPECT_NE(serve_->log.find("query listening on 127.0.0.1:" + std::to_string(serve_->query_port) + "\n"),
            std::string::npos);
  EXPECT_NE(serve_->log.find("admin listening on 127.0.0.1:" + std::to_string(serve_->admin_port) + "\n"),
            std::string::npos);
}

TEST_F(ServeBinaryTest, ReproducesTheOtlpToJaegerFixtureFieldByField) {
  // Jaeger v2.20's /api/transform fixture pair (see data/README.md).
  std::string in = read_file(FT_SOURCE_DIR "/tests/integration/service/data/otlp2jaeger-in.json");
  std::string out = read_file(FT_SOURCE_DIR "/tests/integration/service/data/otlp2jaeger-out.json");
  ASSERT_FALSE(in.empty());
  ASSERT_FALSE(out.empty());
  auto reply = otlp().Post("/v1/traces", in, "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(reply->body, "{}");

  auto got = query().Get("/api/traces/83a9efd15c1c98a977e0711cc93ee28b");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/json");
  json actual = json::parse(got->body);
  json expected = json::parse(out);
  // The fixture's request holds its span twice. Jaeger's /api/transform, which recorded the
  // fixture, converts without deduplicating; the store keeps each (trace id, span id) once.
  auto ordered_expected = nlohmann::ordered_json::parse(out);
  ASSERT_EQ(expected["data"][0]["spans"].size(), 2U);
  ASSERT_EQ(expected["data"][0]["spans"][0], expected["data"][0]["spans"][1]);
  expected["data"][0]["spans"].erase(1);
  ordered_expected["data"][0]["spans"].erase(1);
  // Field by field, so a difference names its place.
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& key : {"total", "limit", "offset", "errors"}) EXPECT_EQ(actual[key], expected[key]) << key;
  ASSERT_EQ(actual["data"].size(), 1U);
  const auto& a = actual["data"][0];
  const auto& e = expected["data"][0];
  EXPECT_EQ(a["traceID"], e["traceID"]);
  EXPECT_EQ(a["processes"], e["processes"]);
  EXPECT_EQ(a["warnings"], e["warnings"]);
  ASSERT_EQ(a["spans"].size(), e["spans"].size());
  for (std::size_t i = 0; i < e["spans"].size(); ++i) {
    ASSERT_EQ(a["spans"][i].size(), e["spans"][i].size()) << a["spans"][i].dump();
    for (const auto& [field, value] : e["spans"][i].items()) EXPECT_EQ(a["spans"][i][field], value) << "span " << i << " " << field;
  }
  EXPECT_EQ(actual, expected);
  // And in the same key order as Jaeger writes it.
  EXPECT_EQ(nlohmann::ordered_json::parse(got->body).dump(), ordered_expected.dump());
}

TEST_F(ServeBinaryTest, AnswersProtobufRequestsInProtobufAndCountsPartialSuccess) {
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "partial");
  add_span(scope, "0102", "1111111111111111", "", "bad", 1, base_, base_ + 1);
  add_span(scope, "0190a1b2c3d47e5f8a9b0c1d2e3f40ff", "1111111111111111", "", "good", 1, base_, base_ + 1);
  auto reply = otlp().Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->get_header_value("Content-Type"), "application/x-protobuf");
  otlp_collector::ExportTraceServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(reply->body));
  EXPECT_EQ(response.partial_success().rejected_spans(), 1);
  EXPECT_EQ(response.partial_success().error_message(), "span.traceId: must be 16 bytes");

  json body = get_json("/api/traces/0190a1b2c3d47e5f8a9b0c1d2e3f40ff");
  EXPECT_EQ(body["data"][0]["spans"][0]["operationName"], "good");
}

TEST_F(ServeBinaryTest, AcceptsGzipBodies) {
  std::string body = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"zipped"}}]},)"
                     R"("scopeSpans":[{"spans":[{"traceId":"0190A1B2C3D47E5F8A9B0C1D2E3F4060","spanId":"0102030405060708",)"
                     R"("name":"gz","kind":3,"startTimeUnixNano":1000,"endTimeUnixNano":"3000",)"
                     R"("attributes":[{"key":"n","value":{"intValue":"42"}}]}]}]}]})";
  httplib::Client client("127.0.0.1", serve_->otlp_port);
  client.set_compress(true);  // gzip + Content-Encoding: gzip
  auto reply = client.Post("/v1/traces", body, "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  json trace = get_json("/api/traces/0190a1b2c3d47e5f8a9b0c1d2e3f4060")["data"][0];
  EXPECT_EQ(trace["spans"][0]["tags"],
            json::parse(R"([{"key":"n","type":"int64","value":42},{"key":"span.kind","type":"string","value":"client"}])"));
  EXPECT_EQ(trace["processes"]["p1"]["serviceName"], "zipped");
}

TEST_F(ServeBinaryTest, RefusesWrongMethodTypeAndMalformedBodies) {
  auto get = otlp().Get("/v1/traces");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Content-Type"), "text/plain");
  EXPECT_EQ(get->body, "405 method not allowed, supported: [POST]");

  auto xml = otlp().Post("/v1/traces", "<x/>", "text/xml");
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->status, 415);
  EXPECT_EQ(xml->body, "415 unsupported media type, supported: [application/json, application/x-protobuf]");

  auto bad_json = otlp().Post("/v1/traces", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"xyz1"}]}]}]})",
                              "application/json");
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_EQ(bad_json->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(bad_json->body,
            R"({"code":3,"message":"resourceSpans[0].scopeSpans[0].spans[0].spanId: not a hex string"})");

  auto not_json = otlp().Post("/v1/traces", "{\"resourceSpans\": [", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  EXPECT_NE(not_json->body.find("body: invalid JSON"), std::string::npos) << not_json->body;

  auto deep = otlp().Post("/v1/traces", std::string(100, '[') + std::string(100, ']'), "application/json");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 400);
  EXPECT_EQ(deep->body, R"({"code":3,"message":"body: JSON nested deeper than 64 levels"})");

  auto bad_proto = otlp().Post("/v1/traces", std::string("\x0a\xff\xff\xff\x0f", 5), "application/x-protobuf");
  ASSERT_TRUE(bad_proto);
  EXPECT_EQ(bad_proto->status, 400);
  EXPECT_EQ(bad_proto->get_header_value("Content-Type"), "application/x-protobuf");
  EXPECT_NE(bad_proto->body.find("not a valid protobuf ExportTraceServiceRequest"), std::string::npos);
}

TEST_F(ServeBinaryTest, ListsServicesAndOperations) {
  json services = get_json("/api/services");
  // Exact for the names this suite's setup wrote (other tests may add more services).
  auto names = services["data"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(names.begin(), names.end(), "capture"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "detector"), names.end());
  EXPECT_EQ(services["total"], names.size());

  EXPECT_EQ(get_ordered("/api/services/detector/operations"),
            R"({"data":["detect","process frames"],"total":2,"limit":0,"offset":0,"errors":null})");
  EXPECT_EQ(get_ordered("/api/operations?service=capture"),
            R"({"data":[{"name":"capture_frame","spanKind":"internal"},{"name":"send frames","spanKind":"producer"}],)"
            R"("total":2,"limit":0,"offset":0,"errors":null})");
  EXPECT_EQ(get_json("/api/operations?service=capture&spanKind=producer")["data"].dump(),
            R"([{"name":"send frames","spanKind":"producer"}])");
  expect_jaeger_error("/api/operations", 400, "parameter 'service' is required");
}

TEST_F(ServeBinaryTest, SearchesWithEveryParameter) {
  const std::string a = kTraceA, b = kTraceB, c = kTraceC;
  using Ids = std::vector<std::string>;
  EXPECT_EQ(search("service=detector"), (Ids{c, b}));
  EXPECT_EQ(search("service=detector&operation=detect"), (Ids{b}));
  EXPECT_EQ(search("service=detector&operation=process%20frames"), (Ids{c, b}));
  EXPECT_EQ(search("service=detector&minDuration=35ms"), (Ids{b}));
  EXPECT_EQ(search("service=detector&maxDuration=5ms"), (Ids{c}));
  EXPECT_EQ(search("service=detector&minDuration=1.5ms&maxDuration=0.035s"), (Ids{c, b}));
  EXPECT_EQ(search("service=detector&limit=1"), (Ids{c}));
  EXPECT_EQ(search("service=detector&tag=error:true"), (Ids{b}));
  EXPECT_EQ(search("service=detector&tag=otel.status_description:model%20not%20loaded"), (Ids{b}));
  EXPECT_EQ(search("service=capture&tag=camera.id:cam%201"), (Ids{a}));
  EXPECT_EQ(search("service=capture&tags=%7B%22camera.id%22%3A%22cam%201%22%7D"), (Ids{a}));
  EXPECT_EQ(search("service=capture&tag=camera.id:cam%202"), Ids{});
  EXPECT_EQ(search("service=capture&tag=camera.id:cam%202&tags=%7B%22camera.id%22%3A%22cam%201%22%7D"), (Ids{a}));
  EXPECT_EQ(search("tags=frame.id:" + std::string(kFrameA)), (Ids{a}));  // no service, short form
  EXPECT_EQ(search("tag=frame.id:" + std::string(kTraceA)), (Ids{a}));   // 32-hex FrameId form
  EXPECT_EQ(search("tag=span.kind:consumer"), (Ids{c, b}));
  const std::string start_us = std::to_string((base_ + 55 * kMs) / 1000);
  const std::string end_us = std::to_string((base_ + 20 * kMs) / 1000);
  EXPECT_EQ(search("service=detector&start=" + start_us), (Ids{c}));
  EXPECT_EQ(search("service=detector&end=" + end_us), (Ids{b}));
  EXPECT_EQ(search("service=detector&start=" + std::to_string(base_ / 1000 - 2) + "&end=" + std::to_string(base_ / 1000 - 1)),
            Ids{});
  EXPECT_EQ(search("service=nobody"), Ids{});

  json by_ids = get_json("/api/traces?traceID=" + a + "&traceID=00000000000000000000000000000abc");
  ASSERT_EQ(by_ids["data"].size(), 1U);
  EXPECT_EQ(by_ids["data"][0]["traceID"], a);
  EXPECT_EQ(by_ids["errors"].dump(), R"([{"msg":"trace not found","traceID":"00000000000000000000000000000abc"}])");
}

TEST_F(ServeBinaryTest, RefusesBadSearchParametersWithJaegersMessages) {
  expect_jaeger_error("/api/traces?service=x&start=abc", 400,
                      "unable to parse param 'start': strconv.ParseInt: parsing \"abc\": invalid syntax");
  expect_jaeger_error("/api/traces?service=x&end=1.5", 400,
                      "unable to parse param 'end': strconv.ParseInt: parsing \"1.5\": invalid syntax");
  expect_jaeger_error("/api/traces?service=x&minDuration=100", 400,
                      "unable to parse param 'minDuration': time: missing unit in duration \"100\"");
  expect_jaeger_error("/api/traces?service=x&maxDuration=5x", 400,
                      "unable to parse param 'maxDuration': time: unknown unit \"x\" in duration \"5x\"");
  expect_jaeger_error("/api/traces?service=x&minDuration=10ms&maxDuration=1ms", 400,
                      "'maxDuration' should be greater than 'minDuration'");
  expect_jaeger_error("/api/traces?service=x&limit=ten", 400,
                      "unable to parse param 'limit': strconv.ParseInt: parsing \"ten\": invalid syntax");
  expect_jaeger_error("/api/traces?service=x&tag=novalue", 400,
                      "malformed 'tag' parameter, expecting key:value, received: novalue");
  expect_jaeger_error("/api/traces?service=x&tags=%7B%22x%22%3A123%7D", 400,
                      "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal number into Go "
                      "value of type string");
}

TEST_F(ServeBinaryTest, FindsATraceByTraceIdOrFrameIdWithoutATimeWindow) {
  json by_frame = get_json(std::string("/api/traces/") + kFrameA);
  ASSERT_EQ(by_frame["data"].size(), 1U);
  const auto& trace = by_frame["data"][0];
  EXPECT_EQ(trace["traceID"], kTraceA);
  ASSERT_EQ(trace["spans"].size(), 2U);
  EXPECT_EQ(trace["spans"][0]["operationName"], "capture_frame");
  EXPECT_EQ(trace["spans"][0]["references"], json::array());
  EXPECT_EQ(trace["spans"][0]["duration"], 5000);
  EXPECT_EQ(trace["spans"][0]["startTime"], base_ / 1000);
  auto ordered = nlohmann::ordered_json::parse(get_ordered(std::string("/api/traces/") + kFrameA))["data"][0];
  EXPECT_EQ(ordered["spans"][1]["references"].dump(),
            R"([{"refType":"CHILD_OF","traceID":"0190a1b2c3d47e5f8a9b0c1d2e3f4051","spanID":"1111111111111111"}])");
  EXPECT_EQ(trace["processes"].dump(), R"({"p1":{"serviceName":"capture","tags":[]}})");

  json upper = get_json("/api/traces/0190A1B2C3D47E5F8A9B0C1D2E3F4051?start=1&end=2");  // window ignored
  EXPECT_EQ(upper["data"][0]["traceID"], kTraceA);

  auto error_trace = nlohmann::ordered_json::parse(get_ordered(std::string("/api/traces/") + kTraceB))["data"][0];
  EXPECT_EQ(error_trace["spans"][1]["tags"].dump(),
            R"([{"key":"otel.scope.name","type":"string","value":"frame-tracking"},)"
            R"({"key":"span.kind","type":"string","value":"internal"},)"
            R"({"key":"otel.status_code","type":"string","value":"ERROR"},)"
            R"({"key":"error","type":"bool","value":true},)"
            R"({"key":"otel.status_description","type":"string","value":"model not loaded"}])");

  expect_jaeger_error("/api/traces/00000000000000000000000000000abc", 404, "trace not found");
  expect_jaeger_error("/api/traces/not-a-trace-id", 400,
                      "malformed trace id 'not-a-trace-id': expected up to 32 hex digits or a FrameId (8-4-4-4-12)");
}

TEST_F(ServeBinaryTest, ReportsHealthAndMetrics) {
  httplib::Client admin("127.0.0.1", serve_->admin_port);
  auto health = admin.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  json h = json::parse(health->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["store"]["path"], (*dir_ / "spans.db").string());
  EXPECT_GT(h["store"]["file_bytes"].get<std::uint64_t>(), 0U);
  EXPECT_GE(h["spans"].get<int>(), 5);
  EXPECT_GE(h["traces"].get<int>(), 3);
  EXPECT_TRUE(h["oldest_trace_start"].is_string());
  for (const auto& key : {"spans_received", "spans_ingested", "spans_rejected", "spans_dropped", "requests_malformed",
                          "requests_too_large", "traces_expired", "traces_evicted"})
    EXPECT_TRUE(h["counters"].contains(key)) << key;
  EXPECT_EQ(h["ports"]["otlp"], serve_->otlp_port);

  auto metrics = admin.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics->body.find("# TYPE frame_tracking_service_spans_ingested_total counter\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("frame_tracking_service_requests_total{server=\"otlp\",code=\"200\"} "), std::string::npos);
  EXPECT_NE(metrics->body.find("# TYPE frame_tracking_store_size_bytes gauge\n"), std::string::npos);
}

// ---- tests with their own process ----

/// One serve per test (started by the test, with its own flags), its data in a directory named after the test.
class ServeBinaryStandalone : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name()); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  /// A minute ago: inside the default retention and search window.
  const std::uint64_t base_ = now_ns() - 60'000 * kMs;
};

TEST_F(ServeBinaryStandalone, RefusesBodiesLargerThanTheLimitEvenWhenCompressed) {
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir_, {"--max-body-size", "1KiB"}));
  httplib::Client client("127.0.0.1", serve.otlp_port);
  std::string big = R"({"resourceSpans":[],"padding":")" + std::string(4000, 'a') + "\"}";
  auto plain = client.Post("/v1/traces", big, "application/json");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 413);
  httplib::Client zipped("127.0.0.1", serve.otlp_port);
  zipped.set_compress(true);  // ~60 bytes on the wire, 4 KB after decompression
  auto compressed = zipped.Post("/v1/traces", big, "application/json");
  ASSERT_TRUE(compressed);
  EXPECT_EQ(compressed->status, 413);
  EXPECT_EQ(compressed->body, R"j({"code":8,"message":"body: larger than 1024 bytes after decompression (--max-body-size)"})j");
  auto small = httplib::Client("127.0.0.1", serve.otlp_port).Post("/v1/traces", "{}", "application/json");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  EXPECT_EQ(serve.stop(SIGINT), 0);
}

TEST_F(ServeBinaryStandalone, LosesNoAcknowledgedSpanWhenKilled) {
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir_));
  int acknowledged = 0;
  std::atomic<bool> stop_writer{false};
  // A second client keeps writing while the process dies, so the kill lands during ingest.
  // The port by value: stop() below resets serve.otlp_port while this thread may still run.
  std::thread background([&, port = serve.otlp_port] {
    httplib::Client client("127.0.0.1", port);
    for (int i = 0; !stop_writer; ++i) {
      otlp_collector::ExportTraceServiceRequest request;
      auto* scope = add_scope(request, "background");
      char trace[33];
      std::snprintf(trace, sizeof trace, "%032x", 0x100000 + i);
      for (int s = 0; s < 50; ++s) {
        char span[17];
        std::snprintf(span, sizeof span, "%016x", s + 1);
        add_span(scope, trace, span, "", "bg", 1, base_, base_ + 1);
      }
      if (!client.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf")) break;
    }
  });
  httplib::Client client("127.0.0.1", serve.otlp_port);
  for (int i = 0; i < 100; ++i) {
    otlp_collector::ExportTraceServiceRequest request;
    auto* scope = add_scope(request, "durable");
    char trace[33];
    std::snprintf(trace, sizeof trace, "%032x", i + 1);
    add_span(scope, trace, "1111111111111111", "", "op", 1, base_, base_ + 1);
    add_span(scope, trace, "2222222222222222", "1111111111111111", "op", 1, base_, base_ + 1);
    auto reply = client.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
    if (!reply || reply->status != 200) break;
    ++acknowledged;
  }
  EXPECT_EQ(serve.stop(SIGKILL), 128 + SIGKILL);
  stop_writer = true;
  background.join();
  ASSERT_EQ(acknowledged, 100) << "serve's output:\n" << serve.log;

  ServeProcess again;
  ASSERT_TRUE(again.start(dir_));
  httplib::Client query("127.0.0.1", again.query_port);
  int found = 0;
  for (int i = 0; i < acknowledged; ++i) {
    char trace[33];
    std::snprintf(trace, sizeof trace, "%032x", i + 1);
    auto reply = query.Get(std::string("/api/traces/") + trace);
    ASSERT_TRUE(reply);
    if (reply->status == 200 && json::parse(reply->body)["data"][0]["spans"].size() == 2) ++found;
  }
  EXPECT_EQ(found, acknowledged);
  EXPECT_EQ(again.stop(SIGTERM), 0);
}

TEST_F(ServeBinaryStandalone, KeepsWorkingWithEightConcurrentClientsAndQueries) {
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir_));
  constexpr int kClients = 8, kRequests = 40, kSpans = 25;
  std::atomic<int> failures{0}, queries{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", serve.otlp_port);
      for (int r = 0; r < kRequests; ++r) {
        otlp_collector::ExportTraceServiceRequest request;
        auto* scope = add_scope(request, "client-" + std::to_string(c));
        char trace[33];
        std::snprintf(trace, sizeof trace, "%08x%08x%016x", c + 1, r + 1, 1);
        for (int s = 0; s < kSpans; ++s) {
          char span[17];
          std::snprintf(span, sizeof span, "%016x", s + 1);
          add_span(scope, trace, span, "", "work", 1, base_ + static_cast<std::uint64_t>(r) * kMs, base_ + static_cast<std::uint64_t>(r + 1) * kMs);
        }
        bool json = r % 2 == 1;
        auto reply = json ? client.Post("/v1/traces",
                                        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-)" +
                                            std::to_string(c) + R"("}}]},"scopeSpans":[{"spans":[{"traceId":")" + std::string(trace) +
                                            R"(","spanId":"00000000000000ff","name":"j","startTimeUnixNano":")" +
                                            std::to_string(base_) + R"("}]}]}]})",
                                        "application/json")
                          : client.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
        if (!reply || reply->status != 200) ++failures;
      }
    });
  }
  std::vector<std::thread> readers;
  for (int q = 0; q < 2; ++q) {
    readers.emplace_back([&] {
      httplib::Client client("127.0.0.1", serve.query_port);
      while (!done) {
        auto reply = client.Get("/api/traces?limit=5");
        if (!reply || reply->status != 200) ++failures;
        ++queries;
      }
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(queries, 0);
  if (failures != 0) {
    serve.stop(SIGTERM);
    FAIL() << failures << " requests failed; serve's output:\n" << serve.log;
  }
  httplib::Client admin("127.0.0.1", serve.admin_port);
  json health = json::parse(admin.Get("/health")->body);
  // Even requests: kSpans protobuf spans; odd requests: one JSON span.
  EXPECT_EQ(health["spans"], kClients * (kRequests / 2) * (kSpans + 1));
  EXPECT_EQ(health["traces"], kClients * kRequests);
  EXPECT_EQ(health["counters"]["spans_ingested"], kClients * (kRequests / 2) * (kSpans + 1));
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST_F(ServeBinaryStandalone, RequiresTheBearerTokenWhenConfigured) {
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir_, {"--auth-token", "s3cret"}));
  httplib::Client otlp("127.0.0.1", serve.otlp_port);
  auto refused = otlp.Post("/v1/traces", "{}", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer");
  otlp.set_bearer_token_auth("wrong!");
  EXPECT_EQ(otlp.Post("/v1/traces", "{}", "application/json")->status, 401);
  otlp.set_bearer_token_auth("s3cret");
  EXPECT_EQ(otlp.Post("/v1/traces", "{}", "application/json")->status, 200);
  httplib::Client query("127.0.0.1", serve.query_port);
  EXPECT_EQ(query.Get("/api/services")->status, 401);
  query.set_bearer_token_auth("s3cret");
  EXPECT_EQ(query.Get("/api/services")->status, 200);
  httplib::Client admin("127.0.0.1", serve.admin_port);
  EXPECT_EQ(admin.Get("/health")->status, 200);  // health checks need no token
  EXPECT_EQ(serve.stop(SIGTERM), 0);
}

TEST_F(ServeBinaryStandalone, RefusesRetentionBelowOneDayUnlessForced) {
  ServeProcess serve;
  // The process exits at once with status 2 and never prints ports.
  std::string command = std::string(FT_BINARY_DIR "/apps/frame-tracking/frame-tracking") +
                        " serve --retention 12h --otlp-port 0 --query-port 0 --admin-port 0 --data-dir " + dir_.string() +
                        " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[512] = {};
  std::string output;
  while (std::fgets(line, sizeof line, pipe) != nullptr) output += line;
  int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_EQ(output,
            "frame-tracking serve: --retention 12h is below 24h; add --force-retention if you really want traces "
            "deleted that early\n");
}

}  // namespace
}  // namespace frame_tracking::testing
