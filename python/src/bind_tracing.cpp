// SPDX-License-Identifier: Apache-2.0
// Python bindings of TracerProvider (OTEL_* + OTLP, in-memory, disabled), Tracer, Span, FrameTracker and Frame.
#include "bindings.hpp"

#include "frame_tracking/config.hpp"
#if FRAME_TRACKING_PY_HAS_OTLP
#include "frame_tracking/otlp/otlp_tracer_provider.hpp"
#endif
#include "frame_tracking/simple_span_processor.hpp"

#include <pybind11/stl.h>

#include <chrono>
#include <stdexcept>

namespace frame_tracking::python {

SpanContext span_context_arg(const py::handle& value) {
  if (py::isinstance<Context>(value)) return value.cast<const Context&>().span_context;
  if (py::isinstance<SpanContext>(value)) return value.cast<SpanContext>();
  if (py::isinstance<PySpan>(value)) return value.cast<const PySpan&>().span.context();
  if (py::isinstance<PyFrame>(value)) return value.cast<const PyFrame&>().frame.context().span_context;
  throw py::type_error("expected TraceContext, SpanContext, Span or Frame, got " +
                       py::str(py::type::of(value).attr("__name__")).cast<std::string>());
}

ProviderOwner::~ProviderOwner() {
  if (provider && Py_IsInitialized() != 0 && PyGILState_Check() != 0) {
    py::gil_scoped_release release;  // shutdown joins the export thread (≤ 5 s)
    provider.reset();
  }
}

namespace {

std::chrono::microseconds seconds_arg(double seconds) {
  if (!(seconds >= 0)) throw py::value_error("timeout: expected seconds ≥ 0");
  return std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
}

std::vector<Attribute> resource_overrides(const std::optional<std::string>& service_name, const py::object& attributes) {
  std::vector<Attribute> out;
  if (!attributes.is_none()) {
    Attributes converted(attributes);
    for (const auto& view : converted.views()) out.push_back({std::string(view.key), to_owned(view.value)});
  }
  if (service_name) out.push_back({"service.name", *service_name});
  return out;
}

ProviderRef own(std::unique_ptr<TracerProvider> provider, std::shared_ptr<InMemorySpanStore> memory = nullptr) {
  auto owner = std::make_shared<ProviderOwner>();
  owner->provider = std::move(provider);
  owner->memory = std::move(memory);
  return owner;
}

/// Links from a list of contexts (see span_context_arg); the contexts are kept for the call.
struct Links {
  explicit Links(const py::object& list) {
    if (list.is_none()) return;
    for (const auto& item : list) contexts.push_back(span_context_arg(item));
    for (const auto& context : contexts) links.push_back(Link{&context, {}});
  }
  std::vector<SpanContext> contexts;
  std::vector<Link> links;
};

std::string exception_type_name(const py::handle& type) {
  return py::str(type.attr("__qualname__")).cast<std::string>();
}

/// Records a Python exception on `span`: the OTel "exception" event (exception.type is the
/// module-qualified class name, exception.message is str(exc)) and status ERROR "<Type>: <message>".
void record_error(Span& span, const py::handle& type, const py::handle& value) {
  const std::string name = exception_type_name(type);
  const std::string module = py::str(type.attr("__module__")).cast<std::string>();
  const std::string message = py::str(value).cast<std::string>();
  span.record_exception(module == "builtins" ? name : module + "." + name, message);
  span.set_status(StatusCode::kError, message.empty() ? name : name + ": " + message);
}

py::dict span_dict(const SpanData& data) {
  py::dict attributes;
  for (const auto& a : data.attributes()) attributes[py::str(a.key.data(), a.key.size())] = to_python(a.value);
  py::list events;
  for (const auto& e : data.events()) {
    py::dict event_attributes;
    for (const auto& a : e.attributes) event_attributes[py::str(a.key.data(), a.key.size())] = to_python(a.value);
    events.append(py::dict(py::arg("name") = py::str(e.name.data(), e.name.size()),
                           py::arg("time_unix_ns") = e.time_unix_ns, py::arg("attributes") = event_attributes));
  }
  py::list links;
  for (const auto& l : data.links())
    links.append(py::dict(py::arg("trace_id") = l.trace_id.to_hex(), py::arg("span_id") = l.span_id.to_hex()));
  py::dict out;
  out["name"] = py::str(data.name().data(), data.name().size());
  out["trace_id"] = data.context.trace_id.to_hex();
  out["span_id"] = data.context.span_id.to_hex();
  out["parent_span_id"] = data.parent_span_id.is_valid() ? py::object(py::str(data.parent_span_id.to_hex())) : py::none();
  out["parent_is_remote"] = data.parent_is_remote;
  out["trace_flags"] = data.context.trace_flags.value;
  out["kind"] = data.kind;
  out["status_code"] = data.status_code;
  out["status_message"] = py::str(data.status_message().data(), data.status_message().size());
  out["start_time_unix_ns"] = data.start_time_unix_ns;
  out["end_time_unix_ns"] = data.end_time_unix_ns;
  out["attributes"] = attributes;
  out["events"] = events;
  out["links"] = links;
  return out;
}

py::dict stats_dict(const TracingStats& s) {
  py::dict out;
  out["spans_started"] = s.spans_started;
  out["spans_ended"] = s.spans_ended;
  out["pool_heap_fallbacks"] = s.pool_heap_fallbacks;
  out["spans_exported"] = s.spans_exported;
  out["export_failures"] = s.export_failures;
  out["dropped_queue_full"] = s.dropped_queue_full;
  out["dropped_export_failed"] = s.dropped_export_failed;
  out["dropped_pool_exhausted"] = s.dropped_pool_exhausted;
  out["dropped_shutdown"] = s.dropped_shutdown;
  out["queue_size"] = s.queue_size;
  out["queue_capacity"] = s.queue_capacity;
  return out;
}

PySpan start_span(const PyTracer& self, std::string_view name, SpanKind kind, const py::object& parent,
                  const py::object& attributes, const py::object& links, std::uint64_t start_time_unix_ns) {
  Attributes attrs(attributes);
  Links link_list(links);
  Context parent_context;
  StartSpanOptions options{.kind = kind, .attributes = attrs.views(), .links = link_list.links,
                           .start_time_unix_ns = start_time_unix_ns};
  if (parent.is_none()) {
    options.new_root = true;
  } else {
    parent_context.span_context = span_context_arg(parent);
    options.parent = &parent_context;
  }
  return PySpan{self.owner, self.tracer.start_span(name, options)};
}

constexpr const char* kSpanExitDoc =
    "Ends the span. An exception leaving the block is recorded (\"exception\" event, status ERROR "
    "\"<Type>: <message>\") and re-raised.";

}  // namespace

void bind_tracing(py::module_& m) {
  py::enum_<SpanKind>(m, "SpanKind", "OTel span kind (values are OTLP's).")
      .value("INTERNAL", SpanKind::kInternal)
      .value("SERVER", SpanKind::kServer)
      .value("CLIENT", SpanKind::kClient)
      .value("PRODUCER", SpanKind::kProducer)
      .value("CONSUMER", SpanKind::kConsumer);
  py::enum_<StatusCode>(m, "StatusCode", "OTel span status code (values are OTLP's).")
      .value("UNSET", StatusCode::kUnset)
      .value("OK", StatusCode::kOk)
      .value("ERROR", StatusCode::kError);

  py::class_<PySpan>(m, "Span", R"doc(
A started span (OpenTelemetry Span). Use it as a context manager (``with tracer.start_span(...) as
span:``) or call end(). Every method is cheap and never blocks; a span that is not recording
(sampled out, SDK disabled, already ended) ignores them but still has a context to propagate.
Times are Unix nanoseconds. Use one span from one thread at a time.)doc")
      .def_property_readonly("context", [](const PySpan& s) { return s.span.context(); }, "The span's SpanContext.")
      .def("is_recording", [](const PySpan& s) { return s.span.is_recording(); })
      .def(
          "set_attribute",
          [](PySpan& s, std::string key, const py::handle& value) {
            Attributes attrs;
            attrs.add(std::move(key), value);
            s.span.set_attributes(attrs.views());
          },
          py::arg("key"), py::arg("value"),
          "Sets one attribute: bool, int (int64), float, str or a list of one of those (TypeError otherwise).")
      .def(
          "set_attributes", [](PySpan& s, const py::object& attributes) { s.span.set_attributes(Attributes(attributes).views()); },
          py::arg("attributes"), "Sets every key of a mapping (values as in set_attribute).")
      .def(
          "add_event",
          [](PySpan& s, std::string_view name, const py::object& attributes, std::optional<std::uint64_t> time_unix_ns) {
            Attributes attrs(attributes);
            s.span.add_event(name, attrs.views(), time_unix_ns);
          },
          py::arg("name"), py::arg("attributes") = py::none(), py::arg("time_unix_ns") = py::none(),
          "Adds an event at time_unix_ns (default: now).")
      .def(
          "set_status", [](PySpan& s, StatusCode code, std::string_view description) { s.span.set_status(code, description); },
          py::arg("code"), py::arg("description") = "",
          "Sets the status: UNSET is ignored, OK is final, the description is kept only for ERROR.")
      .def(
          "record_exception",
          [](PySpan& s, const py::handle& exception) {
            s.span.record_exception(exception_type_name(py::type::of(exception)), py::str(exception).cast<std::string>());
          },
          py::arg("exception"), "Adds the OTel \"exception\" event for a Python exception (does not change the status).")
      .def(
          "update_name", [](PySpan& s, std::string_view name) { s.span.update_name(name); }, py::arg("name"))
      .def(
          "end", [](PySpan& s, std::optional<std::uint64_t> end_time_unix_ns) { s.span.end(end_time_unix_ns); },
          py::arg("end_time_unix_ns") = py::none(), "Ends the span (later calls do nothing).")
      .def("__enter__", [](PySpan& s) -> PySpan& { return s; }, py::return_value_policy::reference)
      .def(
          "__exit__",
          [](PySpan& s, const py::handle& type, const py::handle& value, const py::handle&) {
            if (!type.is_none()) record_error(s.span, type, value);
            s.span.end();
            return false;
          },
          kSpanExitDoc);

  py::class_<PyTracer>(m, "Tracer", "Starts spans for one instrumentation scope. Thread-safe; keeps its provider alive.")
      .def("start_span", &start_span, py::arg("name"), py::kw_only(), py::arg("kind") = SpanKind::kInternal,
           py::arg("parent") = py::none(), py::arg("attributes") = py::none(), py::arg("links") = py::none(),
           py::arg("start_time_unix_ns") = 0, R"doc(
Starts a span. parent: TraceContext, SpanContext, Span or Frame; None (or an invalid context) starts a
new trace. attributes: mapping (values as in Span.set_attribute). links: list of contexts.
start_time_unix_ns: 0 = now. Never blocks.)doc")
      .def_property_readonly("enabled", [](const PyTracer& t) { return t.tracer.enabled(); },
                             "False when spans can only be non-recording (SDK disabled or provider shut down).");

  py::class_<ProviderOwner, ProviderRef>(m, "TracerProvider", R"doc(
The tracing SDK entry point (OpenTelemetry TracerProvider). Thread-safe. Spans are queued without
blocking and exported by a C++ thread; nothing here needs the GIL while exporting. Use it as a
context manager, or call shutdown() before exit to flush what is queued.)doc")
      .def_static(
          "from_env",
          [](const std::optional<std::string>& service_name, const py::object& resource_attributes) {
            auto overrides = resource_overrides(service_name, resource_attributes);
            py::gil_scoped_release release;
#if FRAME_TRACKING_PY_HAS_OTLP
            return own(otlp::create_otlp_tracer_provider_from_env(process_environment(), std::move(overrides)));
#else
            return own(create_tracer_provider_from_env(process_environment(), {}, std::move(overrides)));
#endif
          },
          py::arg("service_name") = py::none(), py::arg("resource_attributes") = py::none(), R"doc(
A provider configured from the OTEL_* environment exactly as the C++ library is: OTEL_SDK_DISABLED,
OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG), OTEL_BSP_*,
OTEL_TRACES_EXPORTER (default otlp), OTEL_EXPORTER_OTLP_* (endpoint, protocol http/protobuf or
http/json, headers, timeout, compression). service_name and resource_attributes override the
environment. Bad values are reported once on stderr with the variable name and the default is used.)doc")
      .def_static(
          "in_memory",
          [](const std::optional<std::string>& service_name, const py::object& resource_attributes) {
            auto store = std::make_shared<InMemorySpanStore>();
            TracerProviderOptions options;
            options.resource = Resource::create(resource_overrides(service_name, resource_attributes));
            options.processors.push_back(
                std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
            return own(std::make_unique<TracerProvider>(std::move(options)), store);
          },
          py::arg("service_name") = py::none(), py::arg("resource_attributes") = py::none(),
          "A provider that keeps every ended span in memory (read them with finished_spans()); for tests.")
      .def_static("disabled", [] { return own(TracerProvider::create_disabled()); },
                  "A no-op provider: spans only carry their parent's context.")
      .def(
          "get_tracer",
          [](const ProviderRef& self, std::string_view name, std::string_view version) {
            return PyTracer{self, self->provider->get_tracer(name, version)};
          },
          py::arg("name") = "frame_tracking", py::arg("version") = "", "The tracer of one instrumentation scope.")
      .def(
          "force_flush",
          [](const ProviderRef& self, double timeout) {
            auto limit = seconds_arg(timeout);
            py::gil_scoped_release release;
            return self->provider->force_flush(limit);
          },
          py::arg("timeout") = 30.0,
          "Exports every queued span; waits at most `timeout` seconds (the GIL is released). False on timeout.")
      .def(
          "shutdown",
          [](const ProviderRef& self, double timeout) {
            auto limit = seconds_arg(timeout);
            py::gil_scoped_release release;
            return self->provider->shutdown(limit);
          },
          py::arg("timeout") = 30.0, R"doc(
Flushes and stops the exporters within `timeout` seconds (the GIL is released); afterwards spans are
non-recording. Only the first call does the work. False on timeout or export failure.)doc")
      .def_property_readonly("enabled", [](const ProviderRef& self) { return self->provider->enabled(); })
      .def_property_readonly(
          "resource",
          [](const ProviderRef& self) {
            py::dict out;
            for (const auto& a : self->provider->resource().attributes())
              out[py::str(a.key)] = std::visit([](const auto& v) { return py::cast(v); }, a.value);
            return out;
          },
          "The resource attributes of every span (a copy).")
      .def(
          "stats", [](const ProviderRef& self) { return stats_dict(self->provider->collect()); },
          "Self-metrics: spans started/ended/exported, export failures, drops by reason, queue size and capacity.")
      .def(
          "finished_spans",
          [](const ProviderRef& self, bool clear) {
            if (!self->memory) throw std::runtime_error("finished_spans: only a TracerProvider.in_memory() keeps spans");
            py::list out;
            for (const auto& span : clear ? self->memory->take() : self->memory->spans()) out.append(span_dict(*span));
            return out;
          },
          py::arg("clear") = false, R"doc(
In-memory provider only (RuntimeError otherwise): the ended spans in end order, as dicts with name,
trace_id, span_id, parent_span_id (None for a root), parent_is_remote, trace_flags, kind, status_code,
status_message, start_time_unix_ns, end_time_unix_ns, attributes, events, links. clear=True empties the store.)doc")
      .def("__enter__", [](const ProviderRef& self) { return self; })
      .def("__exit__", [](const ProviderRef& self, const py::handle&, const py::handle&, const py::handle&) {
        {
          py::gil_scoped_release release;
          self->provider->shutdown(std::chrono::seconds(30));
        }
        return false;
      });

  py::class_<PyFrame>(m, "Frame", R"doc(
One frame's journey in this process: its metadata and its main span (``capture_frame`` where it was
captured, the continued span such as ``process frames`` elsewhere). A context manager: leaving the
block ends the main span; an exception leaving it is recorded (status ERROR) and re-raised.)doc")
      .def_property_readonly("metadata", [](const PyFrame& f) { return f.frame.metadata(); },
                             "A copy of the metadata; traceparent/tracestate hold the main span's context.")
      .def_property_readonly("frame_id", [](const PyFrame& f) { return f.frame.metadata().frame_id; })
      .def_property_readonly("context", [](const PyFrame& f) { return f.frame.context(); },
                             "The main span's TraceContext (parent for work done by hand, or inject()).")
      .def_property_readonly("span_context", [](const PyFrame& f) { return f.frame.context().span_context; })
      .def(
          "stage",
          [](const PyFrame& f, std::string_view name, SpanKind kind, const py::object& attributes, const py::object& links) {
            Attributes attrs(attributes);
            Links link_list(links);
            return PySpan{f.owner, f.frame.stage(name, kind, attrs.views(), link_list.links)};
          },
          py::arg("name"), py::kw_only(), py::arg("kind") = SpanKind::kInternal, py::arg("attributes") = py::none(),
          py::arg("links") = py::none(),
          "A child span of the main span with the frame attributes (frame.id, camera.id, frame.sequence, ...) and "
          "`attributes`; use it as a context manager: ``with frame.stage(\"detect\"):``.")
      .def(
          "metadata_for", [](const PyFrame& f, const PySpan& span) { return f.frame.metadata_for(span.span); },
          py::arg("span"), "The metadata to send on the next hop from `span`: a copy carrying that span's context.")
      .def(
          "set_attribute",
          [](PyFrame& f, std::string key, const py::handle& value) {
            Attributes attrs;
            attrs.add(std::move(key), value);
            f.frame.span().set_attributes(attrs.views());
          },
          py::arg("key"), py::arg("value"), "Sets an attribute on the main span (values as in Span.set_attribute).")
      .def(
          "add_event",
          [](PyFrame& f, std::string_view name, const py::object& attributes) {
            Attributes attrs(attributes);
            f.frame.span().add_event(name, attrs.views());
          },
          py::arg("name"), py::arg("attributes") = py::none(), "Adds an event to the main span.")
      .def(
          "drop", [](PyFrame& f, std::string_view reason) { f.frame.drop(reason); }, py::arg("reason"),
          "Ends the journey: a frame.dropped event with frame.drop_reason, status ERROR \"frame dropped: <reason>\", "
          "then the main span ends.")
      .def("is_recording", [](PyFrame& f) { return f.frame.span().is_recording(); }, "True until the main span ends (if sampled).")
      .def(
          "end", [](PyFrame& f, std::optional<std::uint64_t> end_time_unix_ns) { f.frame.end(end_time_unix_ns); },
          py::arg("end_time_unix_ns") = py::none(), "Ends the main span (later calls do nothing).")
      .def("__enter__", [](PyFrame& f) -> PyFrame& { return f; }, py::return_value_policy::reference)
      .def(
          "__exit__",
          [](PyFrame& f, const py::handle& type, const py::handle& value, const py::handle&) {
            if (!type.is_none()) record_error(f.frame.span(), type, value);
            f.frame.end();
            return false;
          },
          kSpanExitDoc);

