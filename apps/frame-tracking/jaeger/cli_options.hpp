// SPDX-License-Identifier: Apache-2.0
// CLI options shared by `journey` and `analyze`: the API URL default, terminal width, durations
// and the FRAME_ID argument.
#pragma once

#include "frame_tracking/result.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::jaeger {

/// `frame-tracking serve`'s default query port on loopback (Jaeger's query port too).
inline constexpr std::string_view kDefaultApi = "http://127.0.0.1:16686";

/// The width for text output: `requested` when non-zero, else the terminal's columns (stdout a
/// tty), else $COLUMNS, else 120.
std::size_t output_width(std::size_t requested);

/// Parses a look-back like "90s", "15m", "1h", "2d" (a positive integer and one unit of s, m, h, d).
/// Errors name `flag` and the rule.
Result<std::chrono::seconds> parse_lookback(std::string_view text, std::string_view flag);

/// Checks a Go duration as Jaeger's minDuration/maxDuration take it: one or more
/// `<number><unit>` with unit ns, us, µs, ms, s, m or h ("1s", "1.5ms", "1h30m"). Errors name `flag`.
Result<std::string> check_go_duration(std::string_view text, std::string_view flag);

/// The 32 lowercase hex digits of a FRAME_ID argument: a FrameId (8-4-4-4-12, version 7) or any
/// non-zero trace id of 32 hex digits (a frame that joined another SDK's trace). Errors name
/// FRAME_ID and the rule.
Result<std::string> trace_id_argument(std::string_view text);

/// Parses repeated `--tag key=value` values into a map. Errors name --tag.
Result<std::map<std::string, std::string>> parse_tags(const std::vector<std::string>& items);

}  // namespace frame_tracking::jaeger
