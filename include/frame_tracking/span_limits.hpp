// SPDX-License-Identifier: Apache-2.0
// SpanLimits: caps on attributes, events and links per span (excess is dropped and counted).
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-limits
#pragma once

#include <cstdint>

namespace frame_tracking {

/// Per-span limits; the spec defaults are 128 and "no length limit". Excess attributes, events
/// and links are discarded (never replace earlier ones) and counted in the record's dropped_*
/// fields, which exporters carry to the backend. Value type.
struct SpanLimits {
  /// OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (falls back to OTEL_ATTRIBUTE_COUNT_LIMIT).
  std::uint32_t attribute_count = 128;
  /// OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (falls back to OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT): string
  /// values (and each string of an array) are truncated to this many bytes; 0 = no limit.
  std::uint32_t attribute_value_length = 0;
  /// OTEL_SPAN_EVENT_COUNT_LIMIT.
  std::uint32_t event_count = 128;
  /// OTEL_SPAN_LINK_COUNT_LIMIT.
  std::uint32_t link_count = 128;
  /// OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT.
  std::uint32_t event_attribute_count = 128;
  /// OTEL_LINK_ATTRIBUTE_COUNT_LIMIT.
  std::uint32_t link_attribute_count = 128;
  bool operator==(const SpanLimits&) const = default;
};

}  // namespace frame_tracking
