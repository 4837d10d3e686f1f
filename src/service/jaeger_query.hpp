// SPDX-License-Identifier: Apache-2.0
// Parsing of Jaeger query API parameters (v2.20 query_parser.go rules, plus frame-tracking extensions).
#pragma once

#include "frame_tracking/result.hpp"
#include "frame_tracking/store/trace_query.hpp"
#include "frame_tracking/trace_context.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::service {

/// Jaeger's default search window when `start` is missing (now − 48 h).
inline constexpr std::int64_t kDefaultLookbackNs = 48LL * 3600 * 1'000'000'000;
/// Jaeger's default `limit`.
inline constexpr std::size_t kDefaultSearchLimit = 100;
/// Default largest `limit` (traces per search) and most `traceID` parameters per request (Jaeger
/// UI's own maximum; `serve --max-search-traces`). A response holds at most that many traces of at
/// most --max-trace-spans spans.
inline constexpr std::size_t kMaxSearchLimit = 1500;

/// Parses a Go duration (`time.ParseDuration`): a sequence of decimal numbers with units
/// ns, us, µs, μs, ms, s, m, h, optionally signed, e.g. "1.5ms", "1h30m"; "0" alone is allowed.
/// Returns nanoseconds. Errors use Go's wording, e.g. `time: missing unit in duration "100"`.
Result<std::int64_t> parse_go_duration(std::string_view text);

/// A parsed GET /api/traces request: either explicit trace ids or a search.
struct SearchRequest {
  store::TraceQuery query;
  /// Values of repeated `traceID=` parameters (hex); when non-empty the search is ignored.
  std::vector<std::string> trace_ids;
};

/// Parses /api/traces parameters (reference/jaeger-api.md §3): service, operation, start/end (µs),
/// minDuration/maxDuration (Go durations), limit (default 100), repeated `tag=key:value`, repeated
/// `tags` JSON maps (merged over `tag`), traceID. Extensions: `service` is optional; `tags` also
/// accepts the short form `key:value`; when a `frame.id` tag is given without start/end, no time
/// window applies. `now_ns` is the wall clock (Unix ns) for the default window.
/// Errors carry Jaeger's message, e.g. "unable to parse param 'start': ..."; a `limit` above
/// `max_limit` or more than `max_limit` `traceID` parameters are refused the same way.
Result<SearchRequest> parse_search_params(const std::multimap<std::string, std::string>& params, std::int64_t now_ns,
                                          std::size_t max_limit = kMaxSearchLimit);

/// A trace id in a URL: up to 32 hex digits (left-padded with zeros, either case) or a FrameId in
/// canonical 8-4-4-4-12 form. Empty optional for anything else or all zeros.
std::optional<TraceId> parse_trace_id_param(std::string_view text) noexcept;

}  // namespace frame_tracking::service
