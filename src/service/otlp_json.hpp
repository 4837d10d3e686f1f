// SPDX-License-Identifier: Apache-2.0
// Decoder of OTLP/JSON trace requests (hex ids, integer enums, 64-bit ints as strings or numbers).
#pragma once

#include "frame_tracking/result.hpp"

#include <cstddef>
#include <string_view>

namespace opentelemetry::proto::collector::trace::v1 {
class ExportTraceServiceRequest;
}

namespace frame_tracking::service {

/// Deepest JSON nesting accepted in a request body (objects and arrays).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Decodes an OTLP/JSON ExportTraceServiceRequest into `out` (OTLP spec "JSON Protobuf Encoding",
/// reference/otlp.md §3): trace and span ids as case-insensitive hex, enums as integers (enum
/// names are tolerated), int64/fixed64 as decimal strings or numbers, bytes as base64, unknown
/// fields ignored. Parsed with nlohmann_json and mapped field by field (protobuf's
/// JsonStringToMessage would read ids as base64).
/// Errors: a message naming the field path and the rule, e.g.
/// "resourceSpans[0].scopeSpans[0].spans[1].spanId: not a hex string"; `out` is then unspecified.
Result<bool> parse_otlp_json(std::string_view body,
                             opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& out);

}  // namespace frame_tracking::service
