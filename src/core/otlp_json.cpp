// SPDX-License-Identifier: Apache-2.0
// OTLP/JSON encoder for span batches, written straight into a string (no DOM).
#include "frame_tracking/otlp_json.hpp"

#include "frame_tracking/otlp_layout.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/utf8.hpp"

#include <charconv>
#include <cmath>
#include <type_traits>

namespace frame_tracking {
namespace {

constexpr char kHex[] = "0123456789abcdef";

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }
  void raw(char c) { out_.push_back(c); }

  void string(std::string_view s) {
    out_.push_back('"');
    std::size_t run = 0;  // start of the pending run of bytes copied verbatim
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n != 0) {
          i += n;
          continue;
        }
      }
      out_.append(s.substr(run, i - run));
      switch (c) {
        case '"': out_.append("\\\""); break;
        case '\\': out_.append("\\\\"); break;
        case '\n': out_.append("\\n"); break;
        case '\r': out_.append("\\r"); break;
        case '\t': out_.append("\\t"); break;
        case '\b': out_.append("\\b"); break;
        case '\f': out_.append("\\f"); break;
        default:
          if (c < 0x20) {
            const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out_.append(esc, sizeof esc);
          } else {
            out_.append("\xEF\xBF\xBD");  // U+FFFD for a malformed byte
          }
      }
      ++i;
      run = i;
    }
    out_.append(s.substr(run));
    out_.push_back('"');
  }

  template <typename Int>
  void integer(Int v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }

  template <typename Int>
  void quoted_integer(Int v) {
    out_.push_back('"');
    integer(v);
    out_.push_back('"');
  }

  void number(double v) {
    if (std::isnan(v)) return raw("\"NaN\"");
    if (std::isinf(v)) return raw(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }

  template <std::size_t N>
  void hex_id(const std::array<std::uint8_t, N>& bytes) {
    out_.push_back('"');
    for (auto b : bytes) {
      out_.push_back(kHex[b >> 4]);
      out_.push_back(kHex[b & 0xF]);
    }
    out_.push_back('"');
  }

  // Writes `,"key":` (or `"key":` for the first member of an object).
  void key(std::string_view k, bool& first) {
    if (!first) out_.push_back(',');
    first = false;
    out_.push_back('"');
    out_.append(k);
    out_.append("\":");
  }

 private:
  std::string& out_;
};

// One AnyValue element of an array or a scalar attribute value.
template <typename T>
void write_scalar(JsonWriter& w, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    w.raw(v ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    w.raw("{\"intValue\":");
    w.quoted_integer(v);
    w.raw('}');
  } else if constexpr (std::is_same_v<T, double>) {
    w.raw("{\"doubleValue\":");
    w.number(v);
    w.raw('}');
  } else {
    w.raw("{\"stringValue\":");
    w.string(v);
    w.raw('}');
  }
}

// AnyValue for both the view and the owning attribute variants.
template <typename Variant>
void write_any_value(JsonWriter& w, const Variant& value) {
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          write_scalar(w, v);
        } else if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
          write_scalar(w, std::string_view(v));
        } else {
          if (v.empty()) return w.raw("{\"arrayValue\":{}}");
          w.raw("{\"arrayValue\":{\"values\":[");
          bool first = true;
          for (const auto& element : v) {
            if (!first) w.raw(',');
            first = false;
            using E = std::decay_t<decltype(element)>;
            if constexpr (std::is_same_v<E, std::string>) write_scalar(w, std::string_view(element));
            else if constexpr (std::is_same_v<E, std::string_view> || std::is_same_v<E, std::int64_t> ||
                               std::is_same_v<E, double>) write_scalar(w, element);
            else write_scalar(w, static_cast<bool>(element));  // bool and vector<bool>'s proxy
          }
          w.raw("]}}");
        }
      },
      value);
}

// `"attributes":[...]` (omitted when empty) for a range of Attribute or AttributeView.
template <typename Range>
void write_attributes(JsonWriter& w, std::string_view key, const Range& attributes, bool& first) {
  if (attributes.empty()) return;
  w.key(key, first);
  w.raw('[');
  bool first_attribute = true;
  for (const auto& a : attributes) {
    if (!first_attribute) w.raw(',');
    first_attribute = false;
    w.raw("{\"key\":");
    w.string(a.key);
    w.raw(",\"value\":");
    write_any_value(w, a.value);
    w.raw('}');
  }
  w.raw(']');
}

void write_count(JsonWriter& w, std::string_view key, std::uint32_t count, bool& first) {
  if (count == 0) return;
  w.key(key, first);
  w.integer(count);
}

void write_string_field(JsonWriter& w, std::string_view key, std::string_view value, bool& first) {
  if (value.empty()) return;
  w.key(key, first);
  w.string(value);
}

