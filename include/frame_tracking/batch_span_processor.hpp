// SPDX-License-Identifier: Apache-2.0
// BatchSpanProcessor: queues ended spans lock-free and exports them in batches from one thread.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
#pragma once

#include "frame_tracking/span_exporter.hpp"
#include "frame_tracking/span_processor.hpp"

#include <chrono>
#include <cstddef>
#include <memory>

namespace frame_tracking {

namespace detail {
struct BatchState;
}

/// Batching parameters; the defaults are the spec's (OTEL_BSP_* in config.hpp).
struct BatchSpanProcessorOptions {
  /// OTEL_BSP_MAX_QUEUE_SIZE: spans held at most; when full, an ending span is dropped and counted.
  std::size_t max_queue_size = 2048;
  /// OTEL_BSP_SCHEDULE_DELAY: longest time a span waits before its batch is exported.
  std::chrono::milliseconds schedule_delay{5000};
  /// OTEL_BSP_EXPORT_TIMEOUT: bound passed to the exporter's force_flush after a flush (0 = no
  /// limit). export_batch itself cannot be cancelled: exporters bound their own I/O.
  std::chrono::milliseconds export_timeout{30000};
  /// OTEL_BSP_MAX_EXPORT_BATCH_SIZE: spans per export_batch call (clamped to max_queue_size); a
  /// full batch is exported without waiting for the delay.
  std::size_t max_export_batch_size = 512;
};

/// The production processor. on_end pushes the record into a bounded lock-free multi-producer
/// ring (one compare-and-swap; no lock, no allocation, never blocks, never waits on the
/// exporter) and wakes the export thread only when a full batch is waiting. The one export
/// thread exports batches by size or delay; export_batch is never called concurrently.
///
/// force_flush and shutdown export what is queued and always return by their timeout, even if
/// the exporter hangs: the export thread's state is shared, so a thread that misses the
/// shutdown deadline is detached (never an untimed join) and finishes harmlessly later,
/// dropping (and counting) what it could not export in time.
///
/// Fork: after fork() the child's first use of the processor starts a new export thread with an
/// empty queue and zeroed counters; the parent's queued spans stay the parent's to export.
/// Thread-safe. Unsampled (record-only) spans are ignored.
class BatchSpanProcessor final : public SpanProcessor {
 public:
  explicit BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options = {});
  /// shutdown(5 s) unless already shut down.
  ~BatchSpanProcessor() override;

  void on_start(SpanData& span, const SpanContext& parent) noexcept override;
  void on_end(SpanDataPtr span) noexcept override;
  bool force_flush(std::chrono::microseconds timeout) noexcept override;
  bool shutdown(std::chrono::microseconds timeout) noexcept override;
  void collect(TracingStats& stats) const noexcept override;

  /// The options in effect (after clamping).
  const BatchSpanProcessorOptions& options() const noexcept;

 private:
  std::shared_ptr<detail::BatchState> state_;
};

}  // namespace frame_tracking
