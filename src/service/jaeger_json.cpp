// SPDX-License-Identifier: Apache-2.0
// Rendering of stored OTLP traces in Jaeger's UI JSON model.
#include "jaeger_json.hpp"

#include "otlp_text.hpp"

#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <vector>

namespace frame_tracking::service {
namespace {

namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;
using ordered_json = nlohmann::ordered_json;

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

ordered_json tag(std::string_view key, std::string_view type, ordered_json value) {
  ordered_json kv;
  kv["key"] = key;
  kv["type"] = type;
  kv["value"] = std::move(value);
  return kv;
}

ordered_json attribute_tag(const otlp_common::KeyValue& kv) {
  const auto& v = kv.value();
  switch (v.value_case()) {
    case otlp_common::AnyValue::kBoolValue: return tag(kv.key(), "bool", v.bool_value());
    case otlp_common::AnyValue::kIntValue: {
      // Jaeger writes int64 beyond ±(2^53 − 1) as a JSON string so JavaScript keeps every digit.
      std::int64_t i = v.int_value();
      if (i > kMaxSafeInteger || i < -kMaxSafeInteger) return tag(kv.key(), "int64", std::to_string(i));
      return tag(kv.key(), "int64", i);
    }
    case otlp_common::AnyValue::kDoubleValue: return tag(kv.key(), "float64", v.double_value());
    case otlp_common::AnyValue::kBytesValue:
      return tag(kv.key(), "binary", store::detail::base64_encode(v.bytes_value()));
    default: return tag(kv.key(), "string", store::detail::any_value_as_string(v));
  }
}

void append_attributes(ordered_json& out, const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attributes) {
  for (const auto& kv : attributes) out.push_back(attribute_tag(kv));
}

ordered_json reference(std::string_view type, const std::string& trace_id, const std::string& span_id) {
  ordered_json ref;
  ref["refType"] = type;
  ref["traceID"] = jaeger_trace_id(trace_id);
  ref["spanID"] = store::detail::hex_encode(span_id);
  return ref;
}

ordered_json span_json(const otlp_trace::Span& span, const otlp_common::InstrumentationScope& scope,
                       const std::string& process_id) {
  ordered_json out;
  out["traceID"] = jaeger_trace_id(span.trace_id());
  out["spanID"] = store::detail::hex_encode(span.span_id());
  if (std::uint32_t flags = span.flags() & 0xFFU; flags != 0) out["flags"] = flags;
  out["operationName"] = span.name();
  auto references = ordered_json::array();
  if (!span.parent_span_id().empty()) references.push_back(reference("CHILD_OF", span.trace_id(), span.parent_span_id()));
  for (const auto& link : span.links()) references.push_back(reference("FOLLOWS_FROM", link.trace_id(), link.span_id()));
  out["references"] = std::move(references);
  std::uint64_t start = span.start_time_unix_nano();
  std::uint64_t end = std::max(start, span.end_time_unix_nano());
  out["startTime"] = start / 1000;
  out["duration"] = (end - start) / 1000;

  auto tags = ordered_json::array();
  if (!scope.name().empty()) tags.push_back(tag("otel.scope.name", "string", scope.name()));
  if (!scope.version().empty()) tags.push_back(tag("otel.scope.version", "string", scope.version()));
  append_attributes(tags, span.attributes());
  if (auto kind = store::detail::jaeger_span_kind(span.kind()); !kind.empty()) tags.push_back(tag("span.kind", "string", kind));
  switch (span.status().code()) {
    case otlp_trace::Status::STATUS_CODE_OK: tags.push_back(tag("otel.status_code", "string", "OK")); break;
    case otlp_trace::Status::STATUS_CODE_ERROR:
      tags.push_back(tag("otel.status_code", "string", "ERROR"));
      tags.push_back(tag("error", "bool", true));
      break;
    default: break;
  }
  if (!span.status().message().empty())
    tags.push_back(tag("otel.status_description", "string", span.status().message()));
  if (!span.trace_state().empty()) tags.push_back(tag("w3c.tracestate", "string", span.trace_state()));
  out["tags"] = std::move(tags);

  auto logs = ordered_json::array();
  for (const auto& event : span.events()) {
    ordered_json log;
    log["timestamp"] = event.time_unix_nano() / 1000;
    auto fields = ordered_json::array();
    bool has_event_attribute = false;
    for (const auto& kv : event.attributes()) has_event_attribute = has_event_attribute || kv.key() == "event";
    if (!event.name().empty() && !has_event_attribute) fields.push_back(tag("event", "string", event.name()));
    append_attributes(fields, event.attributes());
    log["fields"] = std::move(fields);
    logs.push_back(std::move(log));
  }
  out["logs"] = std::move(logs);
  out["processID"] = process_id;
  out["warnings"] = nullptr;
  return out;
}

}  // namespace

std::string jaeger_trace_id(std::string_view bytes) {
  std::string hex = store::detail::hex_encode(bytes);
  if (hex.size() == 32 && hex.compare(0, 16, "0000000000000000") == 0) return hex.substr(16);
  return hex;
}

ordered_json jaeger_trace(const store::StoredTrace& trace) {
  std::string id_bytes(reinterpret_cast<const char*>(trace.trace_id.bytes().data()), TraceId::kSize);
  ordered_json out;
  out["traceID"] = jaeger_trace_id(id_bytes);
  auto spans = ordered_json::array();
  std::vector<ordered_json> processes;  // index i is process "p<i+1>"
  for (const auto& rs : trace.data->resource_spans()) {
    ordered_json process;
    std::string service_name;
    auto process_tags = ordered_json::array();
    for (const auto& kv : rs.resource().attributes()) {
      if (kv.key() == "service.name" && kv.value().has_string_value()) service_name = kv.value().string_value();
      else process_tags.push_back(attribute_tag(kv));
    }
    process["serviceName"] = service_name.empty() ? "OTLP_ResourceNoServiceName" : service_name;
    process["tags"] = std::move(process_tags);
    std::size_t index = 0;
    while (index < processes.size() && processes[index] != process) ++index;
    if (index == processes.size()) processes.push_back(std::move(process));
    std::string process_id = "p" + std::to_string(index + 1);
    for (const auto& ss : rs.scope_spans())
      for (const auto& span : ss.spans()) spans.push_back(span_json(span, ss.scope(), process_id));
  }
  out["spans"] = std::move(spans);
  ordered_json process_map = ordered_json::object();
  for (std::size_t i = 0; i < processes.size(); ++i) process_map["p" + std::to_string(i + 1)] = std::move(processes[i]);
  out["processes"] = std::move(process_map);
  if (trace.truncated) {
    out["warnings"] = ordered_json::array(
        {"trace truncated: showing the first " + std::to_string(trace.span_count) +
         " spans; the store holds more (raise --max-trace-spans to see all)"});
  } else {
    out["warnings"] = nullptr;
  }
  return out;
}

}  // namespace frame_tracking::service
