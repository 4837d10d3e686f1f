// SPDX-License-Identifier: Apache-2.0
// Tracer: starts spans for one instrumentation scope.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/api/#tracer
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/context.hpp"
#include "frame_tracking/link.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/span.hpp"
#include "frame_tracking/span_data.hpp"
#include "frame_tracking/trace_context.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace frame_tracking {

/// How to start a span. Aggregate: use designated initializers, e.g.
/// `tracer.start_span("decode_frame", {.kind = SpanKind::kInternal, .attributes = attrs})`.
/// Non-owning: everything pointed to must stay valid during start_span only (it is copied).
struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  /// Explicit parent (e.g. a frame's context carried by hand); its span_context decides. An
  /// invalid span_context starts a new trace. Null: the calling thread's current_context().
  const Context* parent = nullptr;
  /// Start a new trace, ignoring the current context (used when `parent` is null).
  bool new_root = false;
  /// Trace id for a new trace (e.g. a FrameId's trace id); ignored when there is a valid parent.
  /// Default: the provider's IdGenerator (a fresh FrameId).
  std::optional<TraceId> trace_id{};
  std::span<const AttributeView> attributes{};
  std::span<const Link> links{};
  /// Start time, Unix ns; 0 = now (and the duration then comes from the monotonic clock).
  std::uint64_t start_time_unix_ns = 0;
};

/// Starts spans attributed to one instrumentation scope. A cheap value (two pointers) handed
/// out by TracerProvider::get_tracer, valid while that provider lives; a default-constructed
/// Tracer is a no-op. Thread-safe.
class Tracer {
 public:
  Tracer() noexcept = default;

  /// Starts a span: picks the parent (options.parent, else the current context unless new_root),
  /// the trace id (the parent's, else options.trace_id, else a new one), a new span id, asks the
  /// sampler, and, when recording, fills a pooled record and calls the processors' on_start.
  /// Trace flags: sampled per the sampler; `random` inherited from the parent, or set for a new
  /// trace whose id is a FrameId (random rightmost 7 bytes). Never blocks; noexcept; no heap
  /// allocation on the recording path (short strings, ≤ 8 attributes) nor the non-recording one.
  Span start_span(std::string_view name, const StartSpanOptions& options = {}) const noexcept;

  /// The scope this tracer records (null for a no-op tracer).
  const InstrumentationScope* scope() const noexcept { return scope_; }
  /// False when start_span can only return non-recording spans (SDK disabled, no provider).
  bool enabled() const noexcept;

 private:
  friend class TracerProvider;
  Tracer(detail::ProviderState* state, const InstrumentationScope* scope) noexcept : state_(state), scope_(scope) {}
  detail::ProviderState* state_ = nullptr;
  const InstrumentationScope* scope_ = nullptr;
};

}  // namespace frame_tracking
