// SPDX-License-Identifier: Apache-2.0
// Tests of FrameMetadata JSON: exact text, round trip, the v1 fixture, versions, unknown fields, errors.
#include "frame_tracking/frame_metadata.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace frame_tracking {
namespace {

FrameMetadata sample() {
  FrameMetadata m;
  m.frame_id = *FrameId::parse("019acc8e-5e2f-7abc-9def-0123456789ab");
  m.camera_id = "cam-entrance-01";
  m.sequence = 123456;
  m.capture_time_unix_ns = 1764489600123456789;
  m.pts = 900900;
  m.width = 1920;
  m.height = 1080;
  m.format = "h264";
  m.size_bytes = 48213;
  m.traceparent = "00-019acc8e5e2f7abc9def0123456789ab-00f067aa0ba902b7-03";
  m.tracestate = "ft=cam1,rojo=00f067aa0ba902b7";
  m.attributes = {{"site", "berlin-2"}, {"lens", "wide"}};
  return m;
}

constexpr const char* kSampleJson =
    R"({"schema_version":1,"frame_id":"019acc8e-5e2f-7abc-9def-0123456789ab","camera_id":"cam-entrance-01",)"
    R"("sequence":123456,"capture_time_unix_ns":1764489600123456789,"width":1920,"height":1080,"size_bytes":48213,)"
    R"("pts":900900,"format":"h264","traceparent":"00-019acc8e5e2f7abc9def0123456789ab-00f067aa0ba902b7-03",)"
    R"("tracestate":"ft=cam1,rojo=00f067aa0ba902b7","attributes":{"lens":"wide","site":"berlin-2"}})";

TEST(FrameMetadataTest, WritesTheDocumentedJson) { EXPECT_EQ(sample().to_json(), kSampleJson); }

TEST(FrameMetadataTest, RoundTripsExactly) {
  const FrameMetadata m = sample();
  auto back = FrameMetadata::from_json(m.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->to_json(), m.to_json());

  FrameMetadata extremes = m;
  extremes.sequence = UINT64_MAX;
  extremes.size_bytes = UINT64_MAX;
  extremes.capture_time_unix_ns = INT64_MIN;
  extremes.pts = INT64_MAX;
  extremes.width = UINT32_MAX;
  extremes.height = 0;
  extremes.attributes = {{"unicode", "K\xC3\xB6ln \xE2\x9C\x93"}, {"quote\"key", "line\nbreak"}, {"", ""}};
  auto back2 = FrameMetadata::from_json(extremes.to_json());
  ASSERT_TRUE(back2) << back2.error().message;
  EXPECT_EQ(*back2, extremes);

  FrameMetadata no_pts = m;
  no_pts.pts.reset();
  EXPECT_NE(no_pts.to_json().find(R"("pts":null,)"), std::string::npos);
  auto back3 = FrameMetadata::from_json(no_pts.to_json());
  ASSERT_TRUE(back3) << back3.error().message;
  EXPECT_EQ(*back3, no_pts);
  EXPECT_NE(*back3, m);
}

// Version 1 records written today must parse in every later release: never edit the fixture.
TEST(FrameMetadataTest, ParsesTheVersionOneFixture) {
  std::ifstream in(FT_SOURCE_DIR "/tests/unit/core/data/frame_metadata_v1.json");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto m = FrameMetadata::from_json(text.str());
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(*m, sample());
  EXPECT_EQ(m->schema_version, 1);
  EXPECT_EQ(m->to_json(), kSampleJson);
}

TEST(FrameMetadataTest, OlderRecordWithoutOptionalFieldsReadsWithDefaults) {
  auto m = FrameMetadata::from_json(
      R"({"schema_version":1,"frame_id":"019ACC8E5E2F7ABC9DEF0123456789AB","camera_id":"c","sequence":0,)"
      R"("capture_time_unix_ns":-5,"width":640,"height":480,"size_bytes":0})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->frame_id.to_string(), "019acc8e-5e2f-7abc-9def-0123456789ab");
  EXPECT_EQ(m->capture_time_unix_ns, -5);
  EXPECT_EQ(m->pts, std::nullopt);
  EXPECT_EQ(m->format, "");
  EXPECT_EQ(m->traceparent, "");
  EXPECT_EQ(m->tracestate, "");
  EXPECT_TRUE(m->attributes.empty());
  EXPECT_EQ(m->unknown_fields, "");
  EXPECT_EQ(m->to_json(),
            R"({"schema_version":1,"frame_id":"019acc8e-5e2f-7abc-9def-0123456789ab","camera_id":"c","sequence":0,)"
            R"("capture_time_unix_ns":-5,"width":640,"height":480,"size_bytes":0,"pts":null,"format":"",)"
            R"("traceparent":"","tracestate":"","attributes":{}})");
}

TEST(FrameMetadataTest, KeepsUnknownFieldsForReserialisation) {
  std::string json = kSampleJson;
  json.pop_back();
  json += R"(,"lens_temperature_c":41.5,"future":{"b":[1,2],"a":null}})";
  auto m = FrameMetadata::from_json(json);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->unknown_fields, R"({"lens_temperature_c":41.5,"future":{"b":[1,2],"a":null}})");
  EXPECT_EQ(m->to_json(), json);
  FrameMetadata known_only = *m;
  known_only.unknown_fields.clear();
  EXPECT_EQ(known_only, sample());
}

TEST(FrameMetadataTest, RejectsANewerSchemaVersion) {
  auto m = FrameMetadata::from_json(R"({"schema_version":2,"frame_id":42})");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(m.error().message, "schema_version: 2 is newer than the supported 1; upgrade frame-tracking to read it");
}

struct BadCase {
  std::string json;
  ErrorCode code;
  std::string message;
};

std::string sample_with(const std::string& field, const std::string& value) {
  std::string json = kSampleJson;
  const std::string key = "\"" + field + "\":";
  const std::size_t start = json.find(key) + key.size();
  std::size_t end = start;
  int depth = 0;
  bool in_string = false;
  for (; end < json.size(); ++end) {
    const char c = json[end];
    if (in_string) {
      if (c == '\\') ++end;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth-- == 0) break;
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  return json.substr(0, start) + value + json.substr(end);
}

std::string sample_without(const std::string& field) {
  std::string json = sample_with(field, "");
  const std::string key = "\"" + field + "\":";
  const std::size_t at = json.find(key);
  const std::size_t len = key.size() + (json[at + key.size()] == ',' ? 1 : 0);
  return json.erase(at, len);
}

TEST(FrameMetadataTest, ErrorsNameTheFieldAndTheRule) {
  const BadCase cases[] = {
      {"", ErrorCode::kInvalidInput,
       "frame metadata: malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 1: syntax error "
       "while parsing value - unexpected end of input; expected '[', '{', or a literal"},
      {"[1]", ErrorCode::kWrongType, "frame metadata: expected a JSON object, got array"},
      {sample_without("schema_version"), ErrorCode::kMissingField, "schema_version: required field is missing"},
      {sample_with("schema_version", "\"1\""), ErrorCode::kWrongType, "schema_version: expected integer, got string"},
      {sample_with("schema_version", "0"), ErrorCode::kInvalidInput, "schema_version: value out of range (must be at least 1)"},
      {sample_without("frame_id"), ErrorCode::kMissingField, "frame_id: required field is missing"},
      {sample_with("frame_id", "7"), ErrorCode::kWrongType, "frame_id: expected string, got number"},
      {sample_with("frame_id", "\"not-an-id\""), ErrorCode::kInvalidInput,
       "frame_id: frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 9 characters"},
      {sample_without("camera_id"), ErrorCode::kMissingField, "camera_id: required field is missing"},
      {sample_with("camera_id", "null"), ErrorCode::kWrongType, "camera_id: expected string, got null"},
      {sample_with("sequence", "\"5\""), ErrorCode::kWrongType, "sequence: expected unsigned integer, got string"},
      {sample_with("sequence", "-1"), ErrorCode::kInvalidInput, "sequence: value out of range (must not be negative)"},
      {sample_with("sequence", "1.5"), ErrorCode::kWrongType, "sequence: expected unsigned integer, got number"},
      {sample_without("capture_time_unix_ns"), ErrorCode::kMissingField, "capture_time_unix_ns: required field is missing"},
      {sample_with("capture_time_unix_ns", "9223372036854775808"), ErrorCode::kInvalidInput,
       "capture_time_unix_ns: value out of range (signed 64-bit)"},
      {sample_with("width", "4294967296"), ErrorCode::kInvalidInput, "width: value out of range (0..4294967295)"},
      {sample_with("height", "true"), ErrorCode::kWrongType, "height: expected unsigned integer, got boolean"},
      {sample_without("size_bytes"), ErrorCode::kMissingField, "size_bytes: required field is missing"},
      {sample_with("pts", "\"90\""), ErrorCode::kWrongType, "pts: expected integer, got string"},
      {sample_with("format", "[]"), ErrorCode::kWrongType, "format: expected string, got array"},
      {sample_with("traceparent", "{}"), ErrorCode::kWrongType, "traceparent: expected string, got object"},
      {sample_with("tracestate", "1"), ErrorCode::kWrongType, "tracestate: expected string, got number"},
      {sample_with("attributes", "[]"), ErrorCode::kWrongType, "attributes: expected object, got array"},
      {sample_with("attributes", R"({"ok":"x","gain":3})"), ErrorCode::kWrongType, "attributes.gain: expected string, got number"},
  };
  for (const auto& c : cases) {
    auto m = FrameMetadata::from_json(c.json);
    ASSERT_FALSE(m) << c.json;
    EXPECT_EQ(m.error().code, c.code) << c.json;
    EXPECT_EQ(m.error().message, c.message) << c.json;
  }
}

TEST(FrameMetadataTest, EqualityComparesEveryField) {
  const FrameMetadata a = sample();
  FrameMetadata b = a;
  EXPECT_EQ(a, b);
  b.attributes["site"] = "berlin-3";
  EXPECT_NE(a, b);
  b = a;
  b.unknown_fields = R"({"x":1})";
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace frame_tracking
