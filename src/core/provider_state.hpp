// SPDX-License-Identifier: Apache-2.0
// ProviderState: what a TracerProvider shares with its Tracers and Spans (private to core).
#pragma once

#include "span_pool.hpp"
#include "striped_counter.hpp"

#include "frame_tracking/id_generator.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/sampler.hpp"
#include "frame_tracking/span_limits.hpp"
#include "frame_tracking/span_processor.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace frame_tracking::detail {

/// Owned by the TracerProvider; Tracers and Spans hold a raw pointer (the provider outlives them).
struct ProviderState {
  ProviderState() = default;
  ProviderState(const ProviderState&) = delete;
  ProviderState& operator=(const ProviderState&) = delete;
  ~ProviderState() {
    processors.clear();  // returns their queued records to the pool first
    // Records still out (held by an export thread detached at a shutdown timeout) point at the
    // resource and scopes: then those stay allocated, like the pool, for as long as the process.
    const bool records_out = pool != nullptr && pool->in_use() > 0;
    SpanPool::retire(pool);
    if (records_out) {
      static_cast<void>(resource.release());
      static_cast<void>(scopes.release());
    }
  }

  /// False for a disabled (no-op) provider; constant after construction.
  bool enabled = true;
  /// Set by shutdown(); start_span then returns non-recording spans.
  std::atomic<bool> shut_down{false};
  /// Heap-allocated so records can outlive the state (see the destructor). Never null.
  std::unique_ptr<Resource> resource = std::make_unique<Resource>();
  SpanLimits limits;
  std::unique_ptr<Sampler> sampler;
  std::unique_ptr<IdGenerator> id_generator;
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  /// Retired (not deleted) with the state: a detached export thread may still hold records.
  SpanPool* pool = nullptr;

  StripedCounter spans_started;
  StripedCounter spans_ended;
  StripedCounter dropped_pool_exhausted;

  std::mutex shutdown_mutex;
  bool shutdown_done = false;
  bool shutdown_result = true;

  std::mutex scopes_mutex;
  /// Stable addresses for Tracer and SpanData::scope; heap-allocated like `resource`. Never null.
  std::unique_ptr<std::deque<InstrumentationScope>> scopes = std::make_unique<std::deque<InstrumentationScope>>();
};

}  // namespace frame_tracking::detail
