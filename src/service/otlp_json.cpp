// SPDX-License-Identifier: Apache-2.0
// Decoder of OTLP/JSON trace requests, mapped field by field onto the generated protobuf classes.
#include "otlp_json.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace frame_tracking::service {
namespace {

namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;
using nlohmann::json;

/// Thrown inside the decoder only; parse_otlp_json turns it into an Error.
struct FieldError {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& rule) { throw FieldError{path + ": " + rule}; }

const json* member(const json& object, const char* camel, const char* snake) {
  if (auto it = object.find(camel); it != object.end() && !it->is_null()) return &*it;
  if (auto it = object.find(snake); it != object.end() && !it->is_null()) return &*it;
  return nullptr;
}

const json& expect_object(const json& value, const std::string& path) {
  if (!value.is_object()) fail(path, "must be an object");
  return value;
}

const json& expect_array(const json& value, const std::string& path) {
  if (!value.is_array()) fail(path, "must be an array");
  return value;
}

std::string as_string(const json& value, const std::string& path) {
  if (!value.is_string()) fail(path, "must be a string");
  return value.get<std::string>();
}

template <typename T>
T parse_integer(const json& value, const std::string& path) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      auto v = value.get<std::uint64_t>();
      if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) fail(path, "integer out of range");
      return static_cast<T>(v);
    }
    auto v = value.get<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (v < 0) fail(path, "must not be negative");
    } else {
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) fail(path, "integer out of range");
    }
    return static_cast<T>(v);
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
      fail(path, "must be a decimal integer (number or string)");
    return v;
  }
  fail(path, "must be an integer (number or decimal string)");
}

std::string hex_bytes(const json& value, const std::string& path) {
  std::string text = as_string(value, path);
  if (text.size() % 2 != 0) fail(path, "not a hex string (odd length)");
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, v, 16);
    if (ec != std::errc{} || end != text.data() + i + 2) fail(path, "not a hex string");
    out += static_cast<char>(v);
  }
  return out;
}

