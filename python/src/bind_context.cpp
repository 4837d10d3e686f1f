// SPDX-License-Identifier: Apache-2.0
// Python bindings of SpanContext, TraceContext (Context + baggage) and W3C inject/extract over dict carriers.
#include "bindings.hpp"

#include "frame_tracking/context.hpp"
#include "frame_tracking/message_headers_carrier.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traceparent.hpp"

#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>

namespace frame_tracking::python {
namespace {

SpanContext make_span_context(std::string_view trace_id, std::string_view span_id, std::uint8_t trace_flags,
                              std::string_view trace_state, bool remote) {
  SpanContext context;
  auto tid = TraceId::from_hex(trace_id);
  if (!tid) throw py::value_error("trace_id: expected 32 hex characters, got '" + std::string(trace_id) + "'");
  auto sid = SpanId::from_hex(span_id);
  if (!sid) throw py::value_error("span_id: expected 16 hex characters, got '" + std::string(span_id) + "'");
  context.trace_id = *tid;
  context.span_id = *sid;
  context.trace_flags.value = trace_flags;
  if (!trace_state.empty()) {
    std::string error;
    auto state = TraceState::parse(trace_state, &error);
    if (!state) throw py::value_error(error);
    context.trace_state = std::move(*state);
  }
  context.remote = remote;
  return context;
}

std::string traceparent_of(const SpanContext& context) {
  return context.is_valid() ? format_traceparent(context) : std::string();
}

Baggage baggage_of(const std::map<std::string, std::string>& entries) {
  Baggage baggage;
  for (const auto& [key, value] : entries)
    if (!baggage.set(key, value)) throw py::value_error("baggage: key '" + key + "' is not an RFC 7230 token");
  return baggage;
}

std::map<std::string, std::string> dict_of(const Baggage& baggage) {
  std::map<std::string, std::string> out;
  for (const auto& entry : baggage.entries()) out.emplace(entry.key, entry.value);
  return out;
}

std::string text_of(const py::handle& value) {
  if (py::isinstance<py::bytes>(value)) return value.cast<std::string>();
  return value.cast<std::string>();
}

/// The carrier's entries as message headers: str/bytes keys and values are text (bytes must be
/// UTF-8 for keys); any other value type is a non-text header (it invalidates a traceparent of
/// that name, as a binary AMQP header does).
MessageHeaders headers_of(const py::handle& carrier) {
  MessageHeaders headers;
  py::object items = carrier.attr("items")();
  for (const auto& item : items) {
    auto pair = item.cast<py::tuple>();
    MessageHeader header;
    if (!py::isinstance<py::str>(pair[0]) && !py::isinstance<py::bytes>(pair[0])) continue;
    header.name = text_of(pair[0]);
    if (py::isinstance<py::str>(pair[1]) || py::isinstance<py::bytes>(pair[1])) {
      header.value = text_of(pair[1]);
    } else {
      header.type = HeaderType::kOther;
    }
    headers.push_back(std::move(header));
  }
  return headers;
}

/// The context of an inject() argument: TraceContext, SpanContext, or anything with a
/// `context` attribute holding one of those (Span, Frame).
Context context_arg(const py::handle& value) {
  if (py::isinstance<Context>(value)) return value.cast<Context>();
  if (py::isinstance<SpanContext>(value)) return Context{value.cast<SpanContext>(), {}};
  if (py::hasattr(value, "context")) return context_arg(value.attr("context"));
  throw py::type_error("context: expected TraceContext, SpanContext, Span or Frame");
}

/// A TextMapPropagator chosen by OTEL_PROPAGATORS-style names.
struct PyPropagator {
  std::shared_ptr<TextMapPropagator> propagator;
};

PyPropagator make_propagator(const std::optional<std::string>& names) {
  auto made = names ? propagator_from_names(*names) : propagator_from_env();
  if (!made) raise_value_error(made.error());
  return PyPropagator{std::shared_ptr<TextMapPropagator>(std::move(*made))};
}

const PyPropagator& default_propagator() {
  static std::once_flag once;
  static std::optional<PyPropagator> made;
  static std::optional<Error> error;
  std::call_once(once, [] {
    auto result = propagator_from_env();
    if (result) made = PyPropagator{std::shared_ptr<TextMapPropagator>(std::move(*result))};
    else error = result.error();
  });
  if (error) raise_value_error(*error);
  return *made;
}

void inject_into(const PyPropagator& propagator, const py::handle& context, py::object carrier) {
  std::map<std::string, std::string> fields;
  MapCarrier map(fields);
  propagator.propagator->inject(context_arg(context), map);
  for (const auto& [key, value] : fields) carrier[py::str(key)] = py::str(value);
}

Context extract_from(const PyPropagator& propagator, const py::handle& carrier) {
  const MessageHeaders headers = headers_of(carrier);
  const MessageHeadersCarrier reader(headers);
  return propagator.propagator->extract(reader, Context{});
}

constexpr const char* kInjectDoc = R"doc(
Writes the W3C fields of `context` (TraceContext, SpanContext, Span or Frame) into `carrier`, any
mutable mapping (dict of HTTP headers, redis-py XADD fields, pika/kombu message headers):
``traceparent`` (version 00), ``tracestate`` when non-empty, ``baggage`` when non-empty. Existing
keys of those names are replaced. Nothing is written for an invalid context.)doc";

constexpr const char* kExtractDoc = R"doc(
Reads the W3C fields from `carrier` (any mapping; keys are matched exactly, so use the lowercase
names; str and bytes values are text, other value types make that field invalid). Returns the
context with remote=True, or an invalid TraceContext when traceparent is missing, repeated or
breaks the W3C grammar (start a new trace then). A bad tracestate is dropped whole; a bad baggage
header is ignored. Never raises on bad carrier content.)doc";

}  // namespace

