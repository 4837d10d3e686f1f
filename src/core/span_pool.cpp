// SPDX-License-Identifier: Apache-2.0
// SpanPool: lock-free reuse of preallocated span records.
#include "span_pool.hpp"

#include <new>

namespace frame_tracking::detail {

SpanPool::SpanPool(std::size_t capacity, std::size_t heap_limit)
    : capacity_(capacity),
      heap_limit_(heap_limit),
      records_(capacity > 0 ? std::make_unique<SpanData[]>(capacity) : nullptr),
      free_(capacity > 0 ? capacity : 1) {
  for (std::size_t i = 0; i < capacity_; ++i) {
    SpanData* p = &records_[i];
    free_.try_push(p);
  }
}

SpanDataPtr SpanPool::acquire() noexcept {
  SpanData* record = nullptr;
  if (free_.try_pop(record)) return SpanDataPtr(record, SpanDataRecycler{&SpanPool::recycle, this});
  if (heap_in_use_.fetch_add(1, std::memory_order_relaxed) >= heap_limit_) {
    heap_in_use_.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  record = new (std::nothrow) SpanData;
  if (record == nullptr) {
    heap_in_use_.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  heap_fallbacks_.add();
  return SpanDataPtr(record, SpanDataRecycler{&SpanPool::recycle, this});
}

std::size_t SpanPool::in_use() const noexcept {
  return capacity_ - free_.size() + heap_in_use_.load(std::memory_order_relaxed);
}

void SpanPool::recycle(SpanData* span, void* context) noexcept {
  auto* pool = static_cast<SpanPool*>(context);
  if (pool->capacity_ > 0 && span >= &pool->records_[0] && span < &pool->records_[0] + pool->capacity_) {
    span->reset();
    pool->free_.try_push(span);  // cannot fail: the queue holds exactly the pool's records
  } else {
    delete span;
    pool->heap_in_use_.fetch_sub(1, std::memory_order_relaxed);
  }
}

void SpanPool::retire(SpanPool* pool) noexcept {
  if (pool != nullptr && pool->in_use() == 0) delete pool;
}

}  // namespace frame_tracking::detail
