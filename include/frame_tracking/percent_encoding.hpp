// SPDX-License-Identifier: Apache-2.0
// Percent-decoding (RFC 3986 §2.1) shared by OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS and AMQP URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace frame_tracking {

/// Decodes every `%XX` (two hex digits, any case) in `in` to its byte; other characters are copied.
/// Errors: an empty optional when a '%' is not followed by two hex digits. Pure; thread-safe.
/// Spec: RFC 3986 §2.1 (percent-encoding).
std::optional<std::string> percent_decode(std::string_view in);

}  // namespace frame_tracking
