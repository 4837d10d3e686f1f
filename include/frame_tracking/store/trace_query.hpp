// SPDX-License-Identifier: Apache-2.0
// TraceQuery: the criteria of a trace search in the span store (Jaeger's search parameters, in ns).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace frame_tracking::store {

/// What a trace search asks for. A trace matches when ONE of its spans satisfies every set
/// criterion (Jaeger v2.20 memory-store semantics, reference/jaeger-api.md §5).
/// Value type; thread-compatible.
struct TraceQuery {
  /// Exact `service.name` of the span's resource; empty = any service (beyond Jaeger).
  std::string service{};
  /// Exact span name; empty = any.
  std::string operation{};
  /// key → value, compared as strings with the value's string form. Keys are looked up in span
  /// attributes, then scope, resource, event and link attributes; the derived Jaeger tags
  /// `span.kind`, `error`, `otel.status_code`, `otel.status_description`, `otel.scope.name`,
  /// `otel.scope.version` and `w3c.tracestate` match too. `frame.id` uses its own index and
  /// accepts a FrameId in either text form.
  std::vector<std::pair<std::string, std::string>> tags{};
  /// Span start window, Unix ns, inclusive. Unset = unbounded.
  std::optional<std::int64_t> start_min_ns{};
  std::optional<std::int64_t> start_max_ns{};
  /// Span duration bounds, ns, inclusive. Unset = unbounded.
  std::optional<std::int64_t> duration_min_ns{};
  std::optional<std::int64_t> duration_max_ns{};
  /// Maximum number of traces returned (newest span start first). Must be ≥ 1.
  std::size_t limit = 100;
};

}  // namespace frame_tracking::store
