// SPDX-License-Identifier: Apache-2.0
// TracerProvider: owns the resource, sampler, processors, limits and ids; hands out Tracers.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#tracer-provider
#pragma once

#include "frame_tracking/id_generator.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/sampler.hpp"
#include "frame_tracking/span_limits.hpp"
#include "frame_tracking/span_processor.hpp"
#include "frame_tracking/tracer.hpp"
#include "frame_tracking/tracing_stats.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace frame_tracking {

namespace detail {
struct ProviderState;
}

/// Everything a TracerProvider is built from. Move-only.
struct TracerProviderOptions {
  /// The resource of every span; empty optional: Resource::create() (reads the environment).
  std::optional<Resource> resource;
  /// Null: ParentBased{root=AlwaysOn} (the spec default).
  std::unique_ptr<Sampler> sampler;
  /// Called in order for every recording span; with several, all but the last get a deep copy.
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  SpanLimits limits;
  /// Null: make_default_id_generator() (FrameId trace ids, fast per-thread span ids).
  std::unique_ptr<IdGenerator> id_generator;
  /// Span records preallocated (≈1.2 KiB each) so the hot path does not allocate; size it to the
  /// batch queue plus the spans open at once. Beyond it up to `span_heap_limit` records come from
  /// the heap; beyond that a sampled span is dropped (counted as dropped_pool_exhausted).
  std::size_t span_pool_size = 4096;
  std::size_t span_heap_limit = 4096;
};

/// The SDK entry point. Thread-safe. Must outlive every Tracer and Span it produced. Not
/// copyable or movable (tracers point into it).
///
/// A disabled provider (create_disabled(), or OTEL_SDK_DISABLED=true through the config) gives
/// non-recording spans that only carry their parent's context: a span then costs a few ns.
class TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  /// A no-op provider: no processors, no records, nothing exported.
  static std::unique_ptr<TracerProvider> create_disabled();
  /// Calls shutdown(5 s) unless shutdown already ran; returns by that deadline.
  ~TracerProvider();
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  /// The tracer for scope (name, version, schema_url); the same scope gives an equivalent tracer.
  /// Takes a lock (not for the hot path: keep the Tracer).
  Tracer get_tracer(std::string_view name, std::string_view version = {}, std::string_view schema_url = {});

  /// Asks every processor to export what it holds; returns false if `timeout` passed first (it
  /// always returns by then, even if an exporter hangs).
  bool force_flush(std::chrono::microseconds timeout = std::chrono::seconds(30)) noexcept;
  /// Flushes and stops every processor within `timeout` (shared); afterwards tracers give
  /// non-recording spans. Only the first call does the work; later calls return its result.
  bool shutdown(std::chrono::microseconds timeout = std::chrono::seconds(30)) noexcept;

  /// Whether spans can be recorded (false when disabled or shut down).
  bool enabled() const noexcept;
  const Resource& resource() const noexcept;
  const Sampler& sampler() const noexcept;
  const SpanLimits& limits() const noexcept;
  /// A snapshot of the self-metrics of this provider and its processors. Thread-safe, lock-free.
  TracingStats collect() const noexcept;

 private:
  struct DisabledTag {};
  explicit TracerProvider(DisabledTag);
  std::unique_ptr<detail::ProviderState> state_;
};

}  // namespace frame_tracking
