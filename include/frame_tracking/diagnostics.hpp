// SPDX-License-Identifier: Apache-2.0
// SDK self-diagnostics: where configuration warnings and internal errors are reported (OTEL_LOG_LEVEL).
// Spec: https://opentelemetry.io/docs/specs/otel/error-handling/#self-diagnostics
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace frame_tracking {

/// Severity of a diagnostic message, ordered from most to least verbose.
enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarning, kError, kNone };

/// Parses an OTEL_LOG_LEVEL value (case-insensitive "debug", "info", "warn"/"warning", "error",
/// "none"); empty optional for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

/// Receives one diagnostic line (no trailing newline). Called from any thread, serialised.
using LogHandler = std::function<void(LogLevel, std::string_view message)>;

/// Replaces the process-wide handler (default: "frame-tracking <level>: <message>" on stderr).
/// An empty handler restores the default. Thread-safe.
void set_log_handler(LogHandler handler);

/// Messages below `level` are discarded (default kInfo, set from OTEL_LOG_LEVEL by the config).
/// Thread-safe.
void set_log_level(LogLevel level) noexcept;
LogLevel log_level() noexcept;

/// Reports `message` at `level` through the handler. Thread-safe; never throws. Not for the hot
/// path (it takes a lock).
void log_diagnostic(LogLevel level, std::string_view message) noexcept;

}  // namespace frame_tracking
