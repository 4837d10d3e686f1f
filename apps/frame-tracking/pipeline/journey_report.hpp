// SPDX-License-Identifier: Apache-2.0
// Journey report: per-stage latency percentiles over many frames' journeys, and one journey as a terminal waterfall.
#pragma once

#include "pipeline/journey.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace frame_tracking::pipeline {

/// Latency of one span name over the journeys given, in milliseconds.
struct StageLatency {
  std::string stage;
  std::size_t count = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
};

/// One row per span name (in pipeline order: the order of expected_journey, processors' spans
/// together), then "end to end" (root start → last span end). Percentiles are nearest-rank over the
/// span durations of `journeys` (e.g. the complete ones).
std::vector<StageLatency> stage_latencies(const std::vector<const Journey*>& journeys);

/// End-to-end duration of a journey in µs: from the earliest span start to the latest span end.
std::int64_t journey_duration_us(const Journey& journey);

/// `journey` as a waterfall, one line per span in tree order (children by start time):
/// service, span name indented by depth, start offset and duration in ms, and a bar of `bar_width`
/// cells placed on the journey's time axis.
std::string render_waterfall(const Journey& journey, std::size_t bar_width = 40);

}  // namespace frame_tracking::pipeline