  py::class_<PyFrameTracker>(m, "FrameTracker", R"doc(
Creates and continues frames (the domain API). Thread-safe; keeps its provider alive.)doc")
      .def(py::init([](const PyTracer& tracer) { return PyFrameTracker{tracer.owner, FrameTracker(tracer.tracer)}; }),
           py::arg("tracer"))
      .def(py::init([](const ProviderRef& provider) {
             return PyFrameTracker{provider, FrameTracker(provider->provider->get_tracer("frame_tracking"))};
           }),
           py::arg("provider"), "Uses provider.get_tracer(\"frame_tracking\").")
      .def(
          "begin_frame",
          [](const PyFrameTracker& self, std::string_view camera_id, std::uint64_t sequence, std::uint32_t width,
             std::uint32_t height, std::uint64_t size_bytes, std::optional<std::int64_t> pts, std::string_view format,
             std::int64_t capture_time_unix_ns, const py::object& attributes) {
            Attributes attrs(attributes);
            FrameInfo info{.camera_id = camera_id, .sequence = sequence, .width = width, .height = height,
                           .size_bytes = size_bytes, .pts = pts, .format = format,
                           .capture_time_unix_ns = capture_time_unix_ns};
            return PyFrame{self.owner, self.tracker.begin_frame(info, attrs.views())};
          },
          py::arg("camera_id"), py::kw_only(), py::arg("sequence") = 0, py::arg("width") = 0, py::arg("height") = 0,
          py::arg("size_bytes") = 0, py::arg("pts") = py::none(), py::arg("format") = "",
          py::arg("capture_time_unix_ns") = 0, py::arg("attributes") = py::none(), R"doc(
Starts a frame: a new FrameID, its metadata, and the root span ``capture_frame`` of a new trace whose
trace id IS the FrameID. width/height in pixels, size_bytes in bytes, pts in stream time-base units,
capture_time_unix_ns in ns since the Unix epoch (0 = now; also the span's start time when given).)doc")
      .def(
          "continue_frame",
          [](const PyFrameTracker& self, const FrameMetadata& metadata, std::string_view span_name, SpanKind kind,
             const py::object& links, const py::object& attributes) {
            Attributes attrs(attributes);
            Links link_list(links);
            return PyFrame{self.owner, self.tracker.continue_frame(metadata, span_name, kind, link_list.links, attrs.views())};
          },
          py::arg("metadata"), py::arg("span_name"), py::kw_only(), py::arg("kind") = SpanKind::kConsumer,
          py::arg("links") = py::none(), py::arg("attributes") = py::none(), R"doc(
Resumes a frame from the metadata it travelled with: span `span_name` (default kind CONSUMER) is a
child of metadata.traceparent/tracestate (remote parent). A missing or invalid traceparent starts a
new trace whose trace id is the FrameID.)doc")
      .def_static("context_of", &FrameTracker::context_of, py::arg("metadata"),
                  "The SpanContext carried in the metadata, or None when its traceparent is missing or invalid.")
      .def_property_readonly("tracer", [](const PyFrameTracker& self) { return PyTracer{self.owner, self.tracker.tracer()}; });
}

}  // namespace frame_tracking::python
