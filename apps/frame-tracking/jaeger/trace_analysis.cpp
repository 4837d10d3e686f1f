// SPDX-License-Identifier: Apache-2.0
// Trace analysis: coverage, structural defects, skew, latency, errors and drops over many traces.
#include "jaeger/trace_analysis.hpp"

#include "jaeger/journey_tree.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace frame_tracking::jaeger {
namespace {

/// frame.id of the first root span, else of any span, else the trace id.
std::string frame_id_of(const Journey& trace, const std::vector<TreeRow>& rows) {
  for (const TreeRow& row : rows)
    if (auto id = row.span->tags.find("frame.id"); id != row.span->tags.end() && row.span->parent_id.empty()) return id->second;
  for (const TreeRow& row : rows)
    if (auto id = row.span->tags.find("frame.id"); id != row.span->tags.end()) return id->second;
  return trace.trace_id;
}

SpanFinding finding(const Journey& trace, const std::string& frame_id, const JourneySpan& span, std::string detail) {
  SpanFinding out;
  out.trace_id = trace.trace_id;
  out.frame_id = frame_id;
  out.span_id = span.span_id;
  out.name = span.name;
  out.service = span.service;
  out.detail = std::move(detail);
  return out;
}

template <typename T>
void keep(std::vector<T>& list, T item, std::size_t examples) {
  if (list.size() < examples) list.push_back(std::move(item));
}

/// Self time of `span`: its duration minus the time its children cover inside it.
std::int64_t self_time_us(const JourneySpan& span, const std::vector<const JourneySpan*>& children) {
  std::vector<std::pair<std::int64_t, std::int64_t>> covered;
  for (const JourneySpan* child : children) {
    const std::int64_t from = std::max(child->start_us, span.start_us), to = std::min(child->end_us(), span.end_us());
    if (from < to) covered.emplace_back(from, to);
  }
  std::sort(covered.begin(), covered.end());
  std::int64_t busy = 0, reach = span.start_us;
  for (auto [from, to] : covered) {
    from = std::max(from, reach);
    if (to > from) busy += to - from;
    reach = std::max(reach, to);
  }
  return span.duration_us - busy;
}

}  // namespace

bool stage_matches(std::string_view stage, std::string_view name) {
  if (!name.starts_with(stage)) return false;
  return name.size() == stage.size() || name[stage.size()] == ' ' || name[stage.size()] == ':';
}

