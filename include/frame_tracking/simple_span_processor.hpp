// SPDX-License-Identifier: Apache-2.0
// SimpleSpanProcessor: exports each span synchronously, on the thread that ends it.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#simple-processor
#pragma once

#include "frame_tracking/span_exporter.hpp"
#include "frame_tracking/span_processor.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace frame_tracking {

/// Passes every sampled span to the exporter as soon as it ends, one span per export_batch call,
/// serialised by a mutex (so on_end blocks for the export: for tests, debugging and the console
/// exporter, not for production volume — use BatchSpanProcessor there). Unsampled (record-only)
/// spans are not exported. Thread-safe.
class SimpleSpanProcessor final : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter);

  void on_start(SpanData& span, const SpanContext& parent) noexcept override;
  void on_end(SpanDataPtr span) noexcept override;
  bool force_flush(std::chrono::microseconds timeout) noexcept override;
  bool shutdown(std::chrono::microseconds timeout) noexcept override;
  void collect(TracingStats& stats) const noexcept override;

 private:
  std::unique_ptr<SpanExporter> exporter_;
  std::mutex export_mutex_;
  std::atomic<bool> shut_down_{false};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> dropped_shutdown_{0};
};

}  // namespace frame_tracking
