// SPDX-License-Identifier: Apache-2.0
// OtlpHttpExporter: a SpanExporter that POSTs OTLP ExportTraceServiceRequests over HTTP with libcurl.
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#otlphttp
#pragma once

#include "frame_tracking/otlp/otlp_http_exporter_options.hpp"
#include "frame_tracking/span_exporter.hpp"

#include <cstdint>
#include <memory>

namespace frame_tracking::otlp {

/// Counters of one exporter since it was created. Value type (a snapshot).
struct OtlpExporterStats {
  /// Spans the collector accepted (a batch's spans minus its partial_success.rejected_spans).
  std::uint64_t exported_spans = 0;
  /// Spans the collector rejected through partial_success.rejected_spans (counted, not retried).
  std::uint64_t rejected_spans = 0;
  /// export_batch calls that returned kFailure, and the spans in them.
  std::uint64_t failed_batches = 0;
  std::uint64_t failed_spans = 0;
  /// Requests re-sent after a transient failure (429/502/503/504 or a connection error).
  std::uint64_t retries = 0;
  /// HTTP requests started, and the request body bytes sent (after compression).
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
};

/// Exports span batches to an OTLP/HTTP endpoint (a Collector, Jaeger ≥ 1.35, Tempo, or
/// `frame-tracking serve`). One libcurl handle is kept for the exporter's life, so the TCP
/// connection is reused (keep-alive).
/// Retries follow the OTLP spec: 429, 502, 503, 504 and connection failures are retried with
/// exponential back-off and jitter, honouring `Retry-After` (delay-seconds or HTTP-date), while
/// the whole call stays within `options.timeout`; every other status is a permanent failure.
/// A 200 with `partial_success.rejected_spans` > 0 counts the rejected spans, logs the collector's
/// message once per exporter, and is a success (an empty partial_success is plain success).
/// Failures are logged when exports start failing and when they recover, not for every batch.
/// Thread safety: export_batch must not be called concurrently with itself (the batch processor's
/// export thread calls it); force_flush, shutdown and stats may be called from any thread.
/// shutdown aborts a request in flight and a back-off wait at once, so it returns within its
/// timeout even when the collector never answers.
class OtlpHttpExporter final : public SpanExporter {
 public:
  /// Errors: never throws; an endpoint libcurl cannot use makes every export fail (counted, logged).
  explicit OtlpHttpExporter(OtlpHttpExporterOptions options = OtlpHttpExporterOptions::from_env());
  ~OtlpHttpExporter() override;

  ExportResult export_batch(std::span<const SpanData* const> spans) noexcept override;
  /// Nothing is buffered between calls: returns true.
  bool force_flush(std::chrono::microseconds timeout) noexcept override;
  /// Stops: a request in flight is aborted, later export_batch calls fail (counted). Returns false
  /// when an export_batch call was still running at `timeout`.
  bool shutdown(std::chrono::microseconds timeout) noexcept override;

  /// A snapshot of the counters. Thread-safe, lock-free.
  OtlpExporterStats stats() const noexcept;
  const OtlpHttpExporterOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::otlp
