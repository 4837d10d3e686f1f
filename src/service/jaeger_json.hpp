// SPDX-License-Identifier: Apache-2.0
// Rendering of stored OTLP traces in Jaeger's UI JSON model (Jaeger v2.20 query API).
#pragma once

#include "frame_tracking/store/span_store.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace frame_tracking::service {

/// Jaeger's text form of a trace id (jaeger-idl model/v1 TraceID.String): 16 hex digits when the
/// high 64 bits are zero, else 32. `bytes` is the raw 16-byte id.
std::string jaeger_trace_id(std::string_view bytes);

/// One trace in Jaeger's UI model (reference/jaeger-api.md §4): {traceID, spans, processes,
/// warnings}. Spans keep stored order; OTLP → Jaeger tag mapping as the OpenTelemetry Jaeger
/// translator does it (scope → otel.scope.*, kind → span.kind, status → otel.status_code /
/// error / otel.status_description, tracestate → w3c.tracestate, events → logs, parent →
/// CHILD_OF, links → FOLLOWS_FROM). No adjusters run (as Jaeger's raw=true). A truncated trace
/// carries a warning saying how many spans are shown.
nlohmann::ordered_json jaeger_trace(const store::StoredTrace& trace);

}  // namespace frame_tracking::service
