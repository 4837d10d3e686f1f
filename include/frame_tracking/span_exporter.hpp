// SPDX-License-Identifier: Apache-2.0
// SpanExporter: the interface through which finished spans leave the process.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-exporter
#pragma once

#include "frame_tracking/span_data.hpp"

#include <chrono>
#include <span>

namespace frame_tracking {

/// Outcome of one export call.
enum class ExportResult {
  kSuccess,  ///< every span was accepted (or partially, with the rejection counted by the exporter)
  kFailure,  ///< the batch is lost; the caller counts its spans as dropped
};

/// Sends batches of finished spans somewhere. `export_batch` is never called concurrently with
/// itself (the processor serialises calls); `force_flush` and `shutdown` may be called from any
/// thread and must return by their timeout. Non-copyable. All methods are noexcept.
class SpanExporter {
 public:
  SpanExporter() = default;
  SpanExporter(const SpanExporter&) = delete;
  SpanExporter& operator=(const SpanExporter&) = delete;
  virtual ~SpanExporter() = default;

  /// Exports `spans`. The records stay owned by the caller and are valid only during the call.
  virtual ExportResult export_batch(std::span<const SpanData* const> spans) noexcept = 0;
  /// Pushes out anything the exporter buffers. Returns false on timeout or failure.
  virtual bool force_flush(std::chrono::microseconds timeout) noexcept {
    (void)timeout;
    return true;
  }
  /// Releases resources; later export_batch calls return kFailure. Returns false on timeout.
  virtual bool shutdown(std::chrono::microseconds timeout) noexcept = 0;
};

}  // namespace frame_tracking
