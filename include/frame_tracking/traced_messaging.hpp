// SPDX-License-Identifier: Apache-2.0
// Traced messaging: OTel messaging spans around MessageProducer sends and MessageConsumer deliveries,
// with the W3C context carried in the message headers.
// Spec: https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
#pragma once

#include "frame_tracking/context.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/span.hpp"
#include "frame_tracking/tracer.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// Attribute recording how long a message waited between send and delivery, in milliseconds
/// (double): the consumer's receive time minus the send time carried in kSentTimeHeader.
/// Custom attribute (the conventions define none for queue time).
inline constexpr std::string_view kQueueWaitAttribute = "messaging.frame_tracking.queue_wait_ms";
/// Attribute set on a consumer span that had to start a new trace: why the message's context was
/// not used. Values: "missing", "repeated", "wrong_type", "invalid".
inline constexpr std::string_view kContextProblemAttribute = "messaging.frame_tracking.context_problem";
/// Event added next to kContextProblemAttribute; its attribute `reason` holds the full text
/// (e.g. "traceparent: trace-id is all zeros").
inline constexpr std::string_view kContextRejectedEvent = "trace_context.rejected";
/// Event added when the kFrameMetadataHeader does not parse; attribute `reason` holds the error.
inline constexpr std::string_view kMetadataRejectedEvent = "frame_metadata.rejected";

/// The trace context a consumer found in a message. When `context.span_context` is invalid the
/// consumer starts a new trace, and `problem` / `reason` say why.
struct ExtractedContext {
  Context context;
  /// "" when the context is valid; else one of the kContextProblemAttribute values.
  std::string problem;
  /// Human-readable cause naming the header and the rule ("" when valid).
  std::string reason;
};

/// Reads the context of `message`: the propagator over its headers (MessageHeadersCarrier); when
/// the headers have no traceparent at all, the traceparent/tracestate of the FrameMetadata header
/// instead. Classifies a failure: no traceparent → "missing"; several → "repeated"; a header of a
/// non-text AMQP type → "wrong_type"; a value breaking the W3C grammar → "invalid".
/// Never throws on bad input. Thread-safe.
ExtractedContext extract_message_context(const ReceivedMessage& message, const TextMapPropagator& propagator);

/// Sets the frame attributes of DESIGN.md (frame.id, frame.sequence, frame.size_bytes, frame.width,
/// frame.height, frame.pts when known, camera.id) on `span`.
void set_frame_attributes(Span& span, const FrameMetadata& metadata) noexcept;

/// Sends through a MessageProducer inside PRODUCER spans. Holds references: the producer and the
/// propagator must outlive it. Thread-compatible (like the producer).
class TracedProducer {
 public:
  TracedProducer(MessageProducer& producer, Tracer tracer, const TextMapPropagator& propagator) noexcept
      : producer_(producer), tracer_(tracer), propagator_(propagator) {}

  /// Sends one message in a span `send <destination name>` (kind PRODUCER, child of `parent`, or of
  /// the current context when null) with messaging.system, messaging.operation.type/name = send,
  /// messaging.destination.name, messaging.message.body.size, RabbitMQ's routing key, the frame
  /// attributes of `metadata`, and messaging.message.id once sent. The span's context is injected
  /// into a copy of `headers` (traceparent/tracestate already there are replaced in place, every
  /// other header is kept), and, when `metadata` is given, the metadata JSON — with its
  /// traceparent/tracestate set to the same context — is added as kFrameMetadataHeader.
  /// A failed send sets status ERROR and error.type = to_string(status) and returns the error.
  SendResult send(std::string_view destination, std::string_view payload, MessageHeaders headers = {},
                  const FrameMetadata* metadata = nullptr, const Context* parent = nullptr) noexcept;

  MessageProducer& producer() noexcept { return producer_; }

 private:
  MessageProducer& producer_;
  Tracer tracer_;
  const TextMapPropagator& propagator_;
};

/// The spans of one batch: the batch span (linked to every message's valid context) and, for each
/// message in order, its own span in that message's trace (a child of its context, or a new trace).
struct BatchSpans {
  Span batch;
  std::vector<Span> messages;
};

/// Opens CONSUMER spans for messages delivered by a MessageConsumer. Holds references: the
/// consumer and the propagator must outlive it. Thread-compatible (like the consumer).
class TracedConsumer {
 public:
  TracedConsumer(MessageConsumer& consumer, Tracer tracer, const TextMapPropagator& propagator) noexcept
      : consumer_(consumer), tracer_(tracer), propagator_(propagator) {}

  /// Starts `process <destination name>` (kind CONSUMER) for one message, as a child of the
  /// message's context (remote parent), or — context missing or bad — as the root of a new trace
  /// carrying kContextProblemAttribute and a kContextRejectedEvent. Attributes: messaging.system,
  /// messaging.operation.type/name = process, messaging.destination.name, messaging.message.id,
  /// messaging.message.body.size, RabbitMQ routing key and delivery tag, kQueueWaitAttribute (when
  /// the send time is known), and the frame attributes when the message carries valid
  /// FrameMetadata (a bad one adds kMetadataRejectedEvent). The caller ends the span.
  Span start_process(const ReceivedMessage& message) const noexcept;

  /// Starts the spans of a batch: `process <destination name>` (CONSUMER, a new root unless
  /// `parent` is given) with messaging.batch.message_count = N and one link per message with a
  /// valid context (link attribute messaging.message.id), plus start_process() of every message,
  /// each also linked to the batch span. The caller ends them (messages before the batch).
  BatchSpans start_batch(std::span<const ReceivedMessage> messages, const Context* parent = nullptr) const noexcept;

  /// Acks `message` (true), or on `ok == false` rejects it with `on_failure`, setting the span's
  /// status ERROR when processing failed and error.type = "settle_failed" when the broker could
  /// not be told; then ends the span. Returns what the consumer returned.
  bool settle(const ReceivedMessage& message, Span& span, bool ok,
              RejectAction on_failure = RejectAction::kRequeue) noexcept;

  MessageConsumer& consumer() noexcept { return consumer_; }

 private:
  MessageConsumer& consumer_;
  Tracer tracer_;
  const TextMapPropagator& propagator_;
};

}  // namespace frame_tracking
