// SPDX-License-Identifier: Apache-2.0
// Journey tree: a trace's spans in tree order (children by start time) and its critical path.
#pragma once

#include "jaeger/jaeger_trace.hpp"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace frame_tracking::jaeger {

/// One span in tree order. `span` points into the Journey given (which must outlive the row).
struct TreeRow {
  const JourneySpan* span = nullptr;
  /// 0 for top-level spans.
  std::size_t depth = 0;
  /// Its CHILD_OF parent is not in the trace (or the parent chain loops); shown at the top level.
  bool orphan = false;
};

/// The spans of `journey` depth-first: top-level spans (roots and orphans) by start time, each
/// followed by its children by start time (ties by span id). Every span appears exactly once, even
/// when parent references form a loop (the first span of the loop by start is shown as an orphan).
std::vector<TreeRow> tree_rows(const Journey& journey);

/// The critical path, as span ids from the root down: start at the earliest-starting root (a
/// span without parent; when there is none, the earliest top-level row of tree_rows), then move
/// to the child that ends last (ties: the earlier start, then the smaller span id), until a span
/// without children. It is the chain of spans that determines when the journey ends: for the
/// reference pipeline, capture_frame → send → process → … → store_frame. Empty for an empty journey.
std::vector<std::string> critical_path(const Journey& journey);

}  // namespace frame_tracking::jaeger
