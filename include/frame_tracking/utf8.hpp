// SPDX-License-Identifier: Apache-2.0
// UTF-8 well-formedness checks for strings that leave the process in formats requiring UTF-8
// (OTLP protobuf `string` fields, JSON). Spec: RFC 3629 §4 (syntax of UTF-8 byte sequences).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace frame_tracking {

/// The length (2–4) of the well-formed multi-byte sequence starting at `s[i]`, or 0 when the byte
/// there is ASCII or starts a malformed sequence (overlong form, surrogate, above U+10FFFF,
/// truncated). Requires i < s.size(). Pure, noexcept.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

/// True when `s` is well-formed UTF-8 (ASCII fast path). Pure, noexcept.
bool is_valid_utf8(std::string_view s) noexcept;

/// `s` with every byte that does not belong to a well-formed sequence replaced by U+FFFD.
/// Allocates the result.
std::string sanitize_utf8(std::string_view s);

}  // namespace frame_tracking
