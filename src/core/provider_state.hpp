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
    SpanPool::retire(pool);
  }

  /// False for a disabled (no-op) provider; constant after construction.
  bool enabled = true;
  /// Set by shutdown(); start_span then returns non-recording spans.
  std::atomic<bool> shut_down{false};
  Resource resource;
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
  std::deque<InstrumentationScope> scopes;  // stable addresses for Tracer and SpanData::scope
};

}  // namespace frame_tracking::detail
