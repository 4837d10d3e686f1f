// SPDX-License-Identifier: Apache-2.0
// Python bindings of FrameId (FrameID) and FrameMetadata.
#include "bindings.hpp"

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/frame_metadata.hpp"

#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <functional>

namespace frame_tracking::python {

void raise_value_error(const Error& error) { throw py::value_error(error.message); }

namespace {

FrameId parse_id(std::string_view text) {
  auto parsed = FrameId::parse(text);
  if (!parsed) raise_value_error(parsed.error());
  return *parsed;
}

/// A FrameID from a FrameID or its text form (ValueError when the text does not parse).
FrameId frame_id_of(const py::handle& value) {
  if (py::isinstance<FrameId>(value)) return value.cast<FrameId>();
  if (py::isinstance<py::str>(value)) return parse_id(value.cast<std::string>());
  throw py::type_error("frame_id: expected FrameID or str, got " + std::string(py::str(py::type::of(value).attr("__name__"))));
}

}  // namespace

void bind_ids(py::module_& m) {
  py::class_<FrameId>(m, "FrameID", R"doc(
A frame's identity: 128 bits in the UUIDv7 layout (RFC 9562 §5.7): 48-bit Unix milliseconds, a
12-bit monotonic counter, 62 random bits. Ids generated in one process are strictly increasing, so
sorting ids (or their text) sorts by time. When a frame starts its own trace, its trace id IS its
FrameID (``frame_id.trace_id``). Immutable and hashable.

``str(id)`` is the lowercase canonical form ``xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx`` (36 characters).
)doc")
      .def(py::init(&parse_id), py::arg("text"),
           "Same as FrameID.parse(text). Raises ValueError when the text is not a UUIDv7.")
      .def_static("generate", &FrameId::generate,
                  "A new id from the process-wide generator (system clock). Thread-safe; each id is strictly "
                  "greater than every id generated before it in this process.")
      .def_static("parse", &parse_id, py::arg("text"), R"doc(
Parses the canonical form (8-4-4-4-12 hex digits) or 32 hex digits without dashes, any letter case.
Raises ValueError naming the broken rule (length, dash position, non-hex character at an index,
version 7, variant 0b10).)doc")
      .def_static(
          "from_trace_id",
          [](std::string_view hex) -> std::optional<FrameId> {
            auto trace_id = TraceId::from_hex(hex);
            if (!trace_id) throw py::value_error("trace_id: expected 32 hex characters, got '" + std::string(hex) + "'");
            return FrameId::from_trace_id(*trace_id);
          },
          py::arg("trace_id"),
          "The FrameID whose trace id is `trace_id` (32 hex characters), or None when that trace id is not a "
          "UUIDv7 (a trace not started by a frame). Raises ValueError for text that is not 32 hex characters.")
      .def("__str__", &FrameId::to_string)
      .def("__repr__", [](const FrameId& id) { return "FrameID('" + id.to_string() + "')"; })
      .def_property_readonly(
          "trace_id", [](const FrameId& id) { return id.to_trace_id().to_hex(); },
          "The frame's trace id: the same 16 bytes as 32 lowercase hex characters (no dashes).")
      .def_property_readonly("unix_ms", &FrameId::unix_ms, "Generation time, Unix milliseconds (bits 0..47).")
      .def_property_readonly("counter", &FrameId::counter,
                             "The 12-bit monotonic counter within unix_ms (0 for the first id of a millisecond).")
      .def_property_readonly("version", &FrameId::version, "The 4-bit version field (7).")
      .def_property_readonly(
          "bytes",
          [](const FrameId& id) {
            return py::bytes(reinterpret_cast<const char*>(id.bytes().data()), FrameId::kSize);
          },
          "The 16 bytes, big-endian.")
      .def("is_valid", &FrameId::is_valid, "True for a UUIDv7 with the RFC 9562 variant (never for the nil id).")
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self)
      .def("__hash__", [](const FrameId& id) { return std::hash<FrameId>{}(id); })
      .def(py::pickle([](const FrameId& id) { return id.to_string(); },
                      [](const std::string& text) { return parse_id(text); }));

