// SPDX-License-Identifier: Apache-2.0
// Tag filter of a trace search: does one span (with its resource and scope) carry key=value?
#pragma once

#include <string_view>

namespace opentelemetry::proto::trace::v1 {
class Span;
}
namespace opentelemetry::proto::resource::v1 {
class Resource;
}
namespace opentelemetry::proto::common::v1 {
class InstrumentationScope;
}

namespace frame_tracking::store::detail {

/// True when `key` has the string form `value` on this span: the derived Jaeger tags (span.kind,
/// error, otel.status_code, otel.status_description, otel.scope.name, otel.scope.version,
/// w3c.tracestate), or an attribute of the span, scope, resource, any event or any link
/// (Jaeger v2.20 memory store, reference/jaeger-api.md §5). `frame.id` values compare in
/// canonical FrameId form.
bool span_has_tag(const opentelemetry::proto::trace::v1::Span& span,
                  const opentelemetry::proto::resource::v1::Resource& resource,
                  const opentelemetry::proto::common::v1::InstrumentationScope& scope, std::string_view key,
                  std::string_view value);

}  // namespace frame_tracking::store::detail