std::string base64_bytes(const json& value, const std::string& path) {
  std::string text = as_string(value, path);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    else fail(path, "not base64");
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

template <typename Enum>
Enum parse_enum(const json& value, const std::string& path, std::initializer_list<const char*> names) {
  if (value.is_string()) {
    int i = 0;
    for (const char* name : names) {
      if (value.get_ref<const std::string&>() == name) return static_cast<Enum>(i);
      ++i;
    }
  }
  auto v = parse_integer<std::int32_t>(value, path);
  if (v < 0 || v >= static_cast<std::int32_t>(names.size())) fail(path, "unknown enum value " + std::to_string(v));
  return static_cast<Enum>(v);
}

void parse_key_values(const json& array, const std::string& path,
                      google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* out, int depth);

void parse_any_value(const json& object, const std::string& path, otlp_common::AnyValue* out, int depth) {
  if (depth > static_cast<int>(kMaxJsonDepth)) fail(path, "values nested too deeply");
  expect_object(object, path);
  if (const json* v = member(object, "stringValue", "string_value")) {
    out->set_string_value(as_string(*v, path + ".stringValue"));
  } else if (const json* v = member(object, "boolValue", "bool_value")) {
    if (!v->is_boolean()) fail(path + ".boolValue", "must be true or false");
    out->set_bool_value(v->get<bool>());
  } else if (const json* v = member(object, "intValue", "int_value")) {
    out->set_int_value(parse_integer<std::int64_t>(*v, path + ".intValue"));
  } else if (const json* v = member(object, "doubleValue", "double_value")) {
    if (v->is_number()) out->set_double_value(v->get<double>());
    else if (v->is_string() && *v == "NaN") out->set_double_value(std::numeric_limits<double>::quiet_NaN());
    else if (v->is_string() && *v == "Infinity") out->set_double_value(std::numeric_limits<double>::infinity());
    else if (v->is_string() && *v == "-Infinity") out->set_double_value(-std::numeric_limits<double>::infinity());
    else fail(path + ".doubleValue", "must be a number");
  } else if (const json* v = member(object, "bytesValue", "bytes_value")) {
    out->set_bytes_value(base64_bytes(*v, path + ".bytesValue"));
  } else if (const json* v = member(object, "arrayValue", "array_value")) {
    auto* array = out->mutable_array_value();
    if (const json* values = member(expect_object(*v, path + ".arrayValue"), "values", "values")) {
      std::size_t i = 0;
      for (const auto& item : expect_array(*values, path + ".arrayValue.values"))
        parse_any_value(item, path + ".arrayValue.values[" + std::to_string(i++) + "]", array->add_values(), depth + 1);
    }
  } else if (const json* v = member(object, "kvlistValue", "kvlist_value")) {
    auto* list = out->mutable_kvlist_value();
    if (const json* values = member(expect_object(*v, path + ".kvlistValue"), "values", "values"))
      parse_key_values(*values, path + ".kvlistValue.values", list->mutable_values(), depth + 1);
  }
}

void parse_key_values(const json& array, const std::string& path,
                      google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* out, int depth) {
  std::size_t i = 0;
  for (const auto& item : expect_array(array, path)) {
    std::string item_path = path + "[" + std::to_string(i++) + "]";
    expect_object(item, item_path);
    auto* kv = out->Add();
    if (const json* key = member(item, "key", "key")) kv->set_key(as_string(*key, item_path + ".key"));
    if (const json* value = member(item, "value", "value"))
      parse_any_value(*value, item_path + ".value", kv->mutable_value(), depth + 1);
  }
}

void parse_attributes(const json& object, const std::string& path,
                      google::protobuf::RepeatedPtrField<otlp_common::KeyValue>* out) {
  if (const json* v = member(object, "attributes", "attributes")) parse_key_values(*v, path + ".attributes", out, 0);
}

template <typename T>
void parse_uint32_field(const json& object, const char* camel, const char* snake, const std::string& path, T* out,
                        void (T::*setter)(std::uint32_t)) {
  if (const json* v = member(object, camel, snake)) (out->*setter)(parse_integer<std::uint32_t>(*v, path + "." + camel));
}

void parse_span(const json& object, const std::string& path, otlp_trace::Span* span) {
  expect_object(object, path);
  if (const json* v = member(object, "traceId", "trace_id")) span->set_trace_id(hex_bytes(*v, path + ".traceId"));
  if (const json* v = member(object, "spanId", "span_id")) span->set_span_id(hex_bytes(*v, path + ".spanId"));
  if (const json* v = member(object, "traceState", "trace_state")) span->set_trace_state(as_string(*v, path + ".traceState"));
  if (const json* v = member(object, "parentSpanId", "parent_span_id"))
    span->set_parent_span_id(hex_bytes(*v, path + ".parentSpanId"));
  parse_uint32_field(object, "flags", "flags", path, span, &otlp_trace::Span::set_flags);
  if (const json* v = member(object, "name", "name")) span->set_name(as_string(*v, path + ".name"));
  if (const json* v = member(object, "kind", "kind"))
    span->set_kind(parse_enum<otlp_trace::Span::SpanKind>(
        *v, path + ".kind",
        {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER",
         "SPAN_KIND_CONSUMER"}));
  if (const json* v = member(object, "startTimeUnixNano", "start_time_unix_nano"))
    span->set_start_time_unix_nano(parse_integer<std::uint64_t>(*v, path + ".startTimeUnixNano"));
  if (const json* v = member(object, "endTimeUnixNano", "end_time_unix_nano"))
    span->set_end_time_unix_nano(parse_integer<std::uint64_t>(*v, path + ".endTimeUnixNano"));
  parse_attributes(object, path, span->mutable_attributes());
  parse_uint32_field(object, "droppedAttributesCount", "dropped_attributes_count", path, span,
                     &otlp_trace::Span::set_dropped_attributes_count);
  if (const json* events = member(object, "events", "events")) {
    std::size_t i = 0;
    for (const auto& item : expect_array(*events, path + ".events")) {
      std::string event_path = path + ".events[" + std::to_string(i++) + "]";
      expect_object(item, event_path);
      auto* event = span->add_events();
      if (const json* v = member(item, "timeUnixNano", "time_unix_nano"))
        event->set_time_unix_nano(parse_integer<std::uint64_t>(*v, event_path + ".timeUnixNano"));
      if (const json* v = member(item, "name", "name")) event->set_name(as_string(*v, event_path + ".name"));
      parse_attributes(item, event_path, event->mutable_attributes());
      parse_uint32_field(item, "droppedAttributesCount", "dropped_attributes_count", event_path, event,
                         &otlp_trace::Span::Event::set_dropped_attributes_count);
    }
  }
  parse_uint32_field(object, "droppedEventsCount", "dropped_events_count", path, span,
                     &otlp_trace::Span::set_dropped_events_count);
  if (const json* links = member(object, "links", "links")) {
    std::size_t i = 0;
    for (const auto& item : expect_array(*links, path + ".links")) {
      std::string link_path = path + ".links[" + std::to_string(i++) + "]";
      expect_object(item, link_path);
      auto* link = span->add_links();
      if (const json* v = member(item, "traceId", "trace_id")) link->set_trace_id(hex_bytes(*v, link_path + ".traceId"));
      if (const json* v = member(item, "spanId", "span_id")) link->set_span_id(hex_bytes(*v, link_path + ".spanId"));
      if (const json* v = member(item, "traceState", "trace_state"))
        link->set_trace_state(as_string(*v, link_path + ".traceState"));
      parse_attributes(item, link_path, link->mutable_attributes());
      parse_uint32_field(item, "droppedAttributesCount", "dropped_attributes_count", link_path, link,
                         &otlp_trace::Span::Link::set_dropped_attributes_count);
      parse_uint32_field(item, "flags", "flags", link_path, link, &otlp_trace::Span::Link::set_flags);
    }
  }
  parse_uint32_field(object, "droppedLinksCount", "dropped_links_count", path, span,
                     &otlp_trace::Span::set_dropped_links_count);
  if (const json* status = member(object, "status", "status")) {
    expect_object(*status, path + ".status");
    if (const json* v = member(*status, "message", "message"))
      span->mutable_status()->set_message(as_string(*v, path + ".status.message"));
    if (const json* v = member(*status, "code", "code"))
      span->mutable_status()->set_code(parse_enum<otlp_trace::Status::StatusCode>(
          *v, path + ".status.code", {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}));
  }
}

/// Deepest nesting of objects and arrays, found by a scan that skips string contents.
std::size_t nesting_depth(std::string_view body) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<bool> parse_otlp_json(std::string_view body,
                             opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& out) {
  if (nesting_depth(body) > kMaxJsonDepth)
    return Error{ErrorCode::kLimitExceeded, "body: JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
  json document;
  try {
    document = json::parse(body);
  } catch (const json::exception& e) {
    return Error{ErrorCode::kInvalidInput, std::string("body: invalid JSON: ") + e.what()};
  }
  try {
    expect_object(document, "body");
    if (const json* resource_spans = member(document, "resourceSpans", "resource_spans")) {
      std::size_t r = 0;
      for (const auto& rs_json : expect_array(*resource_spans, "resourceSpans")) {
        std::string rs_path = "resourceSpans[" + std::to_string(r++) + "]";
        expect_object(rs_json, rs_path);
        auto* rs = out.add_resource_spans();
        if (const json* resource = member(rs_json, "resource", "resource")) {
          expect_object(*resource, rs_path + ".resource");
          parse_attributes(*resource, rs_path + ".resource", rs->mutable_resource()->mutable_attributes());
          parse_uint32_field(*resource, "droppedAttributesCount", "dropped_attributes_count", rs_path + ".resource",
                             rs->mutable_resource(),
                             &opentelemetry::proto::resource::v1::Resource::set_dropped_attributes_count);
        }
        if (const json* v = member(rs_json, "schemaUrl", "schema_url")) rs->set_schema_url(as_string(*v, rs_path + ".schemaUrl"));
        const json* scope_spans = member(rs_json, "scopeSpans", "scope_spans");
        if (scope_spans == nullptr) continue;
        std::size_t s = 0;
        for (const auto& ss_json : expect_array(*scope_spans, rs_path + ".scopeSpans")) {
          std::string ss_path = rs_path + ".scopeSpans[" + std::to_string(s++) + "]";
          expect_object(ss_json, ss_path);
          auto* ss = rs->add_scope_spans();
          if (const json* scope = member(ss_json, "scope", "scope")) {
            expect_object(*scope, ss_path + ".scope");
            auto* out_scope = ss->mutable_scope();
            if (const json* v = member(*scope, "name", "name")) out_scope->set_name(as_string(*v, ss_path + ".scope.name"));
            if (const json* v = member(*scope, "version", "version"))
              out_scope->set_version(as_string(*v, ss_path + ".scope.version"));
            parse_attributes(*scope, ss_path + ".scope", out_scope->mutable_attributes());
            parse_uint32_field(*scope, "droppedAttributesCount", "dropped_attributes_count", ss_path + ".scope",
                               out_scope, &otlp_common::InstrumentationScope::set_dropped_attributes_count);
          }
          if (const json* v = member(ss_json, "schemaUrl", "schema_url")) ss->set_schema_url(as_string(*v, ss_path + ".schemaUrl"));
          if (const json* spans = member(ss_json, "spans", "spans")) {
            std::size_t i = 0;
            for (const auto& span_json : expect_array(*spans, ss_path + ".spans"))
              parse_span(span_json, ss_path + ".spans[" + std::to_string(i++) + "]", ss->add_spans());
          }
        }
      }
    }
  } catch (const FieldError& e) {
    return Error{ErrorCode::kInvalidInput, e.message};
  } catch (const json::exception& e) {
    return Error{ErrorCode::kInvalidInput, std::string("body: ") + e.what()};
  }
  return true;
}

}  // namespace frame_tracking::service
