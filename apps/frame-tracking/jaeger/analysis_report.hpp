// SPDX-License-Identifier: Apache-2.0
// Analysis report: an Analysis as a text table, as Markdown, or as a stable JSON document.
#pragma once

#include "jaeger/trace_analysis.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace frame_tracking::jaeger {

/// How render_analysis() lays out the sections.
enum class ReportFormat { kText, kMarkdown };

/// The report: a summary (frames, coverage), then one table per section — incomplete frames,
/// orphan spans, several roots, clock skew per host pair, spans without frame.id, per-stage
/// latency, slowest frames, frames with errors, drops by reason, tracer drops (when read),
/// warnings. Text aligns columns with spaces; Markdown uses `##` headings and pipe tables.
std::string render_analysis(const Analysis& analysis, ReportFormat format);

/// The analysis as JSON with a fixed key order (docs/analyzer.md "JSON"):
/// {"expect", "frames": {total, complete, dropped, incomplete, coverage_percent (3 decimals or
/// null)}, "spans", "incomplete": {count, frames [{trace_id, frame_id, missing}]}, "orphans":
/// {count, spans [{trace_id, frame_id, span_id, name, service, parent_id}]}, "multi_root": {count,
/// traces [{trace_id, frame_id, roots}]}, "clock_skew": {count, host_pairs [{parent_host,
/// child_host, spans, max_skew_us}], spans [{trace_id, frame_id, span_id, name, parent_name,
/// parent_host, child_host, kind, skew_us}]}, "missing_frame_id": {count, spans [{trace_id,
/// frame_id, span_id, name, service}]}, "stages" [{stage, count, p50_ms, p95_ms, p99_ms}],
/// "slowest" [{trace_id, frame_id, duration_us, slowest_stage, slowest_stage_self_us}], "errors":
/// {frames, spans [{trace_id, frame_id, span_id, name, service, message}]}, "drops": {frames,
/// by_reason {}, spans [{trace_id, frame_id, span_id, name, service, reason}]},
/// "tracer_spans_dropped" ({reason: n} or null), "warnings"}.
nlohmann::ordered_json analysis_json(const Analysis& analysis);

}  // namespace frame_tracking::jaeger
