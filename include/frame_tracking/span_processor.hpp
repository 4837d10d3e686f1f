// SPDX-License-Identifier: Apache-2.0
// SpanProcessor: hooks for span start and end; SimpleSpanProcessor and BatchSpanProcessor implement it.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-processor
#pragma once

#include "frame_tracking/span_data.hpp"
#include "frame_tracking/tracing_stats.hpp"

#include <chrono>

namespace frame_tracking {

/// Receives every sampled span at start and end. `on_start`/`on_end` run on the application's
/// thread and must not block; implementations are thread-safe. Non-copyable. All methods noexcept.
class SpanProcessor {
 public:
  SpanProcessor() = default;
  SpanProcessor(const SpanProcessor&) = delete;
  SpanProcessor& operator=(const SpanProcessor&) = delete;
  virtual ~SpanProcessor() = default;

  /// Called when a sampled span starts; `span` may be enriched (e.g. extra attributes).
  virtual void on_start(SpanData& span, const SpanContext& parent) noexcept = 0;
  /// Called when a sampled span ends; takes ownership of the finished record.
  virtual void on_end(SpanDataPtr span) noexcept = 0;
  /// Exports everything received so far; returns false if `timeout` passed first.
  virtual bool force_flush(std::chrono::microseconds timeout) noexcept = 0;
  /// Flushes, then stops; returns false if `timeout` passed first. Always returns by the timeout.
  virtual bool shutdown(std::chrono::microseconds timeout) noexcept = 0;
  /// Adds this processor's counters (exported, dropped by reason, queue fill) to `stats`.
  /// Thread-safe, lock-free; the default adds nothing.
  virtual void collect(TracingStats& stats) const noexcept { (void)stats; }
};

}  // namespace frame_tracking
