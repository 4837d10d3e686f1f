// SPDX-License-Identifier: Apache-2.0
// Jaeger trace: parses the Jaeger query API's UI JSON model into spans.
#include "jaeger/jaeger_trace.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace frame_tracking::jaeger {
namespace {

using nlohmann::json;

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

Error malformed(const std::string& where, const std::string& rule) {
  return Error{ErrorCode::kInvalidInput, where + ": " + rule};
}

/// `object[key]` as a string, or "" when absent or not a string.
std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `object[key]` as an integer, or 0 when absent or not an integer.
std::int64_t integer_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

/// `object[key]` when it is an array, else an empty array.
const json& array_at(const json& object, const char* key) {
  static const json kEmpty = json::array();
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

/// Jaeger KeyValue list → key → text (entries without a string key are skipped).
std::map<std::string, std::string> key_values(const json& list) {
  std::map<std::string, std::string> out;
  for (const json& kv : list)
    if (kv.is_object() && kv.contains("key") && kv["key"].is_string() && kv.contains("value"))
      out[kv["key"].get<std::string>()] = text_of(kv["value"]);
  return out;
}

JourneySpan parse_span(const json& span, const json& processes) {
  JourneySpan out;
  out.span_id = span["spanID"].get<std::string>();
  out.name = string_at(span, "operationName");
  out.start_us = integer_at(span, "startTime");
  out.duration_us = integer_at(span, "duration");
  for (const json& reference : array_at(span, "references"))
    if (reference.is_object() && string_at(reference, "refType") == "CHILD_OF" && out.parent_id.empty())
      out.parent_id = string_at(reference, "spanID");
  const std::string process_id = string_at(span, "processID");
  if (processes.is_object() && processes.contains(process_id) && processes[process_id].is_object()) {
    const json& process = processes[process_id];
    out.service = string_at(process, "serviceName");
    const auto process_tags = key_values(array_at(process, "tags"));
    auto host = process_tags.find("host.name");
    out.host = host != process_tags.end() ? host->second : out.service;
  }
  out.tags = key_values(array_at(span, "tags"));
  if (auto kind = out.tags.find("span.kind"); kind != out.tags.end()) out.kind = kind->second;
  if (auto error = out.tags.find("error"); error != out.tags.end() && error->second == "true") out.error = true;
  if (auto code = out.tags.find("otel.status_code"); code != out.tags.end() && code->second == "ERROR") out.error = true;
  if (auto message = out.tags.find("otel.status_description"); message != out.tags.end()) out.status_message = message->second;
  for (const json& log : array_at(span, "logs")) {
    if (!log.is_object()) continue;
    SpanEvent event;
    event.timestamp_us = integer_at(log, "timestamp");
    event.fields = key_values(array_at(log, "fields"));
    if (auto name = event.fields.find("event"); name != event.fields.end()) {
      event.name = name->second;
      event.fields.erase(name);
    }
    if (event.name == kDroppedEvent) {
      out.dropped = true;
      auto reason = event.fields.find(std::string(kDropReason));
      out.drop_reason = reason != event.fields.end() ? reason->second : std::string();
    }
    out.events.push_back(std::move(event));
  }
  return out;
}

}  // namespace

const JourneySpan* Journey::find(std::string_view span_id) const {
  for (const auto& span : spans)
    if (span.span_id == span_id) return &span;
  return nullptr;
}

Result<std::vector<Journey>> parse_jaeger_traces(std::string_view body) {
  const json root = json::parse(body, nullptr, false);
  if (root.is_discarded()) return malformed("body", "not JSON");
  if (!root.is_object() || !root.contains("data")) return malformed("body", "expected an object with \"data\"");
  std::vector<Journey> traces;
  if (root["data"].is_null()) return traces;
  if (!root["data"].is_array()) return malformed("data", "expected an array");
  for (std::size_t t = 0; t < root["data"].size(); ++t) {
    const json& trace = root["data"][t];
    const std::string where = "data[" + std::to_string(t) + "]";
    if (!trace.is_object() || !trace.value("traceID", json()).is_string() || !trace.value("spans", json()).is_array())
      return malformed(where, "expected {traceID: string, spans: array, processes: object}");
    Journey journey;
    journey.trace_id = trace["traceID"].get<std::string>();
    const json processes = trace.value("processes", json::object());
    for (std::size_t s = 0; s < trace["spans"].size(); ++s) {
      const json& span = trace["spans"][s];
      const std::string at = where + ".spans[" + std::to_string(s) + "]";
      if (!span.is_object() || !span.value("spanID", json()).is_string()) return malformed(at + ".spanID", "expected string");
      journey.spans.push_back(parse_span(span, processes));
    }
    for (const json& warning : array_at(trace, "warnings"))
      if (warning.is_string()) journey.warnings.push_back(warning.get<std::string>());
    traces.push_back(std::move(journey));
  }
  return traces;
}

std::int64_t journey_start_us(const Journey& journey) {
  if (journey.spans.empty()) return 0;
  std::int64_t first = journey.spans[0].start_us;
  for (const auto& span : journey.spans) first = std::min(first, span.start_us);
  return first;
}

std::int64_t journey_duration_us(const Journey& journey) {
  if (journey.spans.empty()) return 0;
  std::int64_t last = journey.spans[0].end_us();
  for (const auto& span : journey.spans) last = std::max(last, span.end_us());
  return last - journey_start_us(journey);
}

}  // namespace frame_tracking::jaeger
