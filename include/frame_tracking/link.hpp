// SPDX-License-Identifier: Apache-2.0
// Link: a reference from a span to another span's context (e.g. the N frames of a batch).
// Spec: https://opentelemetry.io/docs/specs/otel/trace/api/#link
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/trace_context.hpp"

#include <span>

namespace frame_tracking {

/// A link given when starting a span (or added later): the linked context and attributes.
/// Non-owning: `context` and `attributes` must outlive the call they are passed to (the span
/// copies them). Value type.
struct Link {
  const SpanContext* context = nullptr;
  std::span<const AttributeView> attributes{};
};

}  // namespace frame_tracking
