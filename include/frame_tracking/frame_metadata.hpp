// SPDX-License-Identifier: Apache-2.0
// FrameMetadata: the versioned record that travels with a frame, and its JSON form.
#pragma once

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace frame_tracking {

/// What every hop knows about a frame. Value type; thread-compatible.
///
/// JSON form (one object, fields in this order, then any unknown fields kept from input):
///   schema_version        int     required  major version of this layout (kSchemaVersion)
///   frame_id              string  required  canonical or 32-hex FrameId
///   camera_id             string  required
///   sequence              uint64  required  per camera, from 0
///   capture_time_unix_ns  int64   required  wall-clock capture time, ns since the Unix epoch
///   width, height         uint32  required  pixels
///   size_bytes            uint64  required  encoded or raw frame size in bytes
///   pts                   int64   optional  presentation timestamp in stream time-base units; null/absent = none
///   format                string  optional  codec or pixel format ("h264", "bgr24"); default ""
///   traceparent           string  optional  W3C traceparent of the frame's current span; default ""
///   tracestate            string  optional  W3C tracestate; default ""
///   attributes            object  optional  string → string; default {}
///
/// Compatibility: additive changes (new optional fields) keep the schema version; readers of an
/// older writer's record get the defaults above for fields it lacks. A breaking change bumps
/// kSchemaVersion; a record with a newer version is rejected. Unknown fields are kept in
/// `unknown_fields` and written back by to_json(), so a hop with an older library forwards them.
struct FrameMetadata {
  /// The schema version this library writes and the newest it reads.
  static constexpr std::int64_t kSchemaVersion = 1;

  std::int64_t schema_version = kSchemaVersion;
  FrameId frame_id;
  std::string camera_id;
  std::uint64_t sequence = 0;
  std::int64_t capture_time_unix_ns = 0;
  std::optional<std::int64_t> pts;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::string format;
  std::uint64_t size_bytes = 0;
  std::string traceparent;
  std::string tracestate;
  std::map<std::string, std::string> attributes;
  /// Unknown top-level fields from the input, as a compact JSON object text ("" when none).
  std::string unknown_fields;

  /// Compact JSON (no whitespace), fields in the documented order, then the unknown fields in
  /// the order they were read. Deterministic: equal records give equal text.
  std::string to_json() const;

  /// Parses the JSON form. Errors name the field and the rule: kInvalidInput for malformed JSON
  /// (with the byte offset) or a bad value ("frame_id: ..."), kMissingField ("camera_id: required
  /// field is missing"), kWrongType ("sequence: expected unsigned integer, got string"),
  /// kUnsupportedVersion ("schema_version: 2 is newer than the supported 1"). Never throws.
  /// from_json(m.to_json()) == m for every m.
  static Result<FrameMetadata> from_json(std::string_view json);

  bool operator==(const FrameMetadata&) const = default;
};

}  // namespace frame_tracking
