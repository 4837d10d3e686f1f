// SPDX-License-Identifier: Apache-2.0
// SimpleSpanProcessor: synchronous, serialised export of each ended span.
#include "frame_tracking/simple_span_processor.hpp"

namespace frame_tracking {

SimpleSpanProcessor::SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter) : exporter_(std::move(exporter)) {}

void SimpleSpanProcessor::on_start(SpanData&, const SpanContext&) noexcept {}

void SimpleSpanProcessor::on_end(SpanDataPtr span) noexcept {
  if (!span || !span->context.is_sampled()) return;
  if (shut_down_.load(std::memory_order_acquire) || !exporter_) {
    dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const SpanData* batch[1] = {span.get()};
  ExportResult result;
  {
    std::lock_guard lock(export_mutex_);
    result = exporter_->export_batch(batch);
  }
  if (result == ExportResult::kSuccess) {
    exported_.fetch_add(1, std::memory_order_relaxed);
  } else {
    failures_.fetch_add(1, std::memory_order_relaxed);
  }
}

bool SimpleSpanProcessor::force_flush(std::chrono::microseconds timeout) noexcept {
  return exporter_ ? exporter_->force_flush(timeout) : true;
}

bool SimpleSpanProcessor::shutdown(std::chrono::microseconds timeout) noexcept {
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return true;
  return exporter_ ? exporter_->shutdown(timeout) : true;
}

void SimpleSpanProcessor::collect(TracingStats& stats) const noexcept {
  stats.spans_exported += exported_.load(std::memory_order_relaxed);
  std::uint64_t failures = failures_.load(std::memory_order_relaxed);
  stats.export_failures += failures;
  stats.dropped_export_failed += failures;
  stats.dropped_shutdown += dropped_shutdown_.load(std::memory_order_relaxed);
}

}  // namespace frame_tracking
