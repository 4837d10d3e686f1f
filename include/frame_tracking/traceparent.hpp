// SPDX-License-Identifier: Apache-2.0
// Parsing and formatting of the W3C `traceparent` header value.
// Spec: https://www.w3.org/TR/trace-context-2/#traceparent-header
#pragma once

#include "frame_tracking/result.hpp"
#include "frame_tracking/trace_context.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace frame_tracking {

/// Length of a version-00 traceparent value: "00-" + 32 + "-" + 16 + "-" + 2.
inline constexpr std::size_t kTraceparentSize = 55;

/// Parses one traceparent header value (W3C Trace Context Level 2 §3.2):
///  - spaces/tabs around the value are ignored;
///  - version: 2 lowercase hex digits followed by '-'; "ff" is invalid;
///  - version 00: exactly 55 characters, nothing after the flags;
///  - a higher version: at least 55 characters; after the flags either the end or '-' and
///    anything (unknown fields are ignored);
///  - trace-id 32 and parent-id 16 lowercase hex digits (uppercase is invalid), not all zero;
///  - trace-flags 2 lowercase hex digits; unknown flag bits are kept as received (the formatter
///    zeroes them).
/// Returns a SpanContext with remote = true and an empty trace_state (the propagator adds it).
/// Errors: kInvalidInput, message "traceparent: <rule>". Never throws on bad input; no heap
/// allocation on success.
Result<SpanContext> parse_traceparent(std::string_view value);

/// Writes the version-00 traceparent of `context` to `out`: exactly kTraceparentSize characters,
/// no terminator, lowercase, only the sampled and random flag bits. No allocation.
/// The caller checks context.is_valid() first (an invalid context formats all-zero ids).
void format_traceparent(const SpanContext& context, char* out) noexcept;

/// The version-00 traceparent of `context` as a string (see the overload above).
std::string format_traceparent(const SpanContext& context);

}  // namespace frame_tracking
