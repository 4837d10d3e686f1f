// SPDX-License-Identifier: Apache-2.0
// OTLP conformance: what our exporter sends (protobuf and JSON) is decoded by the OpenTelemetry JS
// protobufjs definitions (decode.js) and must equal, field by field, a rendering of the span records.
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/otlp_layout.hpp"
#include "frame_tracking/utf8.hpp"
#include "otlp_corpus.hpp"
#include "otlp_receiver.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace frame_tracking {
namespace {

using nlohmann::json;
const std::filesystem::path kConformanceDir = std::filesystem::path(FT_SOURCE_DIR) / "tests" / "conformance";

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) out += {kHex[b >> 4], kHex[b & 15]};
  return out;
}

// JavaScript's String(number) for the values in the corpus (shortest round trip).
std::string js_number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

template <typename T>
json scalar(const T& v) {
  if constexpr (std::is_same_v<T, bool>) return {{"boolValue", v}};
  else if constexpr (std::is_same_v<T, std::int64_t>) return {{"intValue", std::to_string(v)}};
  else if constexpr (std::is_same_v<T, double>) return {{"doubleValue", js_number(v)}};
  else return {{"stringValue", sanitize_utf8(v)}};
}

template <typename Variant>
json any_value(const Variant& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          return scalar(v);
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
          return scalar(std::string_view(v));
        } else {
          json values = json::array();
          for (const auto& e : v) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, std::string> || std::is_same_v<E, std::string_view>)
              values.push_back(scalar(std::string_view(e)));
            else if constexpr (std::is_same_v<E, std::int64_t> || std::is_same_v<E, double>) values.push_back(scalar(e));
            else values.push_back(scalar(static_cast<bool>(e)));
          }
          return {{"arrayValue", {{"values", values}}}};
        }
      },
      value);
}

template <typename Range>
json attributes(const Range& range) {
  json out = json::array();
  for (const auto& a : range) out.push_back({{"key", sanitize_utf8(a.key)}, {"value", any_value(a.value)}});
  return out;
}

json span_json(const SpanData& s) {
  json events = json::array();
  for (const EventView& e : s.events())
    events.push_back({{"timeUnixNano", std::to_string(e.time_unix_ns)},
                      {"name", sanitize_utf8(e.name)},
                      {"attributes", attributes(e.attributes)},
                      {"droppedAttributesCount", e.dropped_attributes_count}});
  json links = json::array();
  for (const LinkView& l : s.links())
    links.push_back({{"traceId", hex(l.trace_id.bytes())},
                     {"spanId", hex(l.span_id.bytes())},
                     {"traceState", std::string(l.trace_state)},
                     {"attributes", attributes(l.attributes)},
                     {"droppedAttributesCount", l.dropped_attributes_count},
                     {"flags", l.trace_flags.value | 0x100U | (l.remote ? 0x200U : 0U)}});
  json status = nullptr;
  if (s.status_code != StatusCode::kUnset || !s.status_message().empty())
    status = {{"code", static_cast<int>(s.status_code)}, {"message", sanitize_utf8(s.status_message())}};
  return {{"traceId", hex(s.context.trace_id.bytes())},
          {"spanId", hex(s.context.span_id.bytes())},
          {"traceState", s.context.trace_state.header()},
          {"parentSpanId", s.parent_span_id.is_valid() ? hex(s.parent_span_id.bytes()) : ""},
          {"flags", s.context.trace_flags.value | 0x100U | (s.parent_is_remote ? 0x200U : 0U)},
          {"name", sanitize_utf8(s.name())},
          {"kind", static_cast<int>(s.kind)},
          {"startTimeUnixNano", std::to_string(s.start_time_unix_ns)},
          {"endTimeUnixNano", std::to_string(s.end_time_unix_ns)},
          {"attributes", attributes(s.attributes())},
          {"droppedAttributesCount", s.dropped_attributes_count},
          {"events", events},
          {"droppedEventsCount", s.dropped_events_count},
          {"links", links},
          {"droppedLinksCount", s.dropped_links_count},
          {"status", status}};
}

// The request as decode.js prints it (all fields present), built from the records alone.
json expected_request(const std::vector<const SpanData*>& batch) {
  json resource_spans = json::array();
  for (const OtlpResourceGroup& rg : group_for_otlp(batch)) {
    json scope_spans = json::array();
    for (const OtlpScopeGroup& sg : rg.scopes) {
      json spans = json::array();
      for (const SpanData* s : sg.spans) spans.push_back(span_json(*s));
      json scope = nullptr;
      if (sg.scope != nullptr)
        scope = {{"name", sg.scope->name},
                 {"version", sg.scope->version},
                 {"attributes", attributes(sg.scope->attributes)},
                 {"droppedAttributesCount", 0}};
      scope_spans.push_back(
          {{"scope", scope}, {"spans", spans}, {"schemaUrl", sg.scope != nullptr ? sg.scope->schema_url : ""}});
    }
    json resource = nullptr;
    if (rg.resource != nullptr)
      resource = {{"attributes", attributes(rg.resource->attributes())},
                  {"droppedAttributesCount", 0},
                  {"entityRefs", json::array()}};
    resource_spans.push_back({{"resource", resource},
                              {"scopeSpans", scope_spans},
                              {"schemaUrl", rg.resource != nullptr ? rg.resource->schema_url() : ""}});
  }
  return {{"resourceSpans", resource_spans}};
}

// Runs decode.js on `body`; the parsed output, or a string holding the error.
json decode_with_js(const std::string& body, const char* encoding) {
  const auto file = std::filesystem::path(FT_BINARY_DIR) / (std::string("otlp_conformance_body.") + encoding);
  std::ofstream(file, std::ios::binary) << body;
  const std::string command =
      "node " + (kConformanceDir / "decode.js").string() + " " + encoding + " " + file.string() + " 2>&1";
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) output.append(buf, n);
    pclose(pipe);
  }
  json parsed = json::parse(output, nullptr, false);
  return parsed.is_discarded() ? json(output) : parsed;
}

class OtlpConformanceTest : public ::testing::TestWithParam<otlp::OtlpProtocol> {};

TEST_P(OtlpConformanceTest, OpenTelemetryJsDecodesExactlyTheRecords) {
  ASSERT_TRUE(std::filesystem::exists(kConformanceDir / "node_modules" / "otlp-pbjs"))
      << "the OpenTelemetry JS oracle is not installed: run scripts/install-deps.sh";
  const bool json_encoding = GetParam() == otlp::OtlpProtocol::kHttpJson;
  const auto corpus = testing::make_otlp_corpus();
  testing::OtlpTestReceiver receiver;
  otlp::OtlpHttpExporterOptions options;
  options.endpoint = receiver.traces_url();
  options.protocol = GetParam();
  otlp::OtlpHttpExporter exporter(options);
  ASSERT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);

  const json decoded = decode_with_js(requests[0].body, json_encoding ? "json" : "protobuf");
  const json expected = expected_request(corpus.batch());
  EXPECT_EQ(decoded, expected) << "differences (expected → decoded): " << json::diff(expected, decoded).dump();
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, OtlpConformanceTest,
                         ::testing::Values(otlp::OtlpProtocol::kHttpProtobuf, otlp::OtlpProtocol::kHttpJson),
                         [](const auto& info) {
                           return info.param == otlp::OtlpProtocol::kHttpJson ? "Json" : "Protobuf";
                         });

}  // namespace
}  // namespace frame_tracking
