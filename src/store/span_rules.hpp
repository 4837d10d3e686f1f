// SPDX-License-Identifier: Apache-2.0
// Private: which OTLP spans the store accepts and under which service name, shared by the store and the span metrics.
#pragma once

#include <string>

namespace opentelemetry::proto::resource::v1 {
class Resource;
}
namespace opentelemetry::proto::trace::v1 {
class Span;
}

namespace frame_tracking::store::detail {

/// The resource's non-empty string `service.name`, else "OTLP_ResourceNoServiceName" (what
/// Jaeger's OTLP translator uses).
std::string service_name_of(const opentelemetry::proto::resource::v1::Resource& resource);

/// Why a span cannot be stored (a static message naming the field and the rule), or nullptr
/// when it can: 16-byte non-zero trace id, 8-byte non-zero span id, parent empty or 8 bytes.
const char* span_rule_error(const opentelemetry::proto::trace::v1::Span& span);

}  // namespace frame_tracking::store::detail
