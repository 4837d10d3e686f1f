// SPDX-License-Identifier: Apache-2.0
// BoundedQueue: a fixed-capacity lock-free multi-producer multi-consumer queue (private to core).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>

namespace frame_tracking::detail {

/// Fixed-capacity queue after D. Vyukov's bounded MPMC design: every cell carries a sequence
/// number, so producers and consumers each claim a position with one compare-and-swap and never
/// wait for each other's locks. Any capacity ≥ 1 (exact, not rounded). No allocation after
/// construction. try_push/try_pop are lock-free and noexcept (T's move must be noexcept).
/// A producer interrupted between claiming and publishing a cell makes consumers see the queue as
/// empty at that cell until it publishes (relevant only across fork()).
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity)
      : capacity_(capacity == 0 ? 1 : capacity),
        power_of_two_((capacity_ & (capacity_ - 1)) == 0),
        cells_(std::make_unique<Cell[]>(capacity_)) {
    for (std::size_t i = 0; i < capacity_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  /// Moves `value` in; returns false (leaving `value` untouched) when the queue is full.
  bool try_push(T& value) noexcept {
    std::size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    Cell* cell;
    for (;;) {
      cell = &cells_[index(pos)];
      std::size_t seq = cell->sequence.load(std::memory_order_acquire);
      auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos);
      if (diff == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (diff < 0) {
        return false;
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
    cell->value = std::move(value);
    cell->sequence.store(pos + 1, std::memory_order_release);
    return true;
  }

  /// Moves the oldest element into `out`; returns false when the queue is empty.
  bool try_pop(T& out) noexcept {
    std::size_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    Cell* cell;
    for (;;) {
      cell = &cells_[index(pos)];
      std::size_t seq = cell->sequence.load(std::memory_order_acquire);
      auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos + 1);
      if (diff == 0) {
        if (dequeue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (diff < 0) {
        return false;
      } else {
        pos = dequeue_pos_.load(std::memory_order_relaxed);
      }
    }
    out = std::move(cell->value);
    cell->sequence.store(pos + capacity_, std::memory_order_release);
    return true;
  }

  /// Elements in the queue now (approximate while producers or consumers run).
  std::size_t size() const noexcept {
    std::size_t in = enqueue_pos_.load(std::memory_order_relaxed);
    std::size_t out = dequeue_pos_.load(std::memory_order_relaxed);
    return in > out ? in - out : 0;
  }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Cell {
    std::atomic<std::size_t> sequence{0};
    T value{};
  };
  std::size_t index(std::size_t pos) const noexcept {
    return power_of_two_ ? pos & (capacity_ - 1) : pos % capacity_;
  }

  const std::size_t capacity_;
  const bool power_of_two_;  // index by mask instead of division
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<std::size_t> enqueue_pos_{0};
  alignas(64) std::atomic<std::size_t> dequeue_pos_{0};
};

}  // namespace frame_tracking::detail
