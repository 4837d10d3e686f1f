// SPDX-License-Identifier: Apache-2.0
// The calling thread's current Context: a thread-local stack with RAII Scope activation.
// Spec: https://opentelemetry.io/docs/specs/otel/context/#optional-global-operations
#pragma once

#include "frame_tracking/context.hpp"
#include "frame_tracking/span.hpp"

#include <cstddef>

namespace frame_tracking {

/// The innermost active Context of the calling thread (an empty Context when no Scope is active).
/// The reference stays valid until the thread's next Scope change. A convenience for code on one
/// thread: frames hopping between threads carry their Context explicitly (StartSpanOptions::parent).
const Context& current_context() noexcept;

/// Makes a Context current on the calling thread for its lifetime (pushes it on the thread's
/// stack; the destructor pops it and everything pushed above it). Not copyable or movable;
/// must be destroyed on the thread that created it. noexcept: if the push cannot allocate, the
/// Scope is inactive and the current context does not change.
class Scope {
 public:
  explicit Scope(Context context) noexcept;
  /// Makes `span`'s context current, keeping the current baggage.
  explicit Scope(const Span& span) noexcept;
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::size_t depth_;  // stack size before the push; SIZE_MAX when inactive
};

}  // namespace frame_tracking
