// SPDX-License-Identifier: Apache-2.0
// FrameMetadata JSON encoding and version-tolerant decoding (nlohmann_json, kept out of the header).
#include "frame_tracking/frame_metadata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace frame_tracking {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 13> kKnownFields = {
    "schema_version", "frame_id", "camera_id", "sequence", "capture_time_unix_ns", "width", "height",
    "size_bytes",     "pts",      "format",    "traceparent", "tracestate", "attributes"};

Error missing(std::string_view field) {
  return Error{ErrorCode::kMissingField, std::string(field) + ": required field is missing"};
}

Error wrong_type(std::string_view field, std::string_view expected, const Json& got) {
  return Error{ErrorCode::kWrongType,
               std::string(field) + ": expected " + std::string(expected) + ", got " + got.type_name()};
}

Error out_of_range(std::string_view field, std::string_view range) {
  return Error{ErrorCode::kInvalidInput, std::string(field) + ": value out of range (" + std::string(range) + ")"};
}

// Reads one field into `out`; returns an error, or nothing when the field is fine or optional and
// absent (then `out` keeps its default).
class Reader {
 public:
  explicit Reader(const Json& object) : object_(object) {}

  std::optional<Error> unsigned_integer(std::string_view field, bool required, std::uint64_t max, std::uint64_t& out) {
    const Json* v = find(field);
    if (v == nullptr) return required ? std::optional<Error>(missing(field)) : std::nullopt;
    if (v->is_number_integer() && v->is_number_unsigned()) {
      const auto value = v->get<std::uint64_t>();
      if (value > max) return out_of_range(field, "0.." + std::to_string(max));
      out = value;
      return std::nullopt;
    }
    if (v->is_number_integer()) return out_of_range(field, "must not be negative");
    return wrong_type(field, "unsigned integer", *v);
  }

  std::optional<Error> signed_integer(std::string_view field, bool required, std::int64_t& out) {
    const Json* v = find(field);
    if (v == nullptr) return required ? std::optional<Error>(missing(field)) : std::nullopt;
    if (!v->is_number_integer()) return wrong_type(field, "integer", *v);
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return out_of_range(field, "signed 64-bit");
    }
    out = v->get<std::int64_t>();
    return std::nullopt;
  }

  std::optional<Error> string(std::string_view field, bool required, std::string& out) {
    const Json* v = find(field);
    if (v == nullptr) return required ? std::optional<Error>(missing(field)) : std::nullopt;
    if (!v->is_string()) return wrong_type(field, "string", *v);
    out = v->get<std::string>();
    return std::nullopt;
  }

  const Json* find(std::string_view field) const {
    auto it = object_.find(field);
    return it == object_.end() ? nullptr : &*it;
  }

 private:
  const Json& object_;
};

}  // namespace

std::string FrameMetadata::to_json() const {
  Json j = Json::object();
  j["schema_version"] = schema_version;
  j["frame_id"] = frame_id.to_string();
  j["camera_id"] = camera_id;
  j["sequence"] = sequence;
  j["capture_time_unix_ns"] = capture_time_unix_ns;
  j["width"] = width;
  j["height"] = height;
  j["size_bytes"] = size_bytes;
  j["pts"] = pts ? Json(*pts) : Json(nullptr);
  j["format"] = format;
  j["traceparent"] = traceparent;
  j["tracestate"] = tracestate;
  Json attrs = Json::object();
  for (const auto& [key, value] : attributes) attrs[key] = value;
  j["attributes"] = std::move(attrs);
  if (!unknown_fields.empty()) {
    // Text that is not a JSON object (set by hand, not read by from_json) has nothing to forward.
    const Json extra = Json::parse(unknown_fields, nullptr, /*allow_exceptions=*/false);
    if (extra.is_object()) {
      for (const auto& [key, value] : extra.items()) {
        if (!j.contains(key)) j[key] = value;
      }
    }
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<FrameMetadata> FrameMetadata::from_json(std::string_view json) {
  Json j;
  try {
    j = Json::parse(json.begin(), json.end());
  } catch (const Json::exception& e) {
    return Error{ErrorCode::kInvalidInput, std::string("frame metadata: malformed JSON: ") + e.what()};
  }
  if (!j.is_object()) return Error{ErrorCode::kWrongType, std::string("frame metadata: expected a JSON object, got ") + j.type_name()};

  Reader r(j);
  FrameMetadata m;
  // The version decides how the rest is read, so it is checked first.
  if (auto e = r.signed_integer("schema_version", true, m.schema_version)) return *e;
  if (m.schema_version < 1) return out_of_range("schema_version", "must be at least 1");
  if (m.schema_version > kSchemaVersion) {
    return Error{ErrorCode::kUnsupportedVersion, "schema_version: " + std::to_string(m.schema_version) +
                                                     " is newer than the supported " + std::to_string(kSchemaVersion) +
                                                     "; upgrade frame-tracking to read it"};
  }
  std::string frame_id_text;
  if (auto e = r.string("frame_id", true, frame_id_text)) return *e;
  auto id = FrameId::parse(frame_id_text);
  if (!id) return Error{ErrorCode::kInvalidInput, "frame_id: " + id.error().message};
  m.frame_id = *id;
  if (auto e = r.string("camera_id", true, m.camera_id)) return *e;
  if (auto e = r.unsigned_integer("sequence", true, std::numeric_limits<std::uint64_t>::max(), m.sequence)) return *e;
  if (auto e = r.signed_integer("capture_time_unix_ns", true, m.capture_time_unix_ns)) return *e;
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  if (auto e = r.unsigned_integer("width", true, std::numeric_limits<std::uint32_t>::max(), width)) return *e;
  if (auto e = r.unsigned_integer("height", true, std::numeric_limits<std::uint32_t>::max(), height)) return *e;
  m.width = static_cast<std::uint32_t>(width);
  m.height = static_cast<std::uint32_t>(height);
  if (auto e = r.unsigned_integer("size_bytes", true, std::numeric_limits<std::uint64_t>::max(), m.size_bytes)) return *e;
  if (const Json* pts = r.find("pts"); pts != nullptr && !pts->is_null()) {
    std::int64_t value = 0;
    if (auto e = r.signed_integer("pts", true, value)) return *e;
    m.pts = value;
  }
  if (auto e = r.string("format", false, m.format)) return *e;
  if (auto e = r.string("traceparent", false, m.traceparent)) return *e;
  if (auto e = r.string("tracestate", false, m.tracestate)) return *e;
  if (const Json* attrs = r.find("attributes")) {
    if (!attrs->is_object()) return wrong_type("attributes", "object", *attrs);
    for (const auto& [key, value] : attrs->items()) {
      if (!value.is_string()) return wrong_type("attributes." + key, "string", value);
      m.attributes.insert_or_assign(key, value.get<std::string>());
    }
  }
  Json unknown = Json::object();
  for (const auto& [key, value] : j.items()) {
    if (std::find(kKnownFields.begin(), kKnownFields.end(), key) == kKnownFields.end()) unknown[key] = value;
  }
  if (!unknown.empty()) m.unknown_fields = unknown.dump(-1, ' ', false, Json::error_handler_t::replace);
  return m;
}

}  // namespace frame_tracking
