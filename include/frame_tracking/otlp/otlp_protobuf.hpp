// SPDX-License-Identifier: Apache-2.0
// OTLP/protobuf encoding of span batches as an ExportTraceServiceRequest (OTLP/HTTP `application/x-protobuf`).
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#binary-protobuf-encoding
#pragma once

#include "frame_tracking/span_data.hpp"

#include <span>
#include <string>

namespace frame_tracking::otlp {

/// Appends to `out` the binary protobuf encoding of `spans` as an OTLP `ExportTraceServiceRequest`
/// (opentelemetry/proto/collector/trace/v1/trace_service.proto). The message content is exactly
/// what append_otlp_json writes: grouped by resource then scope (group_for_otlp), defaults omitted,
/// `resource`/`scope` present when the record points at one, `status` present when its code or
/// message is set, `Span.flags`/`Link.flags` per otlp_span_flags/otlp_link_flags, malformed UTF-8
/// replaced by U+FFFD. Fields are written in field-number order, as libprotobuf serialises them.
/// Null entries are skipped; an empty batch gives an empty string. Thread-safe (pure).
void append_otlp_protobuf(std::span<const SpanData* const> spans, std::string& out);

/// The same encoding returned as a new string.
std::string to_otlp_protobuf(std::span<const SpanData* const> spans);

}  // namespace frame_tracking::otlp
