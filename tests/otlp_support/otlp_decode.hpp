// SPDX-License-Identifier: Apache-2.0
// Test helpers: decode an OTLP/HTTP body of either encoding with the generated classes, and check a
// decoded request against the span records it was made from, field by field (header-only).
#pragma once

#include "frame_tracking/resource.hpp"
#include "frame_tracking/span_data.hpp"
#include "frame_tracking/utf8.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace frame_tracking::testing {

using PbRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;

inline std::string base64_encode(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) out.push_back(kAlphabet[(bits >> (count -= 6)) & 63]);
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 63]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

inline std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// OTLP/JSON ids are hex; protobuf's JSON mapping wants base64 (everything else matches).
inline void otlp_json_ids_to_base64(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if ((key == "traceId" || key == "spanId" || key == "parentSpanId") && value.is_string())
        value = base64_encode(hex_to_bytes(value.get<std::string>()));
      else otlp_json_ids_to_base64(value);
    }
  } else if (j.is_array()) {
    for (auto& element : j) otlp_json_ids_to_base64(element);
  }
}

/// Decodes an ExportTraceServiceRequest body of either encoding; empty optional if it does not parse.
inline std::optional<PbRequest> decode_otlp_body(const std::string& body, bool json) {
  PbRequest request;
  if (!json) {
    if (!request.ParseFromString(body)) return std::nullopt;
    return request;
  }
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  otlp_json_ids_to_base64(parsed);
  if (!google::protobuf::util::JsonStringToMessage(parsed.dump(), &request).ok()) return std::nullopt;
  return request;
}

// An owning attribute value from a decoded AnyValue (arrays typed by their first element).
inline AttributeValue from_pb(const pb_common::AnyValue& v) {
  using V = pb_common::AnyValue;
  switch (v.value_case()) {
    case V::kBoolValue: return v.bool_value();
    case V::kIntValue: return static_cast<std::int64_t>(v.int_value());
    case V::kDoubleValue: return v.double_value();
    case V::kStringValue: return v.string_value();
    case V::kArrayValue: {
      const auto& a = v.array_value();
      if (a.values_size() == 0) return std::vector<std::int64_t>{};
      switch (a.values(0).value_case()) {
        case V::kBoolValue: {
          std::vector<bool> out;
          for (const auto& e : a.values()) out.push_back(e.bool_value());
          return out;
        }
        case V::kIntValue: {
          std::vector<std::int64_t> out;
          for (const auto& e : a.values()) out.push_back(e.int_value());
          return out;
        }
        case V::kDoubleValue: {
          std::vector<double> out;
          for (const auto& e : a.values()) out.push_back(e.double_value());
          return out;
        }
        default: {
          std::vector<std::string> out;
          for (const auto& e : a.values()) out.push_back(e.string_value());
          return out;
        }
      }
    }
    default: return std::string("<unexpected AnyValue case>");
  }
}

// The value as the exporter must have sent it: strings UTF-8-repaired, empty arrays typeless.
inline AttributeValue as_sent(const AttributeValue& v) {
  return std::visit(
      [](auto x) -> AttributeValue {
        using T = decltype(x);
        if constexpr (std::is_same_v<T, std::string>) {
          return sanitize_utf8(x);
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          return x;
        } else {
          if (x.empty()) return std::vector<std::int64_t>{};
          if constexpr (std::is_same_v<T, std::vector<std::string>>)
            for (auto& s : x) s = sanitize_utf8(s);
          return x;
        }
      },
      v);
}

template <typename Range>
void expect_attributes(const google::protobuf::RepeatedPtrField<pb_common::KeyValue>& got, const Range& want,
                       const std::string& where) {
  ASSERT_EQ(static_cast<std::size_t>(got.size()), want.size()) << where;
  std::size_t i = 0;
  for (const auto& a : want) {
    const auto& kv = got[static_cast<int>(i++)];
    EXPECT_EQ(kv.key(), sanitize_utf8(a.key)) << where;
    AttributeValue expected;
    if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Attribute>) expected = a.value;
    else expected = to_owned(a.value);
    const AttributeValue actual = from_pb(kv.value());
    const auto* d_want = std::get_if<double>(&expected);
    const auto* d_got = std::get_if<double>(&actual);
    if (d_want != nullptr && d_got != nullptr && std::isnan(*d_want)) {
      EXPECT_TRUE(std::isnan(*d_got)) << where << " " << a.key;
    } else {
      EXPECT_TRUE(as_sent(expected) == actual) << where << " attribute " << a.key;
    }
  }
}

inline std::string id_bytes(const auto& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
}

