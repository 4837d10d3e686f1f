// SPDX-License-Identifier: Apache-2.0
// Waterfall: one journey as terminal text (tree, offsets, durations, time bars, critical path,
// errors, events, drops) and as a stable JSON document.
#pragma once

#include "jaeger/jaeger_trace.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace frame_tracking::jaeger {

/// `journey` as text lines of at most about `width` columns (the time bar takes what the other
/// columns leave, at least 10 cells). One header line, then one line per span in tree_rows() order:
///   marker ('*' = on the critical_path(), else ' '), service, span name indented two spaces per
///   depth, start offset from the journey's first span and duration (ms, 3 decimals), and a bar on
///   the journey's time axis ('#' on the critical path, '=' elsewhere, 'X' at a frame.dropped
///   event), followed by notes: "ERROR: <status message>", "DROPPED: <reason>",
///   "ORPHAN: parent <id> not in trace";
/// after each span, one line per event: "- <name> +<offset ms> key=value ...".
/// Empty string for an empty journey.
std::string render_waterfall(const Journey& journey, std::size_t width = 120);

/// The journey as a JSON document with a fixed key order:
/// {"trace_id", "frame_id" (frame.id of the first root, else ""), "start_us", "duration_us",
///  "span_count", "services" (sorted), "critical_path" (span ids), "errors" [{span_id, name,
///  service, message}], "drops" [{span_id, name, service, reason}], "spans" [{span_id,
///  parent_id, depth, orphan, critical, service, host, name, kind, start_offset_us, duration_us,
///  error, status_message, dropped, drop_reason, tags {}, events [{offset_us, name, fields {}}]}]}
/// with spans in tree_rows() order and offsets in µs from start_us.
nlohmann::ordered_json journey_json(const Journey& journey);

}  // namespace frame_tracking::jaeger
