// SPDX-License-Identifier: Apache-2.0
// Prometheus text: a minimal reader of the text exposition format (samples `name{labels} value`),
// enough for the analyzer to read the tracer's drop counters from /metrics.
#pragma once

#include "frame_tracking/result.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::jaeger {

/// One sample line. Value type.
struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// Parses the sample lines of a Prometheus text exposition (version 0.0.4): `#` lines and blank
/// lines are skipped; label values unescape \\, \" and \n; the value may be a float, +Inf, -Inf or
/// NaN; an optional timestamp is ignored. Never throws; errors (kInvalidInput) name the line number
/// and the rule, e.g. "line 3: expected a value after the labels".
Result<std::vector<MetricSample>> parse_prometheus_text(std::string_view text);

}  // namespace frame_tracking::jaeger