/// Every span of `spans` appears exactly once in `request`, under its own resource and scope, with
/// every field equal to the record's. `stored` relaxes what a span store need not keep: schema
/// URLs, and the absence of a resource or scope (it may hold an empty one).
inline void expect_request_matches(const PbRequest& request, const std::vector<const SpanData*>& spans,
                                   bool stored = false) {
  std::map<std::string, const SpanData*> by_id;
  for (const SpanData* s : spans) by_id[id_bytes(s->context.span_id)] = s;
  std::size_t seen = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& ps : ss.spans()) {
        const auto it = by_id.find(ps.span_id());
        ASSERT_NE(it, by_id.end()) << "unexpected span " << ps.name();
        const SpanData& s = *it->second;
        const std::string where(s.name());
        ++seen;
        // Resource and scope the span was recorded with.
        if (!stored) {
          ASSERT_EQ(rs.has_resource(), s.resource != nullptr) << where;
        }
        if (s.resource != nullptr) {
          expect_attributes(rs.resource().attributes(), s.resource->attributes(), where + " resource");
          if (!stored) {
            EXPECT_EQ(rs.schema_url(), s.resource->schema_url()) << where;
          }
        } else {
          EXPECT_EQ(rs.resource().attributes_size(), 0) << where;
        }
        if (!stored) {
          ASSERT_EQ(ss.has_scope(), s.scope != nullptr) << where;
        }
        if (s.scope != nullptr) {
          EXPECT_EQ(ss.scope().name(), s.scope->name) << where;
          EXPECT_EQ(ss.scope().version(), s.scope->version) << where;
          if (!stored) {
            EXPECT_EQ(ss.schema_url(), s.scope->schema_url) << where;
          }
          expect_attributes(ss.scope().attributes(), s.scope->attributes, where + " scope");
        }
        EXPECT_EQ(ps.trace_id(), id_bytes(s.context.trace_id)) << where;
        EXPECT_EQ(ps.parent_span_id(), s.parent_span_id.is_valid() ? id_bytes(s.parent_span_id) : "") << where;
        EXPECT_EQ(ps.trace_state(), s.context.trace_state.header()) << where;
        EXPECT_EQ(ps.flags(), s.context.trace_flags.value | 0x100U | (s.parent_is_remote ? 0x200U : 0U)) << where;
        EXPECT_EQ(ps.name(), sanitize_utf8(s.name()));
        EXPECT_EQ(static_cast<int>(ps.kind()), static_cast<int>(s.kind)) << where;
        EXPECT_EQ(ps.start_time_unix_nano(), s.start_time_unix_ns) << where;
        EXPECT_EQ(ps.end_time_unix_nano(), s.end_time_unix_ns) << where;
        expect_attributes(ps.attributes(), s.attributes(), where);
        EXPECT_EQ(ps.dropped_attributes_count(), s.dropped_attributes_count) << where;
        ASSERT_EQ(static_cast<std::size_t>(ps.events_size()), s.events().size()) << where;
        for (std::size_t i = 0; i < s.events().size(); ++i) {
          const auto& pe = ps.events(static_cast<int>(i));
          EXPECT_EQ(pe.name(), s.events()[i].name) << where;
          EXPECT_EQ(pe.time_unix_nano(), s.events()[i].time_unix_ns) << where;
          expect_attributes(pe.attributes(), s.events()[i].attributes, where + " event");
          EXPECT_EQ(pe.dropped_attributes_count(), s.events()[i].dropped_attributes_count) << where;
        }
        EXPECT_EQ(ps.dropped_events_count(), s.dropped_events_count) << where;
        ASSERT_EQ(static_cast<std::size_t>(ps.links_size()), s.links().size()) << where;
        for (std::size_t i = 0; i < s.links().size(); ++i) {
          const auto& pl = ps.links(static_cast<int>(i));
          const LinkView& l = s.links()[i];
          EXPECT_EQ(pl.trace_id(), id_bytes(l.trace_id)) << where;
          EXPECT_EQ(pl.span_id(), id_bytes(l.span_id)) << where;
          EXPECT_EQ(pl.trace_state(), l.trace_state) << where;
          EXPECT_EQ(pl.flags(), l.trace_flags.value | 0x100U | (l.remote ? 0x200U : 0U)) << where;
          expect_attributes(pl.attributes(), l.attributes, where + " link");
        }
        EXPECT_EQ(ps.dropped_links_count(), s.dropped_links_count) << where;
        EXPECT_EQ(static_cast<int>(ps.status().code()), static_cast<int>(s.status_code)) << where;
        EXPECT_EQ(ps.status().message(), s.status_message()) << where;
      }
    }
  }
  EXPECT_EQ(seen, spans.size());
}

}  // namespace frame_tracking::testing
