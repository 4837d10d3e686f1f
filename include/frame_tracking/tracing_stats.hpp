// SPDX-License-Identifier: Apache-2.0
// TracingStats: the tracing pipeline's self-metrics (spans started, exported, dropped by reason, queue fill).
#pragma once

#include <cstdint>

namespace frame_tracking {

/// A snapshot of the tracing self-metrics of one TracerProvider and its processors, all counted
/// since the provider was created (in a forked child, the BatchSpanProcessor's counters restart at
/// 0, while spans_started/ended/pool counters carry on from the parent's). Read with TracerProvider::collect()
/// at any time, from any thread; the values are read without a lock, so fields may be a few spans
/// apart from each other. Value type.
struct TracingStats {
  /// Recording spans started (sampled or record-only); unsampled spans are not counted.
  std::uint64_t spans_started = 0;
  /// Recording spans ended (handed to the processors).
  std::uint64_t spans_ended = 0;
  /// Span records taken from the heap because the preallocated pool was empty.
  std::uint64_t pool_heap_fallbacks = 0;
  /// Spans accepted by an exporter (export_batch returned kSuccess).
  std::uint64_t spans_exported = 0;
  /// export_batch calls that returned kFailure.
  std::uint64_t export_failures = 0;

  // ---- drops, by reason; every lost sampled span is counted in exactly one of these ----
  /// The batch queue was full when the span ended.
  std::uint64_t dropped_queue_full = 0;
  /// The span was in a batch the exporter failed to export.
  std::uint64_t dropped_export_failed = 0;
  /// No span record could be had (pool empty and the heap fallback bound reached).
  std::uint64_t dropped_pool_exhausted = 0;
  /// The span ended after its processor was shut down, or was still queued when shutdown timed out.
  std::uint64_t dropped_shutdown = 0;

  /// Spans waiting in batch queues now, and the queues' total capacity.
  std::uint64_t queue_size = 0;
  std::uint64_t queue_capacity = 0;

  /// The sum of all drop counters.
  constexpr std::uint64_t dropped_total() const noexcept {
    return dropped_queue_full + dropped_export_failed + dropped_pool_exhausted + dropped_shutdown;
  }
};

}  // namespace frame_tracking
