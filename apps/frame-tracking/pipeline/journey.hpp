// SPDX-License-Identifier: Apache-2.0
// Journey: one frame's trace as the Jaeger query API returns it, and the check that it is complete — every span
// of the reference pipeline's route, in the expected tree, in one trace, with frame attributes and no orphans.
#pragma once

#include "jaeger/jaeger_trace.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::pipeline {

/// The trace model and its parser are shared with `journey` and `analyze` (jaeger/jaeger_trace.hpp).
using jaeger::Journey;
using jaeger::JourneySpan;
using jaeger::parse_jaeger_traces;

/// The verdict on one frame's trace.
struct JourneyVerdict {
  enum class Outcome { kComplete, kDropped, kIncomplete };
  Outcome outcome = Outcome::kIncomplete;
  /// The processor the frame was routed to (from the `process frames:ready:<name>` span), "" if none.
  std::string processor;
  /// frame.drop_reason when dropped.
  std::string drop_reason;
  /// What is wrong, one line each (empty when complete or cleanly dropped).
  std::vector<std::string> problems;
};

/// One expected span of a complete journey: its name, its parent's name ("" = root) and service.
struct ExpectedSpan {
  std::string name;
  std::string parent;
  std::string service;
  std::string kind;
};

/// The ten spans of a frame routed to `processor` (DESIGN.md "Spans of one frame"):
/// capture_frame → decode_frame, send frames:metadata → process frames:metadata →
/// send frames:ready:P → process frames:ready:P → detect, send frames:results →
/// process frames:results → store_frame.
std::vector<ExpectedSpan> expected_journey(std::string_view processor);

/// Checks the traces found for `frame_id` (canonical text): exactly one trace whose id is the
/// FrameId; one root; zero orphans (every CHILD_OF parent is in the trace); frame.id == frame_id
/// and a non-empty camera.id on every span. Then: a trace with a `frame.dropped` event is
/// kDropped (its spans up to the drop follow the expected tree); otherwise it must hold exactly
/// the spans of expected_journey() in that tree, each from its service, to be kComplete.
JourneyVerdict check_journey(const std::vector<Journey>& traces, std::string_view frame_id);

}  // namespace frame_tracking::pipeline
