// SPDX-License-Identifier: Apache-2.0
// OTLP/protobuf encoder: decoded back with the generated classes, and equal to the JSON encoding.
#include "frame_tracking/otlp/otlp_protobuf.hpp"

#include "frame_tracking/otlp_json.hpp"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp_corpus.hpp"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace frame_tracking::otlp {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using testing::make_otlp_corpus;
namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;

std::string bytes_of(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// OTLP/JSON writes ids as hex; protobuf's own JSON mapping wants base64. Rewrites them in place.
void hex_ids_to_base64(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if ((key == "traceId" || key == "spanId" || key == "parentSpanId") && value.is_string())
        value = base64(bytes_of(value.get<std::string>()));
      else hex_ids_to_base64(value);
    }
  } else if (j.is_array()) {
    for (auto& element : j) hex_ids_to_base64(element);
  }
}

const pb_common::AnyValue& attribute(const google::protobuf::RepeatedPtrField<pb_common::KeyValue>& kvs,
                                     const std::string& key) {
  for (const auto& kv : kvs)
    if (kv.key() == key) return kv.value();
  ADD_FAILURE() << "no attribute " << key;
  return pb_common::AnyValue::default_instance();
}

TEST(OtlpProtobufTest, EmptyBatchIsEmptyMessage) {
  EXPECT_EQ(to_otlp_protobuf({}), "");
  std::string out = "x";
  append_otlp_protobuf({}, out);
  EXPECT_EQ(out, "x");
}

TEST(OtlpProtobufTest, RichSpanDecodesBackFieldByField) {
  const auto corpus = make_otlp_corpus();
  ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(to_otlp_protobuf(corpus.batch())));
  ASSERT_EQ(request.resource_spans_size(), 3);
  const pb_trace::ResourceSpans& rs = request.resource_spans(0);
  EXPECT_EQ(rs.schema_url(), "https://opentelemetry.io/schemas/1.26.0");
  ASSERT_EQ(rs.resource().attributes_size(), 3);
  EXPECT_EQ(rs.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(rs.resource().attributes(0).value().string_value(), "camera-ingest");
  EXPECT_EQ(rs.resource().attributes(2).value().int_value(), 4242);
  ASSERT_EQ(rs.scope_spans_size(), 2);
  const pb_trace::ScopeSpans& ss = rs.scope_spans(0);
  EXPECT_EQ(ss.scope().name(), "frame_tracking");
  EXPECT_EQ(ss.scope().version(), "0.1.0");
  EXPECT_EQ(ss.scope().attributes(0).value().int_value(), 7);
  EXPECT_EQ(ss.schema_url(), "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(rs.scope_spans(1).scope().name(), "frame_tracking.redis");
  ASSERT_EQ(ss.spans_size(), 3);

  const pb_trace::Span& s = ss.spans(0);
  EXPECT_EQ(s.trace_id(), bytes_of("5b8efff798038103d269b633813fc60c"));
  EXPECT_EQ(s.span_id(), bytes_of("eee19b7ec3c1b174"));
  EXPECT_EQ(s.parent_span_id(), bytes_of("eee19b7ec3c1b173"));
  EXPECT_EQ(s.trace_state(), "vendor=x,other=y");
  EXPECT_EQ(s.flags(), 0x303U);
  EXPECT_EQ(s.name(), "process frames");
  EXPECT_EQ(s.kind(), pb_trace::Span::SPAN_KIND_CONSUMER);
  EXPECT_EQ(s.start_time_unix_nano(), 1764460800123456789ULL);
  EXPECT_EQ(s.end_time_unix_nano(), 1764460800125456789ULL);
  ASSERT_EQ(s.attributes_size(), 10);
  EXPECT_EQ(attribute(s.attributes(), "frame.id").string_value(), "019ad4a2-7c3e-7000-8000-0123456789ab");
  EXPECT_EQ(attribute(s.attributes(), "frame.sequence").int_value(), 42);
  EXPECT_EQ(attribute(s.attributes(), "frame.offset").int_value(), -9007199254740993);
  EXPECT_TRUE(attribute(s.attributes(), "frame.keyframe").bool_value());
  EXPECT_EQ(attribute(s.attributes(), "frame.fps").double_value(), 29.97);
  const auto& tags = attribute(s.attributes(), "frame.tags").array_value();
  ASSERT_EQ(tags.values_size(), 2);
  EXPECT_EQ(tags.values(1).string_value(), "ir \"on\"\n");
  const auto& sizes = attribute(s.attributes(), "frame.sizes").array_value();
  ASSERT_EQ(sizes.values_size(), 3);
  EXPECT_EQ(sizes.values(2).int_value(), 3000000000000);
  EXPECT_EQ(attribute(s.attributes(), "frame.ratios").array_value().values(1).double_value(), -1.25);
  const auto& bits = attribute(s.attributes(), "frame.bits").array_value();
  ASSERT_EQ(bits.values_size(), 2);
  EXPECT_TRUE(bits.values(0).has_bool_value());
  EXPECT_FALSE(bits.values(1).bool_value());
  EXPECT_EQ(attribute(s.attributes(), "camera.label").string_value(), "Cam\xC3\xA9ra \xE2\x82\xAC nord");
  EXPECT_EQ(s.dropped_attributes_count(), 2U);
  ASSERT_EQ(s.events_size(), 2);
  EXPECT_EQ(s.events(0).name(), "frame.dropped");
  EXPECT_EQ(s.events(0).time_unix_nano(), 1764460800124000000ULL);
  EXPECT_EQ(attribute(s.events(0).attributes(), "frame.drop_reason").string_value(), "queue_full");
  EXPECT_EQ(attribute(s.events(0).attributes(), "queue.depth").int_value(), 128);
  EXPECT_EQ(s.events(1).attributes_size(), 0);
  EXPECT_EQ(s.dropped_events_count(), 1U);
  ASSERT_EQ(s.links_size(), 2);
  EXPECT_EQ(s.links(0).trace_id(), bytes_of("5b8efff798038103d269b633813fc60d"));
  EXPECT_EQ(s.links(0).span_id(), bytes_of("eee19b7ec3c1b175"));
  EXPECT_EQ(s.links(0).trace_state(), "rojo=00f067aa0ba902b7");
  EXPECT_EQ(s.links(0).flags(), 0x301U);
  EXPECT_EQ(attribute(s.links(0).attributes(), "messaging.message.id").string_value(), "1-0");
  EXPECT_EQ(s.links(1).flags(), 0x100U);
  EXPECT_EQ(s.dropped_links_count(), 3U);
  ASSERT_TRUE(s.has_status());
  EXPECT_EQ(s.status().code(), pb_trace::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(s.status().message(), "decoder error");

  const pb_trace::Span& root = ss.spans(1);
  EXPECT_EQ(root.parent_span_id(), "");
  EXPECT_EQ(root.flags(), 0x101U);
  EXPECT_FALSE(root.has_status());
  EXPECT_EQ(rs.scope_spans(1).spans(0).status().code(), pb_trace::Status::STATUS_CODE_OK);
  EXPECT_FALSE(request.resource_spans(2).has_resource());
  EXPECT_FALSE(request.resource_spans(2).scope_spans(0).has_scope());
}

TEST(OtlpProtobufTest, RepairsMalformedUtf8SoReceiversCanParse) {
  const auto corpus = make_otlp_corpus();
  const SpanData* batch[] = {corpus.spans[5].get()};
  ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(to_otlp_protobuf(batch)));
  const pb_trace::Span& s = request.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(s.name(), "bad \xEF\xBF\xBD( utf8 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \x01\t/");
  EXPECT_TRUE(std::isnan(attribute(s.attributes(), "nan").double_value()));
  EXPECT_TRUE(attribute(s.attributes(), "empty").has_array_value());
  EXPECT_EQ(attribute(s.attributes(), "empty").array_value().values_size(), 0);
}

TEST(OtlpProtobufTest, BytesEqualTheJsonEncodingParsedByLibprotobuf) {
  const auto corpus = make_otlp_corpus();
  nlohmann::json json = nlohmann::json::parse(to_otlp_json(corpus.batch()));
  hex_ids_to_base64(json);
  ExportTraceServiceRequest from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.dump(), &from_json).ok());
  EXPECT_EQ(from_json.SerializeAsString(), to_otlp_protobuf(corpus.batch()));
}

