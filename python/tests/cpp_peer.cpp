// SPDX-License-Identifier: Apache-2.0
// The C++ side of the cross-language tests: captures a frame onto a Redis stream, or processes one from it.
//
// Usage (spans go wherever the OTEL_* environment says, e.g. OTEL_EXPORTER_OTLP_ENDPOINT):
//   frame_tracking_py_peer capture <redis-url> <stream>            prints the FrameId
//     capture_frame (root, trace id = FrameId) ─┬─ decode_frame
//                                               └─ send <stream> (PRODUCER, carries the frame)
//   frame_tracking_py_peer process <redis-url> <stream> <group> <stage>   prints the trace id
//     process <stream> (CONSUMER, child of the message's context) ── <stage>
// Exit status 0 on success, 1 on a failure (reason on stderr), 2 for bad arguments.
#include "frame_tracking/frame_tracker.hpp"
#include "frame_tracking/otlp/otlp_tracer_provider.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "frame_tracking/traced_messaging.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <utility>

namespace ft = frame_tracking;

namespace {

int capture(ft::TracerProvider& provider, const ft::TextMapPropagator& propagator,
            const ft::redis::RedisEndpoint& endpoint, const std::string& stream) {
  ft::FrameTracker tracker(provider.get_tracer("frame_tracking_py_peer"));
  ft::Frame frame = tracker.begin_frame({.camera_id = "cam-cpp", .sequence = 7, .width = 640, .height = 480,
                                         .size_bytes = 1234, .format = "h264"});
  frame.stage("decode_frame").end();
  ft::redis::StreamProducer producer({.endpoint = endpoint});
  ft::TracedProducer traced(producer, tracker.tracer(), propagator);
  const ft::Context parent = frame.context();
  const ft::SendResult sent = traced.send(stream, "frame-bytes", {}, &frame.metadata(), &parent);
  if (!sent.ok()) {
    std::cerr << "send failed: " << sent.error << "\n";
    return 1;
  }
  frame.end();
  std::cout << frame.metadata().frame_id.to_string() << std::endl;
  return 0;
}

int process(ft::TracerProvider& provider, const ft::TextMapPropagator& propagator,
            const ft::redis::RedisEndpoint& endpoint, const std::string& stream, const std::string& group,
            const std::string& stage) {
  ft::redis::StreamConsumerOptions options;
  options.endpoint = endpoint;
  options.stream = stream;
  options.group = group;
  options.consumer = "cpp-peer";
  ft::redis::StreamConsumer consumer(std::move(options));
  ft::TracedConsumer traced(consumer, provider.get_tracer("frame_tracking_py_peer"), propagator);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    ft::PollResult polled = consumer.poll(1, std::chrono::milliseconds(500));
    if (!polled.ok()) {
      std::cerr << "poll failed: " << polled.error << "\n";
      return 1;
    }
    if (polled.messages.empty()) continue;
    const ft::ReceivedMessage& message = polled.messages.front();
    ft::Span span = traced.start_process(message);
    const ft::Context parent{span.context(), {}};
    provider.get_tracer("frame_tracking_py_peer").start_span(stage, {.parent = &parent}).end();
    const std::string trace_id = span.context().trace_id.to_hex();
    if (!traced.settle(message, span, true)) {
      std::cerr << "ack failed\n";
      return 1;
    }
    std::cout << trace_id << std::endl;
    return 0;
  }
  std::cerr << "no message on " << stream << " within 20 s\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "capture" && argc == 4) || (mode == "process" && argc == 6))) {
    std::cerr << "usage: frame_tracking_py_peer capture <redis-url> <stream>\n"
                 "       frame_tracking_py_peer process <redis-url> <stream> <group> <stage>\n";
    return 2;
  }
  auto endpoint = ft::redis::RedisEndpoint::from_url(argv[2]);
  if (!endpoint) {
    std::cerr << endpoint.error().message << "\n";
    return 2;
  }
  auto propagator = ft::propagator_from_env();
  if (!propagator) {
    std::cerr << propagator.error().message << "\n";
    return 2;
  }
  auto provider = ft::otlp::create_otlp_tracer_provider_from_env();
  const int code = mode == "capture" ? capture(*provider, **propagator, *endpoint, argv[3])
                                     : process(*provider, **propagator, *endpoint, argv[3], argv[4], argv[5]);
  if (!provider->shutdown(std::chrono::seconds(10))) {
    std::cerr << "span export did not finish\n";
    return 1;
  }
  return code;
}
