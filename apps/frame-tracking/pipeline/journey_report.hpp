// SPDX-License-Identifier: Apache-2.0
// Journey report: per-stage latency percentiles over many frames' journeys (the waterfall of one is jaeger/waterfall.hpp).
#pragma once

#include "jaeger/trace_analysis.hpp"
#include "jaeger/waterfall.hpp"
#include "pipeline/journey.hpp"

#include <string>
#include <vector>

namespace frame_tracking::pipeline {

/// The latency of one span name over the journeys given, in milliseconds (shared with `analyze`).
using jaeger::StageStats;

/// One row per span name (in pipeline order: the order of expected_journey, processors' spans
/// together), then "end to end" (root start → last span end). Percentiles are nearest-rank over the
/// span durations of `journeys` (e.g. the complete ones).
std::vector<StageStats> stage_latencies(const std::vector<const Journey*>& journeys);

/// Shared with `journey` and `analyze` (jaeger/).
using jaeger::journey_duration_us;
using jaeger::render_waterfall;

}  // namespace frame_tracking::pipeline
