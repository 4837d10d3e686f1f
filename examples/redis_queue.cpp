// SPDX-License-Identifier: Apache-2.0
// Example (redis): carrying frames and their trace context through Redis Streams with traced producer/consumer spans.
//
// Usage: redis_queue [HOST [PORT]]   (a redis-server, default 127.0.0.1:6379). Sends one frame to stream
// `frames:example` in a `send frames:example` PRODUCER span, reads it back as consumer group `detectors`
// in a `process frames:example` CONSUMER span of the same trace, acks it, and prints what it saw.
#include <frame_tracking/frame_tracker.hpp>
#include <frame_tracking/propagation.hpp>
#include <frame_tracking/redis/stream_consumer.hpp>
#include <frame_tracking/redis/stream_producer.hpp>
#include <frame_tracking/traced_messaging.hpp>
#include <frame_tracking/tracer_provider.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

using namespace frame_tracking;

int main(int argc, char** argv) {
  redis::RedisEndpoint endpoint;
  if (argc > 1) endpoint.host = argv[1];
  if (argc > 2) endpoint.port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  TracerProvider provider(TracerProviderOptions{});
  Tracer tracer = provider.get_tracer("redis-example");
  FrameTracker tracker(tracer);
  W3CTraceContextPropagator propagator;

  // guide:begin redis-send
  redis::StreamProducer stream_producer({.endpoint = endpoint, .max_length = 10000});
  TracedProducer producer(stream_producer, tracer, propagator);

  Frame frame = tracker.begin_frame({.camera_id = "cam-1", .sequence = 7, .width = 640, .height = 480});
  const Context frame_context = frame.context();
  // The PRODUCER span's context goes into the entry's traceparent field, the frame metadata alongside.
  SendResult sent = producer.send("frames:example", "<jpeg bytes>", {}, &frame.metadata(), &frame_context);
  if (!sent.ok()) frame.drop("send_failed");  // error already counted by the producer
  frame.end();
  // guide:end redis-send
  if (!sent.ok()) {
    std::cerr << "send failed: " << sent.error << "\n";
    return 1;
  }

  // guide:begin redis-receive
  redis::StreamConsumer stream_consumer(
      {.endpoint = endpoint, .stream = "frames:example", .group = "detectors", .consumer = "detector-1"});
  TracedConsumer consumer(stream_consumer, tracer, propagator);
  PollResult polled = stream_consumer.poll(10, std::chrono::milliseconds(1000));
  for (const ReceivedMessage& message : polled.messages) {
    Span span = consumer.start_process(message);  // CONSUMER span, child of the producer's span
    bool ok = true;                               // ... detect ...
    consumer.settle(message, span, ok);           // ack (or requeue on failure), then end the span
  }
  // guide:end redis-receive

  for (const ReceivedMessage& message : polled.messages) {
    const bool same_trace = extract_message_context(message, propagator).context.span_context.trace_id ==
                            frame.metadata().frame_id.to_trace_id();
    std::cout << "received " << message.payload << " in the frame's trace: " << (same_trace ? "yes" : "no") << "\n";
  }
  return polled.ok() && !polled.messages.empty() ? 0 : 1;
}
