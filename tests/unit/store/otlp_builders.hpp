// SPDX-License-Identifier: Apache-2.0
// Test helpers that build OTLP ExportTraceServiceRequests with exact, readable values.
#pragma once

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace frame_tracking::testing {

namespace otlp_collector = opentelemetry::proto::collector::trace::v1;
namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;

/// Raw bytes from lowercase hex ("0a1b" → "\x0a\x1b").
inline std::string bytes_from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

inline void add_string_attribute(google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* attributes,
                                 std::string key, std::string value) {
  auto* kv = attributes->Add();
  kv->set_key(std::move(key));
  kv->mutable_value()->set_string_value(std::move(value));
}

/// Appends a ResourceSpans for `service` with one scope `scope_name` and returns the scope's spans.
inline otlp_trace::ScopeSpans* add_scope(otlp_collector::ExportTraceServiceRequest& request, std::string service,
                                         std::string scope_name = "test-scope") {
  auto* rs = request.add_resource_spans();
  add_string_attribute(rs->mutable_resource()->mutable_attributes(), "service.name", std::move(service));
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name(std::move(scope_name));
  return ss;
}

/// Appends a span with hex ids, name, kind and times (Unix ns).
inline otlp_trace::Span* add_span(otlp_trace::ScopeSpans* scope, std::string_view trace_hex, std::string_view span_hex,
                                  std::string_view parent_hex, std::string name, int kind, std::uint64_t start_ns,
                                  std::uint64_t end_ns) {
  auto* span = scope->add_spans();
  span->set_trace_id(bytes_from_hex(trace_hex));
  span->set_span_id(bytes_from_hex(span_hex));
  if (!parent_hex.empty()) span->set_parent_span_id(bytes_from_hex(parent_hex));
  span->set_name(std::move(name));
  span->set_kind(static_cast<otlp_trace::Span::SpanKind>(kind));
  span->set_start_time_unix_nano(start_ns);
  span->set_end_time_unix_nano(end_ns);
  return span;
}

}  // namespace frame_tracking::testing
