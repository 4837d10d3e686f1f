// SPDX-License-Identifier: Apache-2.0
// Traced messaging: messaging spans, context injection/extraction and queue-wait recording.
#include "frame_tracking/traced_messaging.hpp"

#include "frame_tracking/message_headers_carrier.hpp"
#include "frame_tracking/traceparent.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace frame_tracking {
namespace {

constexpr std::string_view kRabbitmq = "rabbitmq";

void set_common(Span& span, std::string_view system, std::string_view operation, std::string_view destination) {
  span.set_attribute("messaging.system", system);
  span.set_attribute("messaging.operation.type", operation);
  span.set_attribute("messaging.operation.name", operation);
  span.set_attribute("messaging.destination.name", destination);
}

/// Why no valid context came out of `message` (the propagator already failed).
void classify(const ReceivedMessage& message, ExtractedContext& out) {
  const MessageHeadersCarrier carrier(message.headers);
  const std::size_t count = carrier.value_count(W3CTraceContextPropagator::kTraceparent);
  if (count == 0) {
    out.problem = "missing";
    out.reason = "traceparent: header is missing";
    return;
  }
  if (count > 1) {
    out.problem = "repeated";
    out.reason = "traceparent: header appears " + std::to_string(count) + " times";
    return;
  }
  const MessageHeader* h = message.header(W3CTraceContextPropagator::kTraceparent);
  if (h != nullptr && h->type == HeaderType::kOther) {
    out.problem = "wrong_type";
    out.reason = "traceparent: header value is not a string or byte array";
    return;
  }
  out.problem = "invalid";
  auto parsed = parse_traceparent(h != nullptr ? std::string_view(h->value) : std::string_view());
  out.reason = parsed ? std::string("traceparent: rejected by the configured propagator") : parsed.error().message;
}

std::string traceparent_of(const SpanContext& context) { return context.is_valid() ? format_traceparent(context) : ""; }

}  // namespace

ExtractedContext extract_message_context(const ReceivedMessage& message, const TextMapPropagator& propagator) {
  ExtractedContext out;
  try {
    const MessageHeadersCarrier carrier(message.headers);
    if (carrier.value_count(W3CTraceContextPropagator::kTraceparent) == 0) {
      // No header context: the FrameMetadata record may still carry the frame's context.
      if (const MessageHeader* m = message.header(kFrameMetadataHeader); m != nullptr && m->type != HeaderType::kOther) {
        auto metadata = FrameMetadata::from_json(m->value);
        if (metadata && !metadata->traceparent.empty()) {
          std::map<std::string, std::string> fields{{"traceparent", metadata->traceparent}};
          if (!metadata->tracestate.empty()) fields.emplace("tracestate", metadata->tracestate);
          out.context = propagator.extract(MapCarrier(fields), Context{});
          if (out.context.span_context.is_valid()) return out;
        }
      }
    }
    out.context = propagator.extract(carrier, Context{});
    if (!out.context.span_context.is_valid()) classify(message, out);
  } catch (const std::exception& e) {
    out = ExtractedContext{};
    out.problem = "invalid";
    out.reason = std::string("traceparent: ") + e.what();
  }
  return out;
}

void set_frame_attributes(Span& span, const FrameMetadata& metadata) noexcept {
  if (!span.is_recording()) return;
  try {
    span.set_attribute("frame.id", metadata.frame_id.to_string());
  } catch (const std::exception&) {
    return;  // out of memory: the span keeps what it has
  }
  span.set_attribute("frame.sequence", static_cast<std::int64_t>(metadata.sequence));
  span.set_attribute("frame.size_bytes", static_cast<std::int64_t>(metadata.size_bytes));
  span.set_attribute("frame.width", static_cast<std::int64_t>(metadata.width));
  span.set_attribute("frame.height", static_cast<std::int64_t>(metadata.height));
  if (metadata.pts) span.set_attribute("frame.pts", *metadata.pts);
  span.set_attribute("camera.id", std::string_view(metadata.camera_id));
}

SendResult TracedProducer::send(std::string_view destination, std::string_view payload, MessageHeaders headers,
                                const FrameMetadata* metadata, const Context* parent) noexcept {
  try {
    const std::string name = producer_.destination_name(destination);
    StartSpanOptions options;
    options.kind = SpanKind::kProducer;
    options.parent = parent;
    Span span = tracer_.start_span("send " + name, options);
    set_common(span, producer_.system(), "send", name);
    span.set_attribute("messaging.message.body.size", static_cast<std::int64_t>(payload.size()));
    if (producer_.system() == kRabbitmq && !destination.empty())
      span.set_attribute("messaging.rabbitmq.destination.routing_key", destination);

    Context context = parent != nullptr ? *parent : Context{};
    context.span_context = span.context();
    MessageHeadersCarrier carrier(headers);
    propagator_.inject(context, carrier);
    if (metadata != nullptr) {
      set_frame_attributes(span, *metadata);
      FrameMetadata carried = *metadata;
      carried.traceparent = traceparent_of(span.context());
      carried.tracestate = span.context().trace_state.header();
      carrier.set(kFrameMetadataHeader, carried.to_json());
    }

    SendResult result = producer_.send(destination, payload, headers);
    if (result.ok()) {
      span.set_attribute("messaging.message.id", std::string_view(result.message_id));
    } else {
      span.set_attribute("error.type", to_string(result.status));
      span.set_status(StatusCode::kError, result.error);
    }
    return result;
  } catch (const std::exception& e) {
    return SendResult{TransportStatus::kInvalidArgument, {}, std::string("traced send: ") + e.what()};
  }
}