double nearest_rank(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

StageStats stage_stats(std::string stage, std::vector<double> durations_ms) {
  std::sort(durations_ms.begin(), durations_ms.end());
  return {std::move(stage), durations_ms.size(), nearest_rank(durations_ms, 50), nearest_rank(durations_ms, 95),
          nearest_rank(durations_ms, 99)};
}

Analysis analyze_traces(const std::vector<Journey>& traces, const AnalysisOptions& options) {
  Analysis out;
  out.expect = options.expect;
  const std::size_t examples = options.examples;
  std::map<std::string, const Journey*> by_id;  // sorted by trace id, duplicates once
  for (const Journey& trace : traces) by_id.emplace(trace.trace_id, &trace);

  std::map<std::string, std::vector<double>> stage_ms;
  std::vector<double> end_to_end_ms;
  std::map<std::pair<std::string, std::string>, HostPairSkew> skew;
  std::vector<SlowFrame> frames;
  for (const auto& [trace_id, trace] : by_id) {
    const auto rows = tree_rows(*trace);
    const std::string frame_id = frame_id_of(*trace, rows);
    ++out.frames;
    out.spans += trace->spans.size();

    std::map<std::string, std::vector<const JourneySpan*>> children;
    for (const JourneySpan& span : trace->spans)
      if (!span.parent_id.empty()) children[span.parent_id].push_back(&span);

    bool dropped = false, error = false;
    std::vector<std::string> roots;
    std::map<std::string, std::int64_t> stage_self_us;
    for (const TreeRow& row : rows) {
      const JourneySpan& span = *row.span;
      const JourneySpan* parent = span.parent_id.empty() ? nullptr : trace->find(span.parent_id);
      if (span.parent_id.empty()) roots.push_back(span.name);
      else if (parent == nullptr) {
        ++out.orphan_count;
        keep(out.orphans, finding(*trace, frame_id, span, span.parent_id), examples);
      }
      if (span.tags.count("frame.id") == 0) {
        ++out.missing_frame_id_count;
        keep(out.missing_frame_id, finding(*trace, frame_id, span, ""), examples);
      }
      if (span.dropped) {
        dropped = true;
        ++out.drops_by_reason[span.drop_reason.empty() ? "(none)" : span.drop_reason];
        keep(out.drops, finding(*trace, frame_id, span, span.drop_reason), examples);
      } else if (span.error) {
        error = true;
        keep(out.errors, finding(*trace, frame_id, span, span.status_message), examples);
      }
      if (parent != nullptr) {
        std::string kind;
        std::int64_t by = 0;
        const bool asynchronous = parent->kind == "producer" || span.kind == "consumer";
        if (span.start_us < parent->start_us) {
          kind = "starts_before_parent";
          by = parent->start_us - span.start_us;
        } else if (!asynchronous && span.end_us() > parent->end_us()) {
          kind = "ends_after_parent";
          by = span.end_us() - parent->end_us();
        }
        if (!kind.empty()) {
          ++out.skew_count;
          HostPairSkew& pair = skew[{parent->host, span.host}];
          pair.parent_host = parent->host;
          pair.child_host = span.host;
          ++pair.spans;
          pair.max_skew_us = std::max(pair.max_skew_us, by);
          SpanFinding item = finding(*trace, frame_id, span, kind);
          item.skew_us = by;
          item.parent_name = parent->name;
          item.parent_host = parent->host;
          item.child_host = span.host;
          keep(out.skewed, std::move(item), examples);
        }
      }
      for (const std::string& stage : options.expect)
        if (stage_matches(stage, span.name)) {
          stage_ms[stage].push_back(static_cast<double>(span.duration_us) / 1000.0);
          auto found = children.find(span.span_id);
          stage_self_us[stage] += self_time_us(span, found == children.end() ? std::vector<const JourneySpan*>{} : found->second);
        }
    }
    if (roots.size() > 1) {
      ++out.multi_root_count;
      keep(out.multi_root, TraceFinding{trace->trace_id, frame_id, roots}, examples);
    }
    if (error) ++out.error_frames;
    std::vector<std::string> missing;
    for (const std::string& stage : options.expect)
      if (std::none_of(trace->spans.begin(), trace->spans.end(), [&](const auto& s) { return stage_matches(stage, s.name); }))
        missing.push_back(stage);
    if (dropped) {
      ++out.dropped;
    } else if (missing.empty()) {
      ++out.complete;
    } else {
      ++out.incomplete;
      keep(out.incomplete_frames, TraceFinding{trace->trace_id, frame_id, missing}, examples);
    }
    SlowFrame slow{trace->trace_id, frame_id, journey_duration_us(*trace), "", 0};
    for (const std::string& stage : options.expect)  // in --expect order, so ties go to the earlier stage
      if (auto found = stage_self_us.find(stage); found != stage_self_us.end() && (slow.slowest_stage.empty() || found->second > slow.slowest_stage_self_us)) {
        slow.slowest_stage = stage;
        slow.slowest_stage_self_us = found->second;
      }
    if (!trace->spans.empty()) end_to_end_ms.push_back(static_cast<double>(slow.duration_us) / 1000.0);
    frames.push_back(std::move(slow));
  }
  if (out.frames > out.dropped)
    out.coverage_percent = 100.0 * static_cast<double>(out.complete) / static_cast<double>(out.frames - out.dropped);
  for (const auto& [pair, value] : skew) out.skew_by_host_pair.push_back(value);
  for (const std::string& stage : options.expect) {
    out.stages.push_back(stage_stats(stage, std::move(stage_ms[stage])));
    if (out.stages.back().count == 0 && out.frames > 0) out.warnings.push_back("stage '" + stage + "' matches no span");
  }
  if (!end_to_end_ms.empty()) out.stages.push_back(stage_stats("end to end", std::move(end_to_end_ms)));
  std::stable_sort(frames.begin(), frames.end(), [](const auto& a, const auto& b) { return a.duration_us > b.duration_us; });
  frames.resize(std::min(frames.size(), options.slowest));
  out.slowest = std::move(frames);
  return out;
}

}  // namespace frame_tracking::jaeger
