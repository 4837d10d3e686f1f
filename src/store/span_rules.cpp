// SPDX-License-Identifier: Apache-2.0
// The store's span acceptance rules and service-name mapping.
#include "span_rules.hpp"

#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <algorithm>
#include <string_view>

namespace frame_tracking::store::detail {

std::string service_name_of(const opentelemetry::proto::resource::v1::Resource& resource) {
  for (const auto& kv : resource.attributes())
    if (kv.key() == "service.name" && kv.value().has_string_value() && !kv.value().string_value().empty())
      return kv.value().string_value();
  return "OTLP_ResourceNoServiceName";
}

const char* span_rule_error(const opentelemetry::proto::trace::v1::Span& span) {
  auto all_zero = [](const std::string& s) { return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; }); };
  if (span.trace_id().size() != 16) return "span.traceId: must be 16 bytes";
  if (all_zero(span.trace_id())) return "span.traceId: must not be all zeros";
  if (span.span_id().size() != 8) return "span.spanId: must be 8 bytes";
  if (all_zero(span.span_id())) return "span.spanId: must not be all zeros";
  if (!span.parent_span_id().empty() && span.parent_span_id().size() != 8)
    return "span.parentSpanId: must be empty or 8 bytes";
  return nullptr;
}

}  // namespace frame_tracking::store::detail
