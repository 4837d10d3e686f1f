// SPDX-License-Identifier: Apache-2.0
// OTLP/protobuf encoder written straight into the output buffer. bench_otlp showed libprotobuf's
// message building to be most of the exporter's CPU; this writes the same bytes libprotobuf would
// (fields in number order, proto3 defaults omitted, minimal varints), which the unit tests check.
#include "frame_tracking/otlp/otlp_protobuf.hpp"

#include "frame_tracking/otlp_layout.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/utf8.hpp"

#include <bit>
#include <cstring>
#include <type_traits>

namespace frame_tracking::otlp {
namespace {

// Wire types (protobuf encoding guide).
constexpr std::uint32_t kVarint = 0;
constexpr std::uint32_t kFixed64 = 1;
constexpr std::uint32_t kLengthDelimited = 2;
constexpr std::uint32_t kFixed32 = 5;

// Field numbers used below (opentelemetry/proto/{collector/trace,trace,common,resource}/v1).
namespace field {
constexpr std::uint32_t kRequestResourceSpans = 1;
constexpr std::uint32_t kResourceSpansResource = 1, kResourceSpansScopeSpans = 2, kResourceSpansSchemaUrl = 3;
constexpr std::uint32_t kScopeSpansScope = 1, kScopeSpansSpans = 2, kScopeSpansSchemaUrl = 3;
constexpr std::uint32_t kResourceAttributes = 1;
constexpr std::uint32_t kScopeName = 1, kScopeVersion = 2, kScopeAttributes = 3;
constexpr std::uint32_t kSpanTraceId = 1, kSpanSpanId = 2, kSpanTraceState = 3, kSpanParentSpanId = 4, kSpanName = 5,
                        kSpanKind = 6, kSpanStart = 7, kSpanEnd = 8, kSpanAttributes = 9, kSpanDroppedAttributes = 10,
                        kSpanEvents = 11, kSpanDroppedEvents = 12, kSpanLinks = 13, kSpanDroppedLinks = 14,
                        kSpanStatus = 15, kSpanFlags = 16;
constexpr std::uint32_t kEventTime = 1, kEventName = 2, kEventAttributes = 3, kEventDroppedAttributes = 4;
constexpr std::uint32_t kLinkTraceId = 1, kLinkSpanId = 2, kLinkTraceState = 3, kLinkAttributes = 4,
                        kLinkDroppedAttributes = 5, kLinkFlags = 6;
constexpr std::uint32_t kStatusMessage = 2, kStatusCode = 3;
constexpr std::uint32_t kKeyValueKey = 1, kKeyValueValue = 2;
constexpr std::uint32_t kAnyString = 1, kAnyBool = 2, kAnyInt = 3, kAnyDouble = 4, kAnyArray = 5;
constexpr std::uint32_t kArrayValues = 1;
}  // namespace field

constexpr std::size_t varint_size(std::uint64_t v) noexcept { return (std::bit_width(v | 1) + 6) / 7; }

class ProtoWriter {
 public:
  explicit ProtoWriter(std::string& out) : out_(out) {}

