// SPDX-License-Identifier: Apache-2.0
// Journey report: per-stage latency percentiles over many journeys.
#include "pipeline/journey_report.hpp"

#include <algorithm>
#include <map>

namespace frame_tracking::pipeline {
namespace {

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

std::vector<StageStats> stage_latencies(const std::vector<const Journey*>& journeys) {
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
  std::vector<StageStats> out;
  for (const auto& name : names) out.push_back(jaeger::stage_stats(name, std::move(by_name[name])));
  if (!journeys.empty()) out.push_back(jaeger::stage_stats("end to end", std::move(end_to_end)));
  return out;
}

}  // namespace frame_tracking::pipeline
