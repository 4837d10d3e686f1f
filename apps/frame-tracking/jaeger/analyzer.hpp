// SPDX-License-Identifier: Apache-2.0
// Analyzer: fetches frames' traces through the Jaeger query API (every service, or one) and
// analyses them; optionally reads the tracers' drop counters from a Prometheus /metrics URL.
#pragma once

#include "jaeger/query_client.hpp"
#include "jaeger/trace_analysis.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace frame_tracking::jaeger {

/// Which traces to analyse and how. Value type.
struct AnalyzeRequest {
  /// "" = every service `GET /api/services` lists (Jaeger requires a service per search).
  std::string service;
  /// Search parameters applied to every service's search (TraceSearch).
  std::string operation;
  std::map<std::string, std::string> tags;
  std::optional<std::int64_t> start_us;
  std::optional<std::int64_t> end_us;
  std::string min_duration;
  std::string max_duration;
  /// Traces per service search.
  std::size_t limit = 1000;
  /// A Prometheus text endpoint (a pipeline process's or the service's /metrics); "" = none.
  std::string metrics_url;
  AnalysisOptions analysis;
};

/// Runs the request: lists the services (unless one is given), searches each with the same
/// criteria, analyses the union of the traces (analyze_traces), and adds warnings when a search
/// returned `limit` traces (more may exist) or a stage matches no operation of the searched
/// services. Errors: the API or the metrics endpoint unreachable or answering an error, or a body
/// that is not what the API promises (message names the URL).
Result<Analysis> analyze(const QueryClient& client, const AnalyzeRequest& request);

/// Sums `frame_tracking_tracer_spans_dropped_total` by its `reason` label ("" when absent) in a
/// Prometheus text body. Errors: the text is malformed (line and rule).
Result<std::map<std::string, double>> tracer_spans_dropped(std::string_view prometheus_text);

}  // namespace frame_tracking::jaeger
