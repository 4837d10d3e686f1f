// SPDX-License-Identifier: Apache-2.0
// InMemorySpanExporter: keeps deep copies of exported spans, for tests (the library's and users').
#pragma once

#include "frame_tracking/span_exporter.hpp"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// The spans an InMemorySpanExporter received, shared between the exporter (owned by a
/// processor) and the test that reads them. Thread-safe.
class InMemorySpanStore {
 public:
  /// Appends deep copies of `spans`.
  void add(std::span<const SpanData* const> spans);
  /// Removes and returns every stored span, in export order.
  std::vector<std::unique_ptr<SpanData>> take();
  /// Deep copies of every stored span, in export order (the store keeps them).
  std::vector<std::unique_ptr<SpanData>> spans() const;
  std::size_t size() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<SpanData>> spans_;
};

/// Exports into an InMemorySpanStore. The copies keep `resource` and `scope` pointers into the
/// TracerProvider: read those only while it lives. After shutdown export_batch fails.
/// Thread-safe.
class InMemorySpanExporter final : public SpanExporter {
 public:
  explicit InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store = std::make_shared<InMemorySpanStore>());
  ExportResult export_batch(std::span<const SpanData* const> spans) noexcept override;
  bool shutdown(std::chrono::microseconds timeout) noexcept override;
  const std::shared_ptr<InMemorySpanStore>& store() const noexcept { return store_; }

 private:
  std::shared_ptr<InMemorySpanStore> store_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace frame_tracking