void bind_context(py::module_& m) {
  py::class_<SpanContext>(m, "SpanContext", R"doc(
The identity of a span as it propagates (W3C Trace Context): trace_id (32 lowercase hex characters),
span_id (16 lowercase hex characters), trace_flags (int: bit 0 sampled, bit 1 random), trace_state
(W3C tracestate header form) and whether it came from another process. Immutable value.)doc")
      .def(py::init(&make_span_context), py::arg("trace_id"), py::arg("span_id"), py::arg("trace_flags") = 1,
           py::arg("trace_state") = "", py::arg("remote") = false,
           "Raises ValueError for ids that are not 32/16 hex characters or a tracestate that breaks the W3C grammar.")
      .def_static(
          "from_traceparent",
          [](std::string_view traceparent, std::string_view tracestate) {
            auto parsed = parse_traceparent(traceparent);
            if (!parsed) raise_value_error(parsed.error());
            SpanContext context = std::move(*parsed);
            if (!tracestate.empty()) {
              if (auto state = TraceState::parse(tracestate)) context.trace_state = std::move(*state);
            }
            return context;
          },
          py::arg("traceparent"), py::arg("tracestate") = "",
          "Parses a traceparent header value (remote=True). Raises ValueError \"traceparent: <rule>\"; an invalid "
          "tracestate is dropped (W3C).")
      .def_property_readonly("trace_id", [](const SpanContext& c) { return c.trace_id.to_hex(); })
      .def_property_readonly("span_id", [](const SpanContext& c) { return c.span_id.to_hex(); })
      .def_property_readonly("trace_flags", [](const SpanContext& c) { return c.trace_flags.value; })
      .def_property_readonly("trace_state", [](const SpanContext& c) { return c.trace_state.header(); })
      .def_property_readonly("is_remote", &SpanContext::is_remote)
      .def_property_readonly("is_sampled", &SpanContext::is_sampled)
      .def_property_readonly("traceparent", &traceparent_of,
                             "The version-00 traceparent header value (55 characters); \"\" when invalid.")
      .def("is_valid", &SpanContext::is_valid, "True when both ids are non-zero.")
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__repr__", [](const SpanContext& c) {
        return "SpanContext(trace_id='" + c.trace_id.to_hex() + "', span_id='" + c.span_id.to_hex() +
               "', trace_flags=" + std::to_string(c.trace_flags.value) + ", trace_state='" + c.trace_state.header() +
               "', remote=" + (c.remote ? "True" : "False") + ")";
      });

  py::class_<Context>(m, "TraceContext", R"doc(
The propagated state of one unit of work: its span context and its W3C baggage. Immutable value;
what extract() returns and what Frame.context gives.)doc")
      .def(py::init([](const std::optional<SpanContext>& span_context,
                       const std::optional<std::map<std::string, std::string>>& baggage) {
             return Context{span_context.value_or(SpanContext{}), baggage ? baggage_of(*baggage) : Baggage{}};
           }),
           py::arg("span_context") = py::none(), py::arg("baggage") = py::none(),
           "Raises ValueError for a baggage key that is not an RFC 7230 token.")
      .def_readonly("span_context", &Context::span_context)
      .def_property_readonly("baggage", [](const Context& c) { return dict_of(c.baggage); },
                             "Baggage values by key (a copy; values decoded).")
      .def_property_readonly("trace_id", [](const Context& c) { return c.span_context.trace_id.to_hex(); },
                             "32 lowercase hex characters (all zero when invalid).")
      .def_property_readonly("span_id", [](const Context& c) { return c.span_context.span_id.to_hex(); },
                             "16 lowercase hex characters (all zero when invalid).")
      .def_property_readonly("traceparent", [](const Context& c) { return traceparent_of(c.span_context); })
      .def("is_valid", [](const Context& c) { return c.span_context.is_valid(); })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__repr__", [](const Context& c) {
        return "TraceContext(traceparent='" + traceparent_of(c.span_context) + "', baggage='" + c.baggage.to_header() +
               "')";
      });

  py::class_<PyPropagator>(m, "Propagator", R"doc(
The W3C propagators named like OTEL_PROPAGATORS: a comma list of ``tracecontext`` and ``baggage``, or
``none``. Thread-safe.)doc")
      .def(py::init(&make_propagator), py::arg("names") = py::none(),
           "names None reads OTEL_PROPAGATORS (default \"tracecontext,baggage\"). Raises ValueError for an "
           "unsupported name.")
      .def("inject", &inject_into, py::arg("context"), py::arg("carrier"), kInjectDoc)
      .def("extract", &extract_from, py::arg("carrier"), kExtractDoc)
      .def_property_readonly("fields", [](const PyPropagator& p) {
        std::vector<std::string> out;
        for (auto f : p.propagator->fields()) out.emplace_back(f);
        return out;
      });

  static const std::string inject_doc =
      std::string(kInjectDoc) + "\nUses the propagators of OTEL_PROPAGATORS (ValueError when it names an unsupported one).";
  static const std::string extract_doc =
      std::string(kExtractDoc) + "\nUses the propagators of OTEL_PROPAGATORS (ValueError when it names an unsupported one).";
  m.def("inject", [](const py::handle& context, py::object carrier) {
        inject_into(default_propagator(), context, std::move(carrier));
      },
      py::arg("context"), py::arg("carrier"), inject_doc.c_str());
  m.def("extract", [](const py::handle& carrier) { return extract_from(default_propagator(), carrier); },
        py::arg("carrier"), extract_doc.c_str());
}

}  // namespace frame_tracking::python