  py::class_<FrameMetadata>(m, "FrameMetadata", R"doc(
What every hop knows about a frame; travels with it as compact JSON (``to_json``/``from_json``).

Fields: frame_id (FrameID), camera_id (str), sequence (int, per camera from 0),
capture_time_unix_ns (int, wall-clock capture time in ns since the Unix epoch), pts (int or None,
presentation timestamp in stream time-base units), width and height (int, pixels), format (str, codec
or pixel format), size_bytes (int, bytes), traceparent and tracestate (str, W3C context of the frame's
current span), attributes (dict[str, str]; reading returns a copy, assign a whole dict to change it),
schema_version (int, read-only) and unknown_fields (str, read-only: JSON object of fields this
library does not know, written back by to_json).
)doc")
      .def(py::init([](const py::object& frame_id, std::string camera_id, std::uint64_t sequence,
                       std::int64_t capture_time_unix_ns, std::optional<std::int64_t> pts, std::uint32_t width,
                       std::uint32_t height, std::string format, std::uint64_t size_bytes, std::string traceparent,
                       std::string tracestate, std::map<std::string, std::string> attributes) {
             FrameMetadata meta;
             meta.frame_id = frame_id.is_none() ? FrameId::generate() : frame_id_of(frame_id);
             meta.camera_id = std::move(camera_id);
             meta.sequence = sequence;
             meta.capture_time_unix_ns = capture_time_unix_ns;
             meta.pts = pts;
             meta.width = width;
             meta.height = height;
             meta.format = std::move(format);
             meta.size_bytes = size_bytes;
             meta.traceparent = std::move(traceparent);
             meta.tracestate = std::move(tracestate);
             meta.attributes = std::move(attributes);
             return meta;
           }),
           py::kw_only(), py::arg("frame_id") = py::none(), py::arg("camera_id") = "", py::arg("sequence") = 0,
           py::arg("capture_time_unix_ns") = 0, py::arg("pts") = py::none(), py::arg("width") = 0,
           py::arg("height") = 0, py::arg("format") = "", py::arg("size_bytes") = 0, py::arg("traceparent") = "",
           py::arg("tracestate") = "", py::arg("attributes") = std::map<std::string, std::string>{},
           "Keyword arguments only. frame_id: a FrameID or its text (ValueError if it does not parse); None "
           "generates a new one. Negative values for unsigned fields raise TypeError.")
      .def_static(
          "from_json",
          [](std::string_view json) {
            auto parsed = FrameMetadata::from_json(json);
            if (!parsed) raise_value_error(parsed.error());
            return std::move(*parsed);
          },
          py::arg("json"), R"doc(
Parses the JSON form. Raises ValueError naming the field and the rule, e.g.
"camera_id: required field is missing", "sequence: expected unsigned integer, got string",
"schema_version: 2 is newer than the supported 1", or malformed JSON with the byte offset.)doc")
      .def("to_json", &FrameMetadata::to_json,
           "Compact JSON, fields in the documented order then the unknown fields; equal records give equal text.")
      .def_property(
          "frame_id", [](const FrameMetadata& meta) { return meta.frame_id; },
          [](FrameMetadata& meta, const py::object& value) { meta.frame_id = frame_id_of(value); })
      .def_readwrite("camera_id", &FrameMetadata::camera_id)
      .def_readwrite("sequence", &FrameMetadata::sequence)
      .def_readwrite("capture_time_unix_ns", &FrameMetadata::capture_time_unix_ns)
      .def_readwrite("pts", &FrameMetadata::pts)
      .def_readwrite("width", &FrameMetadata::width)
      .def_readwrite("height", &FrameMetadata::height)
      .def_readwrite("format", &FrameMetadata::format)
      .def_readwrite("size_bytes", &FrameMetadata::size_bytes)
      .def_readwrite("traceparent", &FrameMetadata::traceparent)
      .def_readwrite("tracestate", &FrameMetadata::tracestate)
      .def_readwrite("attributes", &FrameMetadata::attributes)
      .def_readonly("schema_version", &FrameMetadata::schema_version)
      .def_readonly("unknown_fields", &FrameMetadata::unknown_fields)
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__repr__", [](const FrameMetadata& meta) { return "FrameMetadata.from_json('" + meta.to_json() + "')"; })
      .def(py::pickle([](const FrameMetadata& meta) { return meta.to_json(); },
                      [](const std::string& json) {
                        auto parsed = FrameMetadata::from_json(json);
                        if (!parsed) raise_value_error(parsed.error());
                        return std::move(*parsed);
                      }));
  m.attr("FRAME_METADATA_SCHEMA_VERSION") = FrameMetadata::kSchemaVersion;
}

}  // namespace frame_tracking::python