Span TracedConsumer::start_process(const ReceivedMessage& message) const noexcept {
  try {
    const std::string name = consumer_.destination_name(message);
    ExtractedContext extracted = extract_message_context(message, propagator_);
    StartSpanOptions options;
    options.kind = SpanKind::kConsumer;
    options.parent = &extracted.context;
    options.new_root = !extracted.context.span_context.is_valid();
    Span span = tracer_.start_span("process " + name, options);
    if (!span.is_recording()) return span;
    set_common(span, consumer_.system(), "process", name);
    if (!message.id.empty()) span.set_attribute("messaging.message.id", std::string_view(message.id));
    span.set_attribute("messaging.message.body.size", static_cast<std::int64_t>(message.payload.size()));
    if (consumer_.system() == kRabbitmq) {
      if (!message.routing_key.empty())
        span.set_attribute("messaging.rabbitmq.destination.routing_key", std::string_view(message.routing_key));
      span.set_attribute("messaging.rabbitmq.message.delivery_tag", static_cast<std::int64_t>(message.delivery_tag));
    }
    if (message.sent_unix_ns > 0) {
      const std::int64_t wait_ns = std::max<std::int64_t>(0, message.received_unix_ns - message.sent_unix_ns);
      span.set_attribute(kQueueWaitAttribute, static_cast<double>(wait_ns) / 1e6);
    }
    if (!extracted.problem.empty()) {
      span.set_attribute(kContextProblemAttribute, std::string_view(extracted.problem));
      const AttributeView reason{"reason", std::string_view(extracted.reason)};
      span.add_event(kContextRejectedEvent, {&reason, 1});
    }
    if (const MessageHeader* m = message.header(kFrameMetadataHeader); m != nullptr) {
      auto metadata = m->type == HeaderType::kOther
                          ? Result<FrameMetadata>(Error{ErrorCode::kWrongType, "frame_metadata: header is not text"})
                          : FrameMetadata::from_json(m->value);
      if (metadata) {
        set_frame_attributes(span, *metadata);
      } else {
        const AttributeView reason{"reason", std::string_view(metadata.error().message)};
        span.add_event(kMetadataRejectedEvent, {&reason, 1});
      }
    }
    return span;
  } catch (const std::exception&) {
    return Span();
  }
}

BatchSpans TracedConsumer::start_batch(std::span<const ReceivedMessage> messages, const Context* parent) const noexcept {
  BatchSpans out;
  try {
    const std::string name = messages.empty() ? std::string() : consumer_.destination_name(messages.front());
    std::vector<ExtractedContext> contexts;
    contexts.reserve(messages.size());
    std::vector<Link> links;
    std::vector<std::array<AttributeView, 1>> link_attributes(messages.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
      contexts.push_back(extract_message_context(messages[i], propagator_));
      if (!contexts.back().context.span_context.is_valid()) continue;
      link_attributes[i][0] = AttributeView{"messaging.message.id", std::string_view(messages[i].id)};
      links.push_back(Link{&contexts.back().context.span_context, link_attributes[i]});
    }
    StartSpanOptions options;
    options.kind = SpanKind::kConsumer;
    options.parent = parent;
    options.new_root = parent == nullptr;
    options.links = links;
    out.batch = tracer_.start_span(name.empty() ? std::string("process") : "process " + name, options);
    set_common(out.batch, consumer_.system(), "process", name);
    out.batch.set_attribute("messaging.batch.message_count", static_cast<std::int64_t>(messages.size()));
    out.messages.reserve(messages.size());
    for (const auto& m : messages) {
      out.messages.push_back(start_process(m));
      out.messages.back().add_link(out.batch.context());
    }
  } catch (const std::exception&) {
  }
  return out;
}

bool TracedConsumer::settle(const ReceivedMessage& message, Span& span, bool ok, RejectAction on_failure) noexcept {
  if (!ok) span.set_status(StatusCode::kError, "processing failed");
  const bool settled = ok ? consumer_.ack(message) : consumer_.reject(message, on_failure);
  if (!settled) span.set_attribute("error.type", std::string_view("settle_failed"));
  span.end();
  return settled;
}

}  // namespace frame_tracking
