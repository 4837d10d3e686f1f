// SPDX-License-Identifier: Apache-2.0
// ConsoleSpanExporter: writes each batch as one OTLP/JSON line (the OpenTelemetry file-exporter format).
// Spec: https://opentelemetry.io/docs/specs/otel/protocol/file-exporter/
#pragma once

#include "frame_tracking/span_exporter.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace frame_tracking {

/// Writes one compact OTLP/JSON `ExportTraceServiceRequest` per export_batch call, followed by
/// '\n', to a stdio stream (stdout by default; OTEL_TRACES_EXPORTER=console), and flushes it.
/// The encoding is append_otlp_json's. Thread-safe; a write error returns kFailure.
class ConsoleSpanExporter final : public SpanExporter {
 public:
  /// Writes to `stream` (not owned unless `owns_stream`, then closed by shutdown).
  explicit ConsoleSpanExporter(std::FILE* stream = stdout, bool owns_stream = false) noexcept;
  ~ConsoleSpanExporter() override;

  ExportResult export_batch(std::span<const SpanData* const> spans) noexcept override;
  bool force_flush(std::chrono::microseconds timeout) noexcept override;
  bool shutdown(std::chrono::microseconds timeout) noexcept override;

 private:
  std::mutex mutex_;
  std::FILE* stream_;
  bool owns_stream_;
  bool shut_down_ = false;
  std::string line_;  // reused buffer
};

}  // namespace frame_tracking
