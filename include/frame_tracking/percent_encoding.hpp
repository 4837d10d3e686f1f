// SPDX-License-Identifier: Apache-2.0
// Hex digits and percent-decoding (RFC 3986 §2.1), shared by the id parsers, baggage, OTEL_* values and URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace frame_tracking {

/// The value 0..15 of one hex digit (either case), or -1 for any other character. Pure; noexcept.
constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes every `%XX` (two hex digits, any case) in `in` to its byte; other characters are copied.
/// Errors: an empty optional when a '%' is not followed by two hex digits. Pure; thread-safe.
/// Spec: RFC 3986 §2.1 (percent-encoding).
std::optional<std::string> percent_decode(std::string_view in);

}  // namespace frame_tracking