TEST(OtlpProtobufTest, BytesEqualLibprotobufsReserialisation) {
  // The hand-written encoder must write exactly what libprotobuf writes for the same message.
  const auto corpus = make_otlp_corpus();
  const std::string ours = to_otlp_protobuf(corpus.batch());
  ExportTraceServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(ours));
  EXPECT_EQ(parsed.SerializeAsString(), ours);
  const auto many = testing::make_typical_spans(600);  // large enough for 3-byte length prefixes
  const std::string big = to_otlp_protobuf(many.batch());
  ASSERT_TRUE(parsed.ParseFromString(big));
  EXPECT_EQ(parsed.resource_spans(0).scope_spans(0).spans_size(), 600);
  EXPECT_EQ(parsed.SerializeAsString(), big);
}

TEST(OtlpProtobufTest, KnownSpanHasExactBytes) {
  // The bare span (no resource, no scope), written out by hand from the OTLP field numbers.
  const auto corpus = make_otlp_corpus();
  const SpanData* batch[] = {corpus.spans[4].get()};
  const auto field = [](char tag, const std::string& payload) {
    std::string out(1, tag);
    out.push_back(static_cast<char>(payload.size()));
    return out.append(payload);
  };
  std::string span;
  span.append(field('\x0a', bytes_of("5b8efff798038103d269b633813fc612")));  // 1 trace_id
  span.append(field('\x12', bytes_of("eee19b7ec3c1b104")));                  // 2 span_id
  span.append(field('\x2a', "bare"));                                        // 5 name
  span.append("\x30\x01", 2);                                               // 6 kind INTERNAL
  span.append("\x39\x01\0\0\0\0\0\0\0", 9);                                 // 7 start (fixed64)
  span.append("\x41\x02\0\0\0\0\0\0\0", 9);                                 // 8 end (fixed64)
  span.append("\x85\x01\x00\x01\0\0", 6);                                    // 16 flags (fixed32) 0x100
  const std::string request = field('\x0a', field('\x12', field('\x12', span)));
  EXPECT_EQ(to_otlp_protobuf(batch), request);
}

}  // namespace
}  // namespace frame_tracking::otlp
