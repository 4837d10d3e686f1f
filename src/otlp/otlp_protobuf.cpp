// SPDX-License-Identifier: Apache-2.0
// OTLP/protobuf encoder: fills libprotobuf's generated OTLP messages on an arena and serialises them.
#include "frame_tracking/otlp/otlp_protobuf.hpp"

#include "frame_tracking/otlp_layout.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/utf8.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/arena.h>

#include <type_traits>

namespace frame_tracking::otlp {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

// Sets a proto3 `string` field, which must hold UTF-8 (receivers reject the whole request otherwise).
template <typename Setter>
void set_utf8(std::string_view s, Setter&& set) {
  if (is_valid_utf8(s)) {
    set(s.data(), s.size());
  } else {
    const std::string repaired = sanitize_utf8(s);
    set(repaired.data(), repaired.size());
  }
}

template <typename T>
void set_scalar(common::AnyValue* out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    out->set_bool_value(v);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    out->set_int_value(v);
  } else if constexpr (std::is_same_v<T, double>) {
    out->set_double_value(v);
  } else {
    set_utf8(std::string_view(v), [out](const char* p, std::size_t n) { out->set_string_value(p, n); });
  }
}

template <typename Variant>
void set_any_value(common::AnyValue* out, const Variant& value) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double> ||
                      std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
          set_scalar(out, v);
        } else {
          common::ArrayValue* array = out->mutable_array_value();
          for (const auto& element : v) {
            using E = std::decay_t<decltype(element)>;
            if constexpr (std::is_same_v<E, std::string> || std::is_same_v<E, std::string_view> ||
                          std::is_same_v<E, std::int64_t> || std::is_same_v<E, double>) {
              set_scalar(array->add_values(), element);
            } else {
              set_scalar(array->add_values(), static_cast<bool>(element));  // bool and vector<bool>'s proxy
            }
          }
        }
      },
      value);
}

template <typename Range>
void add_attributes(google::protobuf::RepeatedPtrField<common::KeyValue>* out, const Range& attributes) {
  out->Reserve(static_cast<int>(attributes.size()));
  for (const auto& a : attributes) {
    common::KeyValue* kv = out->Add();
    set_utf8(std::string_view(a.key), [kv](const char* p, std::size_t n) { kv->set_key(p, n); });
    set_any_value(kv->mutable_value(), a.value);
  }
}

template <std::size_t N>
const char* id_data(const std::array<std::uint8_t, N>& bytes) {
  return reinterpret_cast<const char*>(bytes.data());
}

void fill_span(trace::Span* out, const SpanData& span) {
  out->set_trace_id(id_data(span.context.trace_id.bytes()), TraceId::kSize);
  out->set_span_id(id_data(span.context.span_id.bytes()), SpanId::kSize);
  // W3C tracestate is ASCII by grammar, so it needs no UTF-8 check.
  if (!span.context.trace_state.empty()) out->set_trace_state(span.context.trace_state.header());
  if (span.parent_span_id.is_valid()) out->set_parent_span_id(id_data(span.parent_span_id.bytes()), SpanId::kSize);
  out->set_flags(otlp_span_flags(span));
  set_utf8(span.name(), [out](const char* p, std::size_t n) { out->set_name(p, n); });
  out->set_kind(static_cast<trace::Span::SpanKind>(span.kind));
  out->set_start_time_unix_nano(span.start_time_unix_ns);
  out->set_end_time_unix_nano(span.end_time_unix_ns);
  add_attributes(out->mutable_attributes(), span.attributes());
  out->set_dropped_attributes_count(span.dropped_attributes_count);
  for (const EventView& e : span.events()) {
    trace::Span::Event* event = out->add_events();
    event->set_time_unix_nano(e.time_unix_ns);
    set_utf8(e.name, [event](const char* p, std::size_t n) { event->set_name(p, n); });
    add_attributes(event->mutable_attributes(), e.attributes);
    event->set_dropped_attributes_count(e.dropped_attributes_count);
  }
  out->set_dropped_events_count(span.dropped_events_count);
  for (const LinkView& l : span.links()) {
    trace::Span::Link* link = out->add_links();
    link->set_trace_id(id_data(l.trace_id.bytes()), TraceId::kSize);
    link->set_span_id(id_data(l.span_id.bytes()), SpanId::kSize);
    if (!l.trace_state.empty()) link->set_trace_state(l.trace_state.data(), l.trace_state.size());
    add_attributes(link->mutable_attributes(), l.attributes);
    link->set_dropped_attributes_count(l.dropped_attributes_count);
    link->set_flags(otlp_link_flags(l));
  }
  out->set_dropped_links_count(span.dropped_links_count);
  if (span.status_code != StatusCode::kUnset || !span.status_message().empty()) {
    trace::Status* status = out->mutable_status();
    set_utf8(span.status_message(), [status](const char* p, std::size_t n) { status->set_message(p, n); });
    status->set_code(static_cast<trace::Status::StatusCode>(span.status_code));
  }
}

}  // namespace

void append_otlp_protobuf(std::span<const SpanData* const> spans, std::string& out) {
  const std::vector<OtlpResourceGroup> groups = group_for_otlp(spans);
  if (groups.empty()) return;
  google::protobuf::Arena arena;
  auto* request = google::protobuf::Arena::CreateMessage<ExportTraceServiceRequest>(&arena);
  for (const OtlpResourceGroup& rg : groups) {
    trace::ResourceSpans* resource_spans = request->add_resource_spans();
    if (rg.resource != nullptr) {
      add_attributes(resource_spans->mutable_resource()->mutable_attributes(), rg.resource->attributes());
      set_utf8(rg.resource->schema_url(),
               [resource_spans](const char* p, std::size_t n) { resource_spans->set_schema_url(p, n); });
    }
    for (const OtlpScopeGroup& sg : rg.scopes) {
      trace::ScopeSpans* scope_spans = resource_spans->add_scope_spans();
      if (sg.scope != nullptr) {
        common::InstrumentationScope* scope = scope_spans->mutable_scope();
        set_utf8(sg.scope->name, [scope](const char* p, std::size_t n) { scope->set_name(p, n); });
        set_utf8(sg.scope->version, [scope](const char* p, std::size_t n) { scope->set_version(p, n); });
        add_attributes(scope->mutable_attributes(), sg.scope->attributes);
        set_utf8(sg.scope->schema_url,
                 [scope_spans](const char* p, std::size_t n) { scope_spans->set_schema_url(p, n); });
      }
      scope_spans->mutable_spans()->Reserve(static_cast<int>(sg.spans.size()));
      for (const SpanData* span : sg.spans) fill_span(scope_spans->add_spans(), *span);
    }
  }
  request->AppendToString(&out);
}

std::string to_otlp_protobuf(std::span<const SpanData* const> spans) {
  std::string out;
  append_otlp_protobuf(spans, out);
  return out;
}

}  // namespace frame_tracking::otlp
