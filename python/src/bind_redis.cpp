// SPDX-License-Identifier: Apache-2.0
// Python bindings of the Redis Streams transport with trace propagation (StreamProducer/StreamConsumer
// behind TracedProducer/TracedConsumer), and frame continuation from a received message.
#include "bindings.hpp"

#include "frame_tracking/propagation.hpp"
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "frame_tracking/traced_messaging.hpp"
#include "frame_tracking/traceparent.hpp"

#include <pybind11/stl.h>

#include <memory>

namespace frame_tracking::python {
namespace {

/// frame_tracking.TransportError (a ConnectionError subclass); created once, never freed.
PyObject* transport_error_type = nullptr;

/// Raises frame_tracking.TransportError(message) with `.status` set (e.g. "unavailable").
[[noreturn]] void raise_transport_error(TransportStatus status, const std::string& message) {
  py::object error = py::handle(transport_error_type)(message);
  error.attr("status") = py::str(std::string(to_string(status)));
  PyErr_SetObject(transport_error_type, error.ptr());
  throw py::error_already_set();
}

redis::RedisEndpoint endpoint_of(std::string_view url) {
  auto endpoint = redis::RedisEndpoint::from_url(url);
  if (!endpoint) raise_value_error(endpoint.error());
  return *endpoint;
}

std::shared_ptr<TextMapPropagator> propagator_of(const std::optional<std::string>& names) {
  auto made = names ? propagator_from_names(*names) : propagator_from_env();
  if (!made) raise_value_error(made.error());
  return std::shared_ptr<TextMapPropagator>(std::move(*made));
}

std::string bytes_arg(const py::handle& value) {
  if (py::isinstance<py::bytes>(value) || py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::bytearray>(value) || py::isinstance<py::memoryview>(value)) {
    auto copy = py::reinterpret_steal<py::bytes>(PyBytes_FromObject(value.ptr()));
    if (!copy) throw py::error_already_set();
    return copy.cast<std::string>();
  }
  throw py::type_error("payload: expected bytes, bytearray, memoryview or str");
}

struct PyRedisProducer {
  ProviderRef owner;
  std::shared_ptr<TextMapPropagator> propagator;
  std::unique_ptr<redis::StreamProducer> producer;
  std::unique_ptr<TracedProducer> traced;
};

struct PyRedisConsumer {
  ProviderRef owner;
  std::shared_ptr<TextMapPropagator> propagator;
  std::unique_ptr<redis::StreamConsumer> consumer;
  std::unique_ptr<TracedConsumer> traced;
};

std::optional<FrameMetadata> metadata_of(const ReceivedMessage& message) {
  const MessageHeader* header = message.header(kFrameMetadataHeader);
  if (header == nullptr) return std::nullopt;
  auto parsed = FrameMetadata::from_json(header->value);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

}  // namespace

void bind_redis(py::module_& m) {
  transport_error_type = PyErr_NewExceptionWithDoc("frame_tracking._frame_tracking.TransportError",
                                "A broker operation failed; `status` names why (\"unavailable\", \"rejected\", "
                                "\"timeout\", \"invalid_argument\", ...).",
                                PyExc_ConnectionError, nullptr);
  if (transport_error_type == nullptr) throw py::error_already_set();
  m.attr("TransportError") = py::handle(transport_error_type);

  py::class_<ReceivedMessage>(m, "Message", "A message read from a Redis stream (read-only).")
      .def_readonly("destination", &ReceivedMessage::destination, "The stream key it was read from.")
      .def_readonly("id", &ReceivedMessage::id, "The stream entry id, e.g. \"1796025177179-0\".")
      .def_property_readonly("payload", [](const ReceivedMessage& msg) { return py::bytes(msg.payload); })
      .def_property_readonly(
          "headers",
          [](const ReceivedMessage& msg) {
            py::list out;
            for (const auto& h : msg.headers) out.append(py::make_tuple(h.name, py::bytes(h.value)));
            return out;
          },
          "Every field but the payload, in order, as (name, bytes) pairs.")
      .def(
          "header",
          [](const ReceivedMessage& msg, std::string_view name) -> std::optional<std::string> {
            const MessageHeader* h = msg.header(name);
            if (h == nullptr) return std::nullopt;
            return h->value;
          },
          py::arg("name"), "The first header called `name` as str (UTF-8), or None.")
      .def_property_readonly("metadata", &metadata_of,
                             "The FrameMetadata of the frame_metadata header, or None when absent or invalid.")
      .def_readonly("sent_unix_ns", &ReceivedMessage::sent_unix_ns, "Send time, Unix ns (0 when unknown).")
      .def_readonly("received_unix_ns", &ReceivedMessage::received_unix_ns, "When poll() returned it, Unix ns.")
      .def_readonly("delivery_count", &ReceivedMessage::delivery_count, "Deliveries so far, this one included.")
      .def("__repr__", [](const ReceivedMessage& msg) {
        return "Message(destination='" + msg.destination + "', id='" + msg.id + "', payload=<" +
               std::to_string(msg.payload.size()) + " bytes>)";
      });

  py::class_<PyRedisProducer>(m, "RedisProducer", R"doc(
Sends messages to Redis Streams (XADD) inside PRODUCER spans ``send <stream>``, with the W3C
context in the entry's fields and, for frames, the FrameMetadata JSON in field ``frame_metadata``.
Connects on first use and reconnects with backoff. Use from one thread at a time.)doc")
      .def(py::init([](std::string_view url, const PyTracer& tracer, std::size_t max_length,
                       const std::optional<std::string>& propagators) {
             auto self = std::make_unique<PyRedisProducer>();
             self->owner = tracer.owner;
             self->propagator = propagator_of(propagators);
             self->producer = std::make_unique<redis::StreamProducer>(
                 redis::StreamProducerOptions{.endpoint = endpoint_of(url), .max_length = max_length});
             self->traced = std::make_unique<TracedProducer>(*self->producer, tracer.tracer, *self->propagator);
             return self;
           }),
           py::arg("url"), py::arg("tracer"), py::kw_only(), py::arg("max_length") = 0,
           py::arg("propagators") = py::none(),
           "url: redis://host[:port][/db] (ValueError when malformed). max_length: at most this many entries per "
           "stream (0 = unbounded); entries every consumer group has read are trimmed to make room, and a send to a "
           "stream whose entries are all unread raises TransportError with status 'queue_full' (a stream without "
           "any group is trimmed oldest first). propagators: OTEL_PROPAGATORS-style names (None reads the variable).")
      .def(
          "send",
          [](PyRedisProducer& self, std::string_view stream, const py::handle& payload,
             const std::optional<FrameMetadata>& metadata, const py::object& parent,
             const std::optional<std::map<std::string, std::string>>& headers) {
            std::string body = bytes_arg(payload);
            MessageHeaders fields;
            if (headers)
              for (const auto& [name, value] : *headers) fields.push_back({name, value, HeaderType::kString});
            std::optional<Context> parent_context;
            if (!parent.is_none()) parent_context = Context{span_context_arg(parent), {}};
            SendResult result;
            {
              py::gil_scoped_release release;
              result = self.traced->send(stream, body, std::move(fields), metadata ? &*metadata : nullptr,
                                         parent_context ? &*parent_context : nullptr);
            }
            if (!result.ok()) raise_transport_error(result.status, result.error);
            return result.message_id;
          },
          py::arg("stream"), py::arg("payload") = py::bytes(), py::kw_only(), py::arg("metadata") = py::none(),
          py::arg("parent") = py::none(), py::arg("headers") = py::none(), R"doc(
XADDs one entry to `stream` in a span ``send <stream>`` (PRODUCER), child of `parent` (TraceContext,
SpanContext, Span or Frame; None: a new trace), and returns the entry id. `metadata` (a frame's
FrameMetadata) is sent with its traceparent set to the send span. Blocks until Redis answers (the GIL
is released). Raises TransportError (status "unavailable" after the reconnect deadline of 5 s,
"rejected" for an error reply, "invalid_argument" for a header named payload or sent_unix_ns).)doc")
      .def_property_readonly("counters", [](const PyRedisProducer& self) {
        auto c = self.producer->counters();
        return py::dict(py::arg("sent") = c.sent, py::arg("failed") = c.failed, py::arg("reconnects") = c.reconnects);
      });

  py::class_<PyRedisConsumer>(m, "RedisConsumer", R"doc(
Reads a Redis Stream as a member of a consumer group (XREADGROUP, XACK, XAUTOCLAIM), at least once.
Creates the group on first connect. Use from one thread at a time.)doc")
      .def(py::init([](std::string_view url, std::string stream, std::string group, std::string consumer,
                       const PyTracer& tracer, std::string group_start_id, std::int64_t claim_min_idle_ms,
                       std::uint32_t max_deliveries, std::string dead_letter_stream,
                       const std::optional<std::string>& propagators) {
             auto self = std::make_unique<PyRedisConsumer>();
             self->owner = tracer.owner;
             self->propagator = propagator_of(propagators);
             redis::StreamConsumerOptions options;
             options.endpoint = endpoint_of(url);
             options.stream = std::move(stream);
             options.group = std::move(group);
             options.consumer = std::move(consumer);
             options.group_start_id = std::move(group_start_id);
             options.claim_min_idle = std::chrono::milliseconds(claim_min_idle_ms);
             options.max_deliveries = max_deliveries;
             options.dead_letter_stream = std::move(dead_letter_stream);
             self->consumer = std::make_unique<redis::StreamConsumer>(std::move(options));
             self->traced = std::make_unique<TracedConsumer>(*self->consumer, tracer.tracer, *self->propagator);
             return self;
           }),
           py::arg("url"), py::arg("stream"), py::arg("group"), py::arg("consumer"), py::arg("tracer"), py::kw_only(),
           py::arg("group_start_id") = "0", py::arg("claim_min_idle_ms") = 30000, py::arg("max_deliveries") = 0,
           py::arg("dead_letter_stream") = "", py::arg("propagators") = py::none(), R"doc(
url: redis://host[:port][/db] (ValueError when malformed). group_start_id: where a new group starts
("0" = every entry, "$" = only new ones). claim_min_idle_ms: entries pending on another consumer this
long are taken over (0 = never). max_deliveries: poison-message limit (0 = none), past it entries go to
dead_letter_stream.)doc")
      .def(
          "poll",
          [](PyRedisConsumer& self, std::size_t max_count, double timeout) {
            if (!(timeout >= 0)) throw py::value_error("timeout: expected seconds ≥ 0");
            PollResult result;
            {
              py::gil_scoped_release release;
              result = self.consumer->poll(max_count, std::chrono::milliseconds(static_cast<std::int64_t>(timeout * 1000)));
            }
            if (!result.ok()) raise_transport_error(result.status, result.error);
            return std::move(result.messages);
          },
          py::arg("max_count") = 16, py::arg("timeout") = 1.0,
          "Up to max_count messages, waiting at most `timeout` seconds for the first (the GIL is released); [] after "
          "the timeout. Raises TransportError when Redis stays unreachable.")
      .def(
          "ack",
          [](PyRedisConsumer& self, const ReceivedMessage& message) {
            py::gil_scoped_release release;
            return self.consumer->ack(message);
          },
          py::arg("message"), "XACK; False (counted) when Redis could not be told.")
      .def(
          "reject",
          [](PyRedisConsumer& self, const ReceivedMessage& message, bool dead_letter) {
            py::gil_scoped_release release;
            return self.consumer->reject(message, dead_letter ? RejectAction::kDeadLetter : RejectAction::kRequeue);
          },
          py::arg("message"), py::arg("dead_letter") = false,
          "Gives the message back: left pending to be claimed again, or moved to the dead-letter stream.")
      .def(
          "context_of",
          [](const PyRedisConsumer& self, const ReceivedMessage& message) {
            return extract_message_context(message, *self.propagator).context;
          },
          py::arg("message"), "The TraceContext the message carries (invalid when missing or bad).")
      .def(
          "process",
          [](const PyRedisConsumer& self, const ReceivedMessage& message) {
            return PySpan{self.owner, self.traced->start_process(message)};
          },
          py::arg("message"), R"doc(
Starts ``process <stream>`` (CONSUMER), a child of the message's context (or a new trace carrying
messaging.frame_tracking.context_problem when it is missing or bad), with the messaging and frame
attributes. Use as a context manager, then ack() or settle().)doc")
      .def(
          "settle",
          [](PyRedisConsumer& self, const ReceivedMessage& message, PySpan& span, bool ok, bool dead_letter) {
            py::gil_scoped_release release;
            return self.traced->settle(message, span.span, ok,
                                       dead_letter ? RejectAction::kDeadLetter : RejectAction::kRequeue);
          },
          py::arg("message"), py::arg("span"), py::arg("ok") = true, py::arg("dead_letter") = false,
          "Acks (ok) or rejects the message, marks the span ERROR when processing failed, and ends the span.")
      .def(
          "continue_frame",
          [](const PyRedisConsumer& self, const PyFrameTracker& tracker, const ReceivedMessage& message,
             const std::optional<std::string>& span_name) {
            const MessageHeader* header = message.header(kFrameMetadataHeader);
            if (header == nullptr)
              throw py::value_error("frame_metadata: header is missing from message " + message.id);
            auto metadata = FrameMetadata::from_json(header->value);
            if (!metadata) raise_value_error(metadata.error());
            const ExtractedContext extracted = extract_message_context(message, *self.propagator);
            if (extracted.context.span_context.is_valid()) {
              metadata->traceparent = format_traceparent(extracted.context.span_context);
              metadata->tracestate = extracted.context.span_context.trace_state.header();
            }
            const std::string destination = self.consumer->destination_name(message);
            const std::array<AttributeView, 5> attributes{
                AttributeView{"messaging.system", self.consumer->system()},
                AttributeView{"messaging.operation.type", std::string_view("process")},
                AttributeView{"messaging.operation.name", std::string_view("process")},
                AttributeView{"messaging.destination.name", std::string_view(destination)},
                AttributeView{"messaging.message.id", std::string_view(message.id)}};
            const std::string name = span_name.value_or("process " + destination);
            return PyFrame{tracker.owner,
                           tracker.tracker.continue_frame(*metadata, name, SpanKind::kConsumer, {}, attributes)};
          },
          py::arg("tracker"), py::arg("message"), py::arg("span_name") = py::none(), R"doc(
Continues the frame a message carries: a Frame whose main span (default ``process <stream>``,
CONSUMER, with messaging attributes) is a child of the message's W3C context (its headers, else the
metadata's traceparent). Use ``with consumer.continue_frame(tracker, msg) as frame:`` and
``frame.stage(...)``, then ack(). Raises ValueError when the frame_metadata header is missing or invalid.)doc")
      .def_property_readonly("counters", [](const PyRedisConsumer& self) {
        auto c = self.consumer->counters();
        return py::dict(py::arg("received") = c.received, py::arg("acked") = c.acked, py::arg("requeued") = c.requeued,
                        py::arg("dead_lettered") = c.dead_lettered, py::arg("claimed") = c.claimed,
                        py::arg("stale_acks") = c.stale_acks, py::arg("deleted") = c.deleted,
                        py::arg("errors") = c.errors, py::arg("reconnects") = c.reconnects);
      });
}

}  // namespace frame_tracking::python
