// SPDX-License-Identifier: Apache-2.0
// Text forms of OTLP values shared by the store and the service: AnyValue as string, trace ids, base64.
#pragma once

#include "frame_tracking/trace_context.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace opentelemetry::proto::common::v1 {
class AnyValue;
}

namespace frame_tracking::store::detail {

/// The string form of an attribute value used for tag matching and for Jaeger's non-scalar tags
/// (OTel pdata `Value.AsString`): strings as-is, bools `true`/`false`, ints in decimal, doubles in
/// shortest fixed notation, bytes as base64, arrays and maps as compact JSON.
std::string any_value_as_string(const opentelemetry::proto::common::v1::AnyValue& value);

/// Parses a trace id or FrameId typed by a person: 32 hex digits, or the canonical UUID form
/// 8-4-4-4-12; either case. Empty optional for anything else (including all zeros).
std::optional<TraceId> parse_trace_id_text(std::string_view text) noexcept;

/// Canonical lowercase FrameId text (8-4-4-4-12) of a 16-byte id.
std::string canonical_frame_id(const TraceId& id);

/// `frame.id` values in canonical form when they parse as a FrameId, unchanged otherwise.
std::string normalize_frame_id(std::string_view text);

/// Standard base64 with padding (RFC 4648 §4), as Go encodes []byte in JSON.
std::string base64_encode(std::string_view bytes);

/// Jaeger's `span.kind` tag value for an OTLP SpanKind (1..5); empty for UNSPECIFIED or unknown.
std::string_view jaeger_span_kind(int kind) noexcept;

/// Lowercase hex of raw bytes.
std::string hex_encode(std::string_view bytes);

}  // namespace frame_tracking::store::detail
