// SPDX-License-Identifier: Apache-2.0
// InMemorySpanExporter and its shared store of deep-copied spans.
#include "frame_tracking/in_memory_span_exporter.hpp"

#include <utility>

namespace frame_tracking {

void InMemorySpanStore::add(std::span<const SpanData* const> spans) {
  std::vector<std::unique_ptr<SpanData>> copies;
  copies.reserve(spans.size());
  for (const SpanData* s : spans) copies.push_back(std::make_unique<SpanData>(*s));
  std::lock_guard lock(mutex_);
  for (auto& c : copies) spans_.push_back(std::move(c));
}

std::vector<std::unique_ptr<SpanData>> InMemorySpanStore::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(spans_, {});
}

std::vector<std::unique_ptr<SpanData>> InMemorySpanStore::spans() const {
  std::lock_guard lock(mutex_);
  std::vector<std::unique_ptr<SpanData>> out;
  out.reserve(spans_.size());
  for (const auto& s : spans_) out.push_back(std::make_unique<SpanData>(*s));
  return out;
}

std::size_t InMemorySpanStore::size() const {
  std::lock_guard lock(mutex_);
  return spans_.size();
}

void InMemorySpanStore::clear() {
  std::lock_guard lock(mutex_);
  spans_.clear();
}

InMemorySpanExporter::InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store) : store_(std::move(store)) {}

ExportResult InMemorySpanExporter::export_batch(std::span<const SpanData* const> spans) noexcept {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  try {
    store_->add(spans);
  } catch (...) {
    return ExportResult::kFailure;
  }
  return ExportResult::kSuccess;
}

bool InMemorySpanExporter::shutdown(std::chrono::microseconds) noexcept {
  shut_down_.store(true, std::memory_order_release);
  return true;
}

}  // namespace frame_tracking
