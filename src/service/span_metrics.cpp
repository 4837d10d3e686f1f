// SPDX-License-Identifier: Apache-2.0
// SpanMetrics: weighting by the tracestate's sampling threshold, aggregation per label set, text exposition.
#include "span_metrics.hpp"

#include "span_rules.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <algorithm>
#include <charconv>

namespace frame_tracking::service {
namespace {

constexpr double kTwoPow56 = 72057594037927936.0;

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Calls `f(item)` for each `separator`-separated item of `list`.
template <typename F>
void for_each_item(std::string_view list, char separator, F&& f) {
  while (true) {
    const std::size_t end = list.find(separator);
    f(list.substr(0, end));
    if (end == std::string_view::npos) return;
    list.remove_prefix(end + 1);
  }
}

std::string_view kind_name(int kind) noexcept {
  static constexpr std::array<std::string_view, 6> kNames{"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
                                                          "SPAN_KIND_SERVER",      "SPAN_KIND_CLIENT",
                                                          "SPAN_KIND_PRODUCER",    "SPAN_KIND_CONSUMER"};
  return kind >= 0 && kind < static_cast<int>(kNames.size()) ? kNames[static_cast<std::size_t>(kind)] : kNames[0];
}

std::string_view status_name(int code) noexcept {
  static constexpr std::array<std::string_view, 3> kNames{"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
  return code >= 0 && code < static_cast<int>(kNames.size()) ? kNames[static_cast<std::size_t>(code)] : kNames[0];
}

/// A label value escaped for the text format (backslash, double quote, line feed).
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_number(std::string& out, double value) {
  char buffer[352];  // the longest fixed form of a double
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  out.append(buffer, error == std::errc() ? end : buffer);
}

}  // namespace

std::optional<double> sampling_probability(std::string_view tracestate) noexcept {
  std::optional<double> out;
  for_each_item(tracestate, ',', [&](std::string_view member) {
    member = trim(member);
    if (out || !member.starts_with("ot=")) return;
    for_each_item(member.substr(3), ';', [&](std::string_view entry) {
      if (out || !entry.starts_with("th:")) return;
      const std::string_view digits = entry.substr(3);
      if (digits.empty() || digits.size() > 14) return;
      std::uint64_t threshold = 0;
      for (char c : digits) {
        const int nibble = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (nibble < 0) return;
        threshold = threshold << 4 | static_cast<std::uint64_t>(nibble);
      }
      threshold <<= 4 * (14 - digits.size());
      out = (kTwoPow56 - static_cast<double>(threshold)) / kTwoPow56;
    });
  });
  return out;
}

void SpanMetrics::record(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request) {
  std::lock_guard lock(mutex_);
  for (const auto& resource_spans : request.resource_spans()) {
    const std::string service = store::detail::service_name_of(resource_spans.resource());
    for (const auto& scope_spans : resource_spans.scope_spans()) {
      for (const auto& span : scope_spans.spans()) {
        if (store::detail::span_rule_error(span) != nullptr) continue;
        Key key{service, span.name(), kind_name(span.kind()), status_name(span.status().code())};
        auto it = series_.find(key);
        if (it == series_.end()) {
          if (series_.size() >= max_series_) {
            ++dropped_spans_;
            continue;
          }
          it = series_.emplace(std::move(key), Series{}).first;
        }
        const double weight = 1.0 / sampling_probability(span.trace_state()).value_or(1.0);
        const std::uint64_t start = span.start_time_unix_nano();
        const std::uint64_t end = std::max(start, span.end_time_unix_nano());
        const double seconds = static_cast<double>(end - start) * 1e-9;
        Series& series = it->second;
        series.calls += weight;
        series.duration_sum += weight * seconds;
        const auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
        series.buckets[static_cast<std::size_t>(bucket)] += weight;
      }
    }
  }
}

void SpanMetrics::write(std::string& out) const {
  std::lock_guard lock(mutex_);
  const auto labels = [&out](const Key& key) {
    out += "service_name=\"";
    append_label_value(out, std::get<0>(key));
    out += "\",span_name=\"";
    append_label_value(out, std::get<1>(key));
    out += "\",span_kind=\"";
    out += std::get<2>(key);
    out += "\",status_code=\"";
    out += std::get<3>(key);
    out += '"';
  };
  out += "# HELP traces_span_metrics_calls_total Spans received, each counted 1/p by its sampling probability.\n"
         "# TYPE traces_span_metrics_calls_total counter\n";
  for (const auto& [key, series] : series_) {
    out += "traces_span_metrics_calls_total{";
    labels(key);
    out += "} ";
    append_number(out, series.calls);
    out += '\n';
  }
  out += "# HELP traces_span_metrics_duration_seconds Span durations, each span counted 1/p by its sampling probability.\n"
         "# TYPE traces_span_metrics_duration_seconds histogram\n";
  for (const auto& [key, series] : series_) {
    double cumulative = 0;
    for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += series.buckets[i];
      out += "traces_span_metrics_duration_seconds_bucket{";
      labels(key);
      out += ",le=\"";
      if (i < kBuckets.size()) append_number(out, kBuckets[i]);
      else out += "+Inf";
      out += "\"} ";
      append_number(out, cumulative);
      out += '\n';
    }
    out += "traces_span_metrics_duration_seconds_sum{";
    labels(key);
    out += "} ";
    append_number(out, series.duration_sum);
    out += "\ntraces_span_metrics_duration_seconds_count{";
    labels(key);
    out += "} ";
    append_number(out, series.calls);
    out += '\n';
  }
  out += "# HELP traces_span_metrics_dropped_spans_total Spans not counted because the series limit was reached.\n"
         "# TYPE traces_span_metrics_dropped_spans_total counter\n"
         "traces_span_metrics_dropped_spans_total ";
  out += std::to_string(dropped_spans_);
  out += '\n';
}

}  // namespace frame_tracking::service