  void varint(std::uint64_t v) {
    char buf[10];
    std::size_t n = 0;
    while (v >= 0x80) {
      buf[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf[n++] = static_cast<char>(v);
    out_.append(buf, n);
  }
  void tag(std::uint32_t number, std::uint32_t wire_type) { varint((std::uint64_t{number} << 3) | wire_type); }

  void uint_field(std::uint32_t number, std::uint64_t v) {  // proto3: 0 is not written
    if (v == 0) return;
    tag(number, kVarint);
    varint(v);
  }
  void fixed64_field(std::uint32_t number, std::uint64_t v) {
    if (v == 0) return;
    tag(number, kFixed64);
    fixed64(v);
  }
  void fixed32_field(std::uint32_t number, std::uint32_t v) {
    if (v == 0) return;
    tag(number, kFixed32);
    char buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_.append(buf, 4);
  }
  void fixed64(std::uint64_t v) {
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_.append(buf, 8);
  }
  // A `bytes` field; `always` for oneof members, which are written even when empty.
  void bytes_field(std::uint32_t number, std::string_view v, bool always = false) {
    if (v.empty() && !always) return;
    tag(number, kLengthDelimited);
    varint(v.size());
    out_.append(v);
  }
  // A `string` field: UTF-8 is required by proto3, so malformed input is repaired first.
  void string_field(std::uint32_t number, std::string_view v, bool always = false) {
    if (is_valid_utf8(v)) return bytes_field(number, v, always);
    bytes_field(number, sanitize_utf8(v), always);
  }
  template <std::size_t N>
  void id_field(std::uint32_t number, const std::array<std::uint8_t, N>& id) {
    bytes_field(number, std::string_view(reinterpret_cast<const char*>(id.data()), N));
  }

  // Embedded messages: the length prefix is written after the body, which is then shifted when the
  // length needs more than the one byte reserved (minimal varints, as libprotobuf writes them).
  std::size_t begin(std::uint32_t number) {
    tag(number, kLengthDelimited);
    out_.push_back('\0');
    return out_.size();
  }
  void end(std::size_t body_start) {
    const std::size_t length = out_.size() - body_start;
    const std::size_t n = varint_size(length);
    if (n > 1) {
      out_.insert(body_start, n - 1, '\0');
    }
    std::size_t at = body_start - 1;
    std::uint64_t v = length;
    while (v >= 0x80) {
      out_[at++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    out_[at] = static_cast<char>(v);
  }

 private:
  std::string& out_;
};

template <typename T>
void write_scalar(ProtoWriter& w, std::uint32_t number, const T& v) {
  const std::size_t any = w.begin(number);
  if constexpr (std::is_same_v<T, bool>) {
    w.tag(field::kAnyBool, kVarint);
    w.varint(v ? 1 : 0);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    w.tag(field::kAnyInt, kVarint);
    w.varint(static_cast<std::uint64_t>(v));  // int64: two's complement, 10 bytes when negative
  } else if constexpr (std::is_same_v<T, double>) {
    w.tag(field::kAnyDouble, kFixed64);
    w.fixed64(std::bit_cast<std::uint64_t>(v));
  } else {
    w.string_field(field::kAnyString, v, /*always=*/true);
  }
  w.end(any);
}

template <typename Variant>
void write_any_value(ProtoWriter& w, std::uint32_t number, const Variant& value) {
  std::visit(
      [&w, number](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          write_scalar(w, number, v);
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
          write_scalar(w, number, std::string_view(v));
        } else {
          const std::size_t any = w.begin(number);
          const std::size_t array = w.begin(field::kAnyArray);
          for (const auto& element : v) {
            using E = std::decay_t<decltype(element)>;
            if constexpr (std::is_same_v<E, std::string> || std::is_same_v<E, std::string_view>)
              write_scalar(w, field::kArrayValues, std::string_view(element));
            else if constexpr (std::is_same_v<E, std::int64_t> || std::is_same_v<E, double>)
              write_scalar(w, field::kArrayValues, element);
            else write_scalar(w, field::kArrayValues, static_cast<bool>(element));  // bool, vector<bool> proxy
          }
          w.end(array);
          w.end(any);
        }
      },
      value);
}

template <typename Range>
void write_attributes(ProtoWriter& w, std::uint32_t number, const Range& attributes) {
  for (const auto& a : attributes) {
    const std::size_t kv = w.begin(number);
    w.string_field(field::kKeyValueKey, a.key);
    write_any_value(w, field::kKeyValueValue, a.value);
    w.end(kv);
  }
}

void write_span(ProtoWriter& w, const SpanData& span) {
  const std::size_t s = w.begin(field::kScopeSpansSpans);
  w.id_field(field::kSpanTraceId, span.context.trace_id.bytes());
  w.id_field(field::kSpanSpanId, span.context.span_id.bytes());
  w.bytes_field(field::kSpanTraceState, span.context.trace_state.header());  // ASCII by the W3C grammar
  if (span.parent_span_id.is_valid()) w.id_field(field::kSpanParentSpanId, span.parent_span_id.bytes());
  w.string_field(field::kSpanName, span.name());
  w.uint_field(field::kSpanKind, static_cast<std::uint64_t>(span.kind));
  w.fixed64_field(field::kSpanStart, span.start_time_unix_ns);
  w.fixed64_field(field::kSpanEnd, span.end_time_unix_ns);
  write_attributes(w, field::kSpanAttributes, span.attributes());
  w.uint_field(field::kSpanDroppedAttributes, span.dropped_attributes_count);
  for (const EventView& e : span.events()) {
    const std::size_t event = w.begin(field::kSpanEvents);
    w.fixed64_field(field::kEventTime, e.time_unix_ns);
    w.string_field(field::kEventName, e.name);
    write_attributes(w, field::kEventAttributes, e.attributes);
    w.uint_field(field::kEventDroppedAttributes, e.dropped_attributes_count);
    w.end(event);
  }
  w.uint_field(field::kSpanDroppedEvents, span.dropped_events_count);
  for (const LinkView& l : span.links()) {
    const std::size_t link = w.begin(field::kSpanLinks);
    w.id_field(field::kLinkTraceId, l.trace_id.bytes());
    w.id_field(field::kLinkSpanId, l.span_id.bytes());
    w.bytes_field(field::kLinkTraceState, l.trace_state);
    write_attributes(w, field::kLinkAttributes, l.attributes);
    w.uint_field(field::kLinkDroppedAttributes, l.dropped_attributes_count);
    w.fixed32_field(field::kLinkFlags, otlp_link_flags(l));
    w.end(link);
  }
  w.uint_field(field::kSpanDroppedLinks, span.dropped_links_count);
  if (span.status_code != StatusCode::kUnset || !span.status_message().empty()) {
    const std::size_t status = w.begin(field::kSpanStatus);
    w.string_field(field::kStatusMessage, span.status_message());
    w.uint_field(field::kStatusCode, static_cast<std::uint64_t>(span.status_code));
    w.end(status);
  }
  w.fixed32_field(field::kSpanFlags, otlp_span_flags(span));
  w.end(s);
}

}  // namespace

void append_otlp_protobuf(std::span<const SpanData* const> spans, std::string& out) {
  ProtoWriter w(out);
  for (const OtlpResourceGroup& rg : group_for_otlp(spans)) {
    const std::size_t resource_spans = w.begin(field::kRequestResourceSpans);
    if (rg.resource != nullptr) {
      const std::size_t resource = w.begin(field::kResourceSpansResource);
      write_attributes(w, field::kResourceAttributes, rg.resource->attributes());
      w.end(resource);
    }
    for (const OtlpScopeGroup& sg : rg.scopes) {
      const std::size_t scope_spans = w.begin(field::kResourceSpansScopeSpans);
      if (sg.scope != nullptr) {
        const std::size_t scope = w.begin(field::kScopeSpansScope);
        w.string_field(field::kScopeName, sg.scope->name);
        w.string_field(field::kScopeVersion, sg.scope->version);
        write_attributes(w, field::kScopeAttributes, sg.scope->attributes);
        w.end(scope);
      }
      for (const SpanData* span : sg.spans) write_span(w, *span);
      if (sg.scope != nullptr) w.string_field(field::kScopeSpansSchemaUrl, sg.scope->schema_url);
      w.end(scope_spans);
    }
    if (rg.resource != nullptr) w.string_field(field::kResourceSpansSchemaUrl, rg.resource->schema_url());
    w.end(resource_spans);
  }
}

std::string to_otlp_protobuf(std::span<const SpanData* const> spans) {
  std::string out;
  append_otlp_protobuf(spans, out);
  return out;
}

}  // namespace frame_tracking::otlp
