// SPDX-License-Identifier: Apache-2.0
// Trace analysis: what operators ask of many frames' traces — coverage of the expected stages,
// orphans, several roots, clock skew per host pair, spans without frame.id, per-stage latency,
// the slowest frames, errors and drops (docs/analyzer.md).
#pragma once

#include "jaeger/jaeger_trace.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::jaeger {

/// The default --expect: the reference pipeline's stages (DESIGN.md "Spans of one frame").
inline constexpr std::string_view kDefaultStages = "capture_frame,decode_frame,send,process,detect,store_frame";

/// Whether span `name` belongs to `stage`: equal, or `stage` followed by ' ' or ':' — so stage
/// "send" matches "send frames:metadata" (OTel messaging names are `{operation} {destination}`)
/// and stage "process frames:ready" matches "process frames:ready:motion".
bool stage_matches(std::string_view stage, std::string_view name);

/// Nearest-rank percentile `p` (0..100] of `sorted` (ascending); 0 when empty.
double nearest_rank(const std::vector<double>& sorted, double p);

/// What to look for. Value type.
struct AnalysisOptions {
  /// Stage names every complete frame's trace must hold (stage_matches).
  std::vector<std::string> expect;
  /// How many of the slowest frames to list.
  std::size_t slowest = 5;
  /// At most this many items in each list of defects (counts are always exact).
  std::size_t examples = 20;
};

/// A span named in a finding.
struct SpanFinding {
  std::string trace_id;
  std::string frame_id;
  std::string span_id;
  std::string name;
  std::string service;
  /// Orphans: the missing parent id; errors: the status message; drops: the reason;
  /// skew: "starts_before_parent" or "ends_after_parent".
  std::string detail;
  /// Skew only: by how much, µs; parent name and hosts.
  std::int64_t skew_us = 0;
  std::string parent_name;
  std::string parent_host;
  std::string child_host;
};

/// A trace named in a finding: incomplete (`names` = stages missing) or several roots (`names` = root span names).
struct TraceFinding {
  std::string trace_id;
  std::string frame_id;
  std::vector<std::string> names;
};

/// Clock skew between the hosts of a parent and its child.
struct HostPairSkew {
  std::string parent_host;
  std::string child_host;
  std::size_t spans = 0;
  std::int64_t max_skew_us = 0;
};

/// Duration percentiles of the spans of one stage (or "end to end"), in ms.
struct StageStats {
  std::string stage;
  std::size_t count = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
};

/// The nearest-rank percentiles of `durations_ms` (any order) as the stats of `stage`.
StageStats stage_stats(std::string stage, std::vector<double> durations_ms);

/// One of the slowest frames: end-to-end duration and the stage with the most self time.
struct SlowFrame {
  std::string trace_id;
  std::string frame_id;
  std::int64_t duration_us = 0;
  std::string slowest_stage;
  std::int64_t slowest_stage_self_us = 0;
};

/// The findings over a set of traces. Lists are sorted by trace id, then tree order, and cut at
/// AnalysisOptions::examples; the `*_count` fields count everything.
struct Analysis {
  std::vector<std::string> expect;
  std::size_t frames = 0;
  std::size_t spans = 0;
  std::size_t complete = 0;
  std::size_t dropped = 0;
  std::size_t incomplete = 0;
  /// complete / (frames − dropped) × 100; nullopt when no frame was left to complete.
  std::optional<double> coverage_percent;
  std::vector<TraceFinding> incomplete_frames;
  std::size_t orphan_count = 0;
  std::vector<SpanFinding> orphans;
  std::size_t multi_root_count = 0;
  std::vector<TraceFinding> multi_root;
  std::size_t skew_count = 0;
  std::vector<HostPairSkew> skew_by_host_pair;
  std::vector<SpanFinding> skewed;
  std::size_t missing_frame_id_count = 0;
  std::vector<SpanFinding> missing_frame_id;
  std::vector<StageStats> stages;
  std::vector<SlowFrame> slowest;
  /// Frames with an error span (a span whose ERROR status comes with a frame.dropped event counts as a drop, not an error).
  std::size_t error_frames = 0;
  std::vector<SpanFinding> errors;
  std::map<std::string, std::size_t> drops_by_reason;
  std::vector<SpanFinding> drops;
  /// Things that may make the numbers wrong (a stage no span matches, …).
  std::vector<std::string> warnings;
  /// frame_tracking_tracer_spans_dropped_total by `reason` label, read from --metrics by the
  /// caller (analyze_traces leaves it unset).
  std::optional<std::map<std::string, double>> tracer_spans_dropped;
};

/// Analyses `traces` (each a frame's trace; duplicates by trace id are counted once).
/// A frame is dropped when a span of its trace has a frame.dropped event; complete when it is not
/// dropped and every stage of `options.expect` matches at least one of its spans; else incomplete.
/// Clock skew: a child span starting before its parent starts, or — unless the parent is a
/// PRODUCER or the child a CONSUMER (asynchronous hand-over) — ending after its parent ends;
/// grouped by (parent host, child host), host = process tag host.name, else the service.
/// Pure function; thread-safe.
Analysis analyze_traces(const std::vector<Journey>& traces, const AnalysisOptions& options);

}  // namespace frame_tracking::jaeger