void write_span(JsonWriter& w, const SpanData& span) {
  bool first = true;
  w.raw('{');
  w.key("traceId", first);
  w.hex_id(span.context.trace_id.bytes());
  w.key("spanId", first);
  w.hex_id(span.context.span_id.bytes());
  write_string_field(w, "traceState", span.context.trace_state.header(), first);
  if (span.parent_span_id.is_valid()) {
    w.key("parentSpanId", first);
    w.hex_id(span.parent_span_id.bytes());
  }
  write_string_field(w, "name", span.name(), first);
  w.key("kind", first);
  w.integer(static_cast<unsigned>(span.kind));
  if (span.start_time_unix_ns != 0) {
    w.key("startTimeUnixNano", first);
    w.quoted_integer(span.start_time_unix_ns);
  }
  if (span.end_time_unix_ns != 0) {
    w.key("endTimeUnixNano", first);
    w.quoted_integer(span.end_time_unix_ns);
  }
  write_attributes(w, "attributes", span.attributes(), first);
  write_count(w, "droppedAttributesCount", span.dropped_attributes_count, first);
  if (!span.events().empty()) {
    w.key("events", first);
    w.raw('[');
    bool first_event = true;
    for (const EventView& e : span.events()) {
      if (!first_event) w.raw(',');
      first_event = false;
      bool first_field = true;
      w.raw('{');
      if (e.time_unix_ns != 0) {
        w.key("timeUnixNano", first_field);
        w.quoted_integer(e.time_unix_ns);
      }
      write_string_field(w, "name", e.name, first_field);
      write_attributes(w, "attributes", e.attributes, first_field);
      write_count(w, "droppedAttributesCount", e.dropped_attributes_count, first_field);
      w.raw('}');
    }
    w.raw(']');
  }
  write_count(w, "droppedEventsCount", span.dropped_events_count, first);
  if (!span.links().empty()) {
    w.key("links", first);
    w.raw('[');
    bool first_link = true;
    for (const LinkView& l : span.links()) {
      if (!first_link) w.raw(',');
      first_link = false;
      bool first_field = true;
      w.raw('{');
      w.key("traceId", first_field);
      w.hex_id(l.trace_id.bytes());
      w.key("spanId", first_field);
      w.hex_id(l.span_id.bytes());
      write_string_field(w, "traceState", l.trace_state, first_field);
      write_attributes(w, "attributes", l.attributes, first_field);
      write_count(w, "droppedAttributesCount", l.dropped_attributes_count, first_field);
      w.key("flags", first_field);
      w.integer(otlp_link_flags(l));
      w.raw('}');
    }
    w.raw(']');
  }
  write_count(w, "droppedLinksCount", span.dropped_links_count, first);
  if (span.status_code != StatusCode::kUnset || !span.status_message().empty()) {
    w.key("status", first);
    bool first_field = true;
    w.raw('{');
    write_string_field(w, "message", span.status_message(), first_field);
    if (span.status_code != StatusCode::kUnset) {
      w.key("code", first_field);
      w.integer(static_cast<unsigned>(span.status_code));
    }
    w.raw('}');
  }
  w.key("flags", first);
  w.integer(otlp_span_flags(span));
  w.raw('}');
}

void write_scope(JsonWriter& w, const InstrumentationScope& scope) {
  bool first = true;
  w.raw('{');
  write_string_field(w, "name", scope.name, first);
  write_string_field(w, "version", scope.version, first);
  write_attributes(w, "attributes", scope.attributes, first);
  w.raw('}');
}

}  // namespace

void append_otlp_json(std::span<const SpanData* const> spans, std::string& out) {
  JsonWriter w(out);
  const std::vector<OtlpResourceGroup> groups = group_for_otlp(spans);
  if (groups.empty()) return w.raw("{}");
  w.raw("{\"resourceSpans\":[");
  bool first_resource = true;
  for (const OtlpResourceGroup& rg : groups) {
    if (!first_resource) w.raw(',');
    first_resource = false;
    bool first = true;
    w.raw('{');
    if (rg.resource != nullptr) {
      w.key("resource", first);
      bool first_field = true;
      w.raw('{');
      write_attributes(w, "attributes", rg.resource->attributes(), first_field);
      w.raw('}');
    }
    w.key("scopeSpans", first);
    w.raw('[');
    bool first_scope = true;
    for (const OtlpScopeGroup& sg : rg.scopes) {
      if (!first_scope) w.raw(',');
      first_scope = false;
      bool first_field = true;
      w.raw('{');
      if (sg.scope != nullptr) {
        w.key("scope", first_field);
        write_scope(w, *sg.scope);
      }
      w.key("spans", first_field);
      w.raw('[');
      bool first_span = true;
      for (const SpanData* span : sg.spans) {
        if (!first_span) w.raw(',');
        first_span = false;
        write_span(w, *span);
      }
      w.raw(']');
      if (sg.scope != nullptr) write_string_field(w, "schemaUrl", sg.scope->schema_url, first_field);
      w.raw('}');
    }
    w.raw(']');
    if (rg.resource != nullptr) write_string_field(w, "schemaUrl", rg.resource->schema_url(), first);
    w.raw('}');
  }
  w.raw("]}");
}

std::string to_otlp_json(std::span<const SpanData* const> spans) {
  std::string out;
  append_otlp_json(spans, out);
  return out;
}

}  // namespace frame_tracking
