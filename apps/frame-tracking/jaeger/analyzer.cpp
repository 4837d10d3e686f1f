// SPDX-License-Identifier: Apache-2.0
// Analyzer: Jaeger query API searches over every service, then the analysis.
#include "jaeger/analyzer.hpp"

#include "jaeger/prometheus_text.hpp"
#include "otlp/http_get.hpp"

#include <algorithm>
#include <set>

namespace frame_tracking::jaeger {

Result<std::map<std::string, double>> tracer_spans_dropped(std::string_view prometheus_text) {
  auto samples = parse_prometheus_text(prometheus_text);
  if (!samples) return samples.error();
  std::map<std::string, double> out;
  for (const MetricSample& sample : *samples) {
    if (sample.name != "frame_tracking_tracer_spans_dropped_total") continue;
    auto reason = sample.labels.find("reason");
    out[reason == sample.labels.end() ? std::string() : reason->second] += sample.value;
  }
  return out;
}

Result<Analysis> analyze(const QueryClient& client, const AnalyzeRequest& request) {
  std::vector<std::string> services;
  if (request.search.service.empty()) {
    auto listed = client.services();
    if (!listed) return listed.error();
    services = std::move(*listed);
    std::sort(services.begin(), services.end());
  } else {
    services.push_back(request.search.service);
  }
  std::vector<std::string> warnings;
  std::set<std::string> operations;
  std::vector<Journey> traces;
  for (const std::string& service : services) {
    auto names = client.operations(service);
    if (!names) return names.error();
    operations.insert(names->begin(), names->end());
    TraceSearch search = request.search;
    search.service = service;
    auto found = client.search(search);
    if (!found) return found.error();
    if (found->size() >= search.limit)
      warnings.push_back("service '" + service + "' returned --limit " + std::to_string(search.limit) +
                         " traces; more may exist (raise --limit or narrow --since)");
    for (Journey& trace : *found) traces.push_back(std::move(trace));
  }
  Analysis analysis = analyze_traces(traces, request.analysis);
  for (const std::string& stage : request.analysis.expect)
    if (std::none_of(operations.begin(), operations.end(), [&](const auto& name) { return stage_matches(stage, name); }))
      warnings.push_back("stage '" + stage + "' matches no operation of the services searched");
  analysis.warnings.insert(analysis.warnings.end(), warnings.begin(), warnings.end());
  if (!request.metrics_url.empty()) {
    const cli::HttpResponse response = cli::http_get(request.metrics_url);
    if (!response.error.empty()) return Error{ErrorCode::kInvalidInput, "cannot reach " + request.metrics_url + ": " + response.error};
    if (response.status != 200)
      return Error{ErrorCode::kInvalidInput, request.metrics_url + " answered " + std::to_string(response.status)};
    auto dropped = tracer_spans_dropped(response.body);
    if (!dropped) return Error{ErrorCode::kInvalidInput, request.metrics_url + ": " + dropped.error().message};
    analysis.tracer_spans_dropped = std::move(*dropped);
  }
  return analysis;
}

}  // namespace frame_tracking::jaeger
