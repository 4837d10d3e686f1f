// SPDX-License-Identifier: Apache-2.0
// Journey report: per-stage latency percentiles and a terminal waterfall of one journey.
#include "pipeline/journey_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

namespace frame_tracking::pipeline {
namespace {

double nearest_rank(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

StageLatency summarize(std::string stage, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  StageLatency out{std::move(stage), values.size(), 0, 0, 0};
  out.p50_ms = nearest_rank(values, 50);
  out.p95_ms = nearest_rank(values, 95);
  out.p99_ms = nearest_rank(values, 99);
  return out;
}

/// Where a span name sits in the pipeline: its index in expected_journey(processor).
std::size_t pipeline_position(const std::string& name) {
  const std::string prefix = "frames:ready:";
  std::string processor;
  if (const std::size_t at = name.find(prefix); at != std::string::npos) processor = name.substr(at + prefix.size());
  const auto expected = expected_journey(processor);
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (expected[i].name == name) return i;
  return expected.size();
}

}  // namespace

std::int64_t journey_duration_us(const Journey& journey) {
  if (journey.spans.empty()) return 0;
  std::int64_t first = journey.spans[0].start_us, last = first;
  for (const auto& span : journey.spans) {
    first = std::min(first, span.start_us);
    last = std::max(last, span.start_us + span.duration_us);
  }
  return last - first;
}

std::vector<StageLatency> stage_latencies(const std::vector<const Journey*>& journeys) {
  std::map<std::string, std::vector<double>> by_name;
  std::vector<double> end_to_end;
  for (const Journey* journey : journeys) {
    for (const auto& span : journey->spans) by_name[span.name].push_back(static_cast<double>(span.duration_us) / 1000.0);
    end_to_end.push_back(static_cast<double>(journey_duration_us(*journey)) / 1000.0);
  }
  std::vector<std::string> names;
  for (const auto& entry : by_name) names.push_back(entry.first);
  std::stable_sort(names.begin(), names.end(),
                   [](const auto& a, const auto& b) { return pipeline_position(a) < pipeline_position(b); });
  std::vector<StageLatency> out;
  for (const auto& name : names) out.push_back(summarize(name, std::move(by_name[name])));
  if (!journeys.empty()) out.push_back(summarize("end to end", std::move(end_to_end)));
  return out;
}

std::string render_waterfall(const Journey& journey, std::size_t bar_width) {
  if (journey.spans.empty()) return "";
  std::int64_t origin = journey.spans[0].start_us;
  for (const auto& span : journey.spans) origin = std::min(origin, span.start_us);
  const double total = std::max<double>(1.0, static_cast<double>(journey_duration_us(journey)));

  std::multimap<std::string, const JourneySpan*> children;  // parent id → child
  for (const auto& span : journey.spans) {
    const bool orphan = !span.parent_id.empty() && journey.find(span.parent_id) == nullptr;
    children.emplace(orphan ? std::string() : span.parent_id, &span);
  }
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "  %-17s %-34s %10s %10s  %s\n", "service", "span", "start ms", "dur ms", "timeline");
  out += line;
  std::function<void(const std::string&, int)> walk = [&](const std::string& parent, int depth) {
    std::vector<const JourneySpan*> level;
    for (auto [it, end] = children.equal_range(parent); it != end; ++it) level.push_back(it->second);
    std::sort(level.begin(), level.end(), [](auto* a, auto* b) { return a->start_us < b->start_us; });
    for (const JourneySpan* span : level) {
      const double offset = static_cast<double>(span->start_us - origin);
      auto from = static_cast<std::size_t>(std::floor(offset / total * static_cast<double>(bar_width)));
      auto to = static_cast<std::size_t>(std::ceil((offset + static_cast<double>(span->duration_us)) / total * static_cast<double>(bar_width)));
      from = std::min(from, bar_width - 1);
      to = std::clamp(to, from + 1, bar_width);
      std::string bar(bar_width, ' ');
      for (std::size_t i = from; i < to; ++i) bar[i] = '=';
      if (span->dropped) bar[from] = 'X';
      const std::string name = std::string(static_cast<std::size_t>(depth) * 2, ' ') + span->name;
      std::snprintf(line, sizeof(line), "  %-17s %-34s %10.3f %10.3f  |%s|%s\n", span->service.c_str(), name.c_str(),
                    offset / 1000.0, static_cast<double>(span->duration_us) / 1000.0, bar.c_str(),
                    span->dropped ? (" dropped: " + span->drop_reason).c_str() : "");
      out += line;
      walk(span->span_id, depth + 1);
    }
  };
  walk("", 0);
  return out;
}

}  // namespace frame_tracking::pipeline
