// SPDX-License-Identifier: Apache-2.0
// Jaeger trace: one trace as the Jaeger query API returns it (UI JSON model), parsed into spans with
// their service, host, tags, events and frame drop — shared by `demo`, `journey` and `analyze`.
#pragma once

#include "frame_tracking/result.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::jaeger {

/// The event that ends a frame's journey and its attribute (DESIGN.md "Spans of one frame").
inline constexpr std::string_view kDroppedEvent = "frame.dropped";
inline constexpr std::string_view kDropReason = "frame.drop_reason";

/// One log (OTLP event) of a span: its time and fields; `name` is the `event` field.
struct SpanEvent {
  /// µs since the Unix epoch.
  std::int64_t timestamp_us = 0;
  std::string name;
  /// The fields other than `event`, rendered as text like JourneySpan::tags.
  std::map<std::string, std::string> fields;
};

/// One span of a Jaeger UI-model trace. Value type.
struct JourneySpan {
  std::string span_id;
  /// The first CHILD_OF reference ("" for a root); FOLLOWS_FROM references (links) are not parents.
  std::string parent_id;
  std::string service;
  /// The process tag `host.name`, or the service name when the process has none.
  std::string host;
  std::string name;
  /// `span.kind` tag: "internal", "producer", "consumer", "client", "server" ("" when absent).
  std::string kind;
  /// µs since the Unix epoch, and µs.
  std::int64_t start_us = 0;
  std::int64_t duration_us = 0;
  /// Tags rendered as text (strings as is, numbers and booleans as JSON).
  std::map<std::string, std::string> tags;
  /// Logs in the order the API returned them.
  std::vector<SpanEvent> events;
  /// frame.drop_reason of a `frame.dropped` event on this span, if any.
  std::string drop_reason;
  bool dropped = false;
  /// Status ERROR: tag `error` = true or `otel.status_code` = ERROR.
  bool error = false;
  /// `otel.status_description` ("" when absent).
  std::string status_message;

  /// start_us + duration_us.
  std::int64_t end_us() const { return start_us + duration_us; }
};

/// One trace. Value type.
struct Journey {
  std::string trace_id;
  std::vector<JourneySpan> spans;
  /// The trace's `warnings` from the API (e.g. spans cut by `serve --max-trace-spans`), in order.
  std::vector<std::string> warnings;
  /// The span with `span_id`, or nullptr.
  const JourneySpan* find(std::string_view span_id) const;
};

/// Parses the body of `GET /api/traces/{id}` or of a search (reference/jaeger-api.md §2, §4): the
/// `data` array of traces (`data: null` = none). Never throws; errors (kInvalidInput) name what is
/// malformed, e.g. "data[0].spans[3].spanID: expected string".
Result<std::vector<Journey>> parse_jaeger_traces(std::string_view body);

/// End-to-end duration of a journey in µs: from the earliest span start to the latest span end (0 when empty).
std::int64_t journey_duration_us(const Journey& journey);

/// The earliest span start of a journey in µs since the epoch (0 when empty).
std::int64_t journey_start_us(const Journey& journey);

}  // namespace frame_tracking::jaeger
