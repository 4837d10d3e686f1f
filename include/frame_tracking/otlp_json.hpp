// SPDX-License-Identifier: Apache-2.0
// OTLP/JSON encoding of span batches as an ExportTraceServiceRequest (OTLP/HTTP `application/json`).
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
#pragma once

#include "frame_tracking/span_data.hpp"

#include <span>
#include <string>

namespace frame_tracking {

/// Appends to `out` one compact JSON object (no whitespace, no trailing newline) encoding `spans` as
/// an OTLP `ExportTraceServiceRequest`, following the OTLP JSON rules rather than protobuf's default
/// mapping: trace and span ids as lowercase hex, enums as integers, 64-bit integers (times,
/// `intValue`) as decimal strings, lowerCamelCase keys, default values omitted. Spans are grouped by
/// resource then scope (see group_for_otlp); fields appear in proto field-number order.
/// `Span.flags` carries the W3C flags plus HAS_IS_REMOTE/IS_REMOTE. Strings that are not valid
/// UTF-8 get U+FFFD for each bad sequence; non-finite doubles become "NaN", "Infinity", "-Infinity".
/// An empty batch gives `{}`. Null entries are skipped. Thread-safe (pure); allocates only in `out`
/// and for the grouping.
void append_otlp_json(std::span<const SpanData* const> spans, std::string& out);

/// The same encoding returned as a new string.
std::string to_otlp_json(std::span<const SpanData* const> spans);

}  // namespace frame_tracking
