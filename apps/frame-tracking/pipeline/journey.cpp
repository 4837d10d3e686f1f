// SPDX-License-Identifier: Apache-2.0
// Journey: a frame's trace from the Jaeger query API and the check that it is complete.
#include "pipeline/journey.hpp"

#include <algorithm>

namespace frame_tracking::pipeline {
namespace {

std::string without_dashes(std::string_view id) {
  std::string out;
  for (char c : id)
    if (c != '-') out.push_back(c);
  return out;
}

}  // namespace

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
