// SPDX-License-Identifier: Apache-2.0
// SpanMetrics: call counts and duration histograms derived from received spans (like the Collector's spanmetrics connector).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace opentelemetry::proto::collector::trace::v1 {
class ExportTraceServiceRequest;
}

namespace frame_tracking::service {

/// The sampling probability a span's W3C tracestate records in its OTel `ot` entry's `th`
/// sub-key (OTel probability sampling: rejection threshold T = 1..14 lowercase hex digits,
/// right-padded with zeros to 56 bits; p = (2^56 − T) / 2^56). Empty when the tracestate has
/// no `ot` entry with a well-formed `th`. Example: "congo=x,ot=th:8" → 0.5; "ot=th:0" → 1.
std::optional<double> sampling_probability(std::string_view tracestate) noexcept;

/// Per (service_name, span_name, span_kind, status_code): a call counter and a duration
/// histogram (seconds, buckets kBuckets), each span counted 1/p by its sampling probability p
/// (1 when its tracestate records none), so sampled traffic estimates the full traffic. At most
/// `max_series` label sets are kept; spans of further label sets are counted (unweighted) in
/// traces_span_metrics_dropped_spans_total instead. Thread-safe.
class SpanMetrics {
 public:
  /// Duration bucket upper bounds, seconds.
  static constexpr std::array<double, 14> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  static constexpr std::size_t kDefaultMaxSeries = 1000;

  explicit SpanMetrics(std::size_t max_series = kDefaultMaxSeries) : max_series_(max_series) {}

  /// Counts the spans of `request` the store accepts (store::detail::span_rule_error), under the
  /// resource's service name (store::detail::service_name_of).
  void record(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request);
  /// Appends traces_span_metrics_calls_total (counter), traces_span_metrics_duration_seconds
  /// (histogram) and traces_span_metrics_dropped_spans_total (counter) in Prometheus text format
  /// 0.0.4; label sets in sorted order; values in the shortest fixed-point form that round-trips.
  void write(std::string& out) const;

 private:
  /// service_name, span_name, span_kind, status_code.
  using Key = std::tuple<std::string, std::string, std::string_view, std::string_view>;
  struct Series {
    double calls = 0;
    double duration_sum = 0;
    std::array<double, kBuckets.size() + 1> buckets{};  // per bucket (not cumulative); last = +Inf
  };

  std::size_t max_series_;
  mutable std::mutex mutex_;
  std::map<Key, Series> series_;
  std::uint64_t dropped_spans_ = 0;
};

}  // namespace frame_tracking::service
