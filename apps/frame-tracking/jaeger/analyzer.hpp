// SPDX-License-Identifier: Apache-2.0
// Analyzer: fetches frames' traces through the Jaeger query API (every service, or one) and
// analyses them; optionally reads the tracers' drop counters from a Prometheus /metrics URL.
#pragma once

#include "jaeger/query_client.hpp"
#include "jaeger/trace_analysis.hpp"

#include <map>
#include <string>

namespace frame_tracking::jaeger {

/// Which traces to analyse and how. Value type.
struct AnalyzeRequest {
  /// Every service's search returns at most 1000 traces unless `search.limit` says otherwise.
  AnalyzeRequest() { search.limit = 1000; }

  /// The criteria applied to every service's search; `search.service` "" = every service
  /// `GET /api/services` lists (Jaeger requires a service per search); `search.limit` = traces per
  /// service search.
  TraceSearch search;
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
