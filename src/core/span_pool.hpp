// SPDX-License-Identifier: Apache-2.0
// SpanPool: preallocated span records handed out lock-free, with a bounded heap fallback (private to core).
#pragma once

#include "bounded_queue.hpp"
#include "striped_counter.hpp"

#include "frame_tracking/span_data.hpp"

#include <atomic>
#include <cstddef>
#include <memory>

namespace frame_tracking::detail {

/// `capacity` SpanData records allocated once; acquire() pops a free one (lock-free, no
/// allocation), and the SpanDataPtr's recycler resets it and pushes it back when the record's
/// last owner (usually the export thread) lets go. When the pool is empty, up to `heap_limit`
/// further records come from the heap (counted); beyond that acquire() returns null.
/// Thread-safe. Must outlive every record it handed out: see retire().
class SpanPool {
 public:
  SpanPool(std::size_t capacity, std::size_t heap_limit);
  SpanPool(const SpanPool&) = delete;
  SpanPool& operator=(const SpanPool&) = delete;

  /// A cleared record, or null when both the pool and the heap allowance are used up.
  SpanDataPtr acquire() noexcept;

  /// Records taken from the heap so far.
  std::uint64_t heap_fallbacks() const noexcept { return heap_fallbacks_.load(); }
  /// Records currently out of the pool or heap allowance.
  std::size_t in_use() const noexcept;

  /// Called by the owner instead of delete: frees the pool now if every record is home, else
  /// leaves it allocated (a detached export thread may still hold records; they stay valid).
  static void retire(SpanPool* pool) noexcept;

 private:
  ~SpanPool() = default;
  static void recycle(SpanData* span, void* context) noexcept;

  std::size_t capacity_;
  std::size_t heap_limit_;
  std::unique_ptr<SpanData[]> records_;
  BoundedQueue<SpanData*> free_;
  std::atomic<std::size_t> heap_in_use_{0};
  StripedCounter heap_fallbacks_;
};

}  // namespace frame_tracking::detail
