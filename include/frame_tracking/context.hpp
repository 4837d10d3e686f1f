// SPDX-License-Identifier: Apache-2.0
// Context: the propagated state of one unit of work (its span context and baggage).
// Spec: https://opentelemetry.io/docs/specs/otel/context/
#pragma once

#include "frame_tracking/baggage.hpp"
#include "frame_tracking/trace_context.hpp"

namespace frame_tracking {

/// What propagators read from and write to carriers, and what travels with a frame between
/// threads and processes: the current span's context (invalid when there is none) and the
/// baggage. Immutable by convention (pass by value, return a modified copy). Value type;
/// thread-compatible.
struct Context {
  SpanContext span_context;
  Baggage baggage;
  bool operator==(const Context&) const = default;
};

}  // namespace frame_tracking
