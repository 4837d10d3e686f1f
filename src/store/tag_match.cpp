// SPDX-License-Identifier: Apache-2.0
// Tag filter of a trace search: does one span (with its resource and scope) carry key=value?
#include "tag_match.hpp"

#include "otlp_text.hpp"

#include "opentelemetry/proto/trace/v1/trace.pb.h"

namespace frame_tracking::store::detail {
namespace {

using opentelemetry::proto::common::v1::KeyValue;

bool attributes_have(const google::protobuf::RepeatedPtrField<KeyValue>& attributes, std::string_view key,
                     std::string_view value, bool frame_id) {
  for (const auto& kv : attributes) {
    if (kv.key() != key) continue;
    std::string text = any_value_as_string(kv.value());
    if (frame_id ? normalize_frame_id(text) == value : text == value) return true;
  }
  return false;
}

}  // namespace

bool span_has_tag(const opentelemetry::proto::trace::v1::Span& span,
                  const opentelemetry::proto::resource::v1::Resource& resource,
                  const opentelemetry::proto::common::v1::InstrumentationScope& scope, std::string_view key,
                  std::string_view value) {
  using opentelemetry::proto::trace::v1::Status;
  const auto code = span.status().code();
  if (key == "span.kind" && jaeger_span_kind(span.kind()) == value && !value.empty()) return true;
  if (key == "error" && value == (code == Status::STATUS_CODE_ERROR ? "true" : "false")) return true;
  if (key == "otel.status_code" && ((code == Status::STATUS_CODE_OK && value == "OK") ||
                                    (code == Status::STATUS_CODE_ERROR && value == "ERROR")))
    return true;
  if (key == "otel.status_description" && !value.empty() && span.status().message() == value) return true;
  if (key == "otel.scope.name" && !value.empty() && scope.name() == value) return true;
  if (key == "otel.scope.version" && !value.empty() && scope.version() == value) return true;
  if (key == "w3c.tracestate" && !value.empty() && span.trace_state() == value) return true;

  const bool frame_id = key == "frame.id";
  std::string normalized = frame_id ? normalize_frame_id(value) : std::string();
  std::string_view wanted = frame_id ? std::string_view(normalized) : value;
  if (attributes_have(span.attributes(), key, wanted, frame_id)) return true;
  if (attributes_have(scope.attributes(), key, wanted, frame_id)) return true;
  if (attributes_have(resource.attributes(), key, wanted, frame_id)) return true;
  for (const auto& event : span.events())
    if (attributes_have(event.attributes(), key, wanted, frame_id)) return true;
  for (const auto& link : span.links())
    if (attributes_have(link.attributes(), key, wanted, frame_id)) return true;
  return false;
}

}  // namespace frame_tracking::store::detail
