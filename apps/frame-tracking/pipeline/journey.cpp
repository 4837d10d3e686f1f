// SPDX-License-Identifier: Apache-2.0
// Journey: a frame's trace from the Jaeger query API and the check that it is complete.
#include "pipeline/journey.hpp"

#include "pipeline/frame_message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace frame_tracking::pipeline {
namespace {

using nlohmann::json;

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

Error malformed(const std::string& where, const std::string& rule) {
  return Error{ErrorCode::kInvalidInput, where + ": " + rule};
}

std::string without_dashes(std::string_view id) {
  std::string out;
  for (char c : id)
    if (c != '-') out.push_back(c);
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
      JourneySpan out;
      out.span_id = span["spanID"].get<std::string>();
      out.name = span.value("operationName", "");
      out.start_us = span.value("startTime", std::int64_t{0});
      out.duration_us = span.value("duration", std::int64_t{0});
      for (const json& reference : span.value("references", json::array()))
        if (reference.value("refType", "") == "CHILD_OF") out.parent_id = reference.value("spanID", "");
      const std::string process_id = span.value("processID", "");
      if (processes.contains(process_id)) out.service = processes[process_id].value("serviceName", "");
      for (const json& tag : span.value("tags", json::array()))
        if (tag.contains("key") && tag.contains("value")) out.tags[tag["key"].get<std::string>()] = text_of(tag["value"]);
      if (auto kind = out.tags.find("span.kind"); kind != out.tags.end()) out.kind = kind->second;
      for (const json& log : span.value("logs", json::array())) {
        std::map<std::string, std::string> fields;
        for (const json& field : log.value("fields", json::array()))
          if (field.contains("key") && field.contains("value")) fields[field["key"].get<std::string>()] = text_of(field["value"]);
        if (fields["event"] == kDroppedEvent) {
          out.dropped = true;
          out.drop_reason = fields[std::string(kDropReason)];
        }
      }
      journey.spans.push_back(std::move(out));
    }
    traces.push_back(std::move(journey));
  }
  return traces;
}

std::vector<ExpectedSpan> expected_journey(std::string_view processor) {
  const std::string ready = "frames:ready:" + std::string(processor);
  return {
      {"capture_frame", "", "rtsp-capture", "internal"},
      {"decode_frame", "capture_frame", "rtsp-capture", "internal"},
      {"send frames:metadata", "capture_frame", "rtsp-capture", "producer"},
      {"process frames:metadata", "send frames:metadata", "frame-buffer", "consumer"},
      {"send " + ready, "process frames:metadata", "frame-buffer", "producer"},
      {"process " + ready, "send " + ready, "frame-processor", "consumer"},
      {"detect", "process " + ready, "frame-processor", "internal"},
      {"send frames:results", "process " + ready, "frame-processor", "producer"},
      {"process frames:results", "send frames:results", "metadata-storage", "consumer"},
      {"store_frame", "process frames:results", "metadata-storage", "internal"},
  };
}

JourneyVerdict check_journey(const std::vector<Journey>& traces, std::string_view frame_id) {
  JourneyVerdict verdict;
  auto& problems = verdict.problems;
  if (traces.size() != 1) {
    problems.push_back("expected exactly 1 trace, found " + std::to_string(traces.size()));
    return verdict;
  }
  const Journey& trace = traces[0];
  if (trace.trace_id != without_dashes(frame_id))
    problems.push_back("trace id " + trace.trace_id + " is not the FrameId " + std::string(frame_id));
  std::size_t roots = 0;
  for (const JourneySpan& span : trace.spans) {
    const std::string who = "span '" + span.name + "' (" + span.service + ")";
    if (span.parent_id.empty()) ++roots;
    else if (trace.find(span.parent_id) == nullptr) problems.push_back(who + " is an orphan: parent " + span.parent_id + " is not in the trace");
    auto id = span.tags.find("frame.id");
    if (id == span.tags.end()) problems.push_back(who + " has no frame.id");
    else if (id->second != frame_id) problems.push_back(who + " has frame.id " + id->second);
    auto camera = span.tags.find("camera.id");
    if (camera == span.tags.end() || camera->second.empty()) problems.push_back(who + " has no camera.id");
    if (span.dropped) {
      verdict.drop_reason = span.drop_reason;
    }
    const std::string prefix = "process frames:ready:";
    if (span.name.starts_with(prefix)) verdict.processor = span.name.substr(prefix.size());
  }
  if (roots != 1) problems.push_back("expected 1 root span, found " + std::to_string(roots));
  const bool dropped = std::any_of(trace.spans.begin(), trace.spans.end(), [](const auto& s) { return s.dropped; });

  // Every span must sit where the reference pipeline puts it; a complete journey has all ten.
  const std::vector<ExpectedSpan> expected = expected_journey(verdict.processor);
  for (const JourneySpan& span : trace.spans) {
    auto want = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.name == span.name; });
    if (want == expected.end()) {
      problems.push_back("unexpected span '" + span.name + "' (" + span.service + ")");
      continue;
    }
    const JourneySpan* parent = span.parent_id.empty() ? nullptr : trace.find(span.parent_id);
    const std::string parent_name = parent == nullptr ? "" : parent->name;
    if (parent_name != want->parent && !(parent == nullptr && !span.parent_id.empty()))
      problems.push_back("span '" + span.name + "' has parent '" + parent_name + "', expected '" + want->parent + "'");
    if (span.service != want->service)
      problems.push_back("span '" + span.name + "' comes from service '" + span.service + "', expected '" + want->service + "'");
    if (span.kind != want->kind)
      problems.push_back("span '" + span.name + "' has kind '" + span.kind + "', expected '" + want->kind + "'");
  }
  if (!dropped) {
    for (const ExpectedSpan& want : expected) {
      const auto count = std::count_if(trace.spans.begin(), trace.spans.end(), [&](const auto& s) { return s.name == want.name; });
      if (count != 1)
        problems.push_back("span '" + want.name + "' (" + want.service + ") appears " + std::to_string(count) + " times, expected once");
    }
  }
  if (problems.empty()) verdict.outcome = dropped ? JourneyVerdict::Outcome::kDropped : JourneyVerdict::Outcome::kComplete;
  return verdict;
}

}  // namespace frame_tracking::pipeline
