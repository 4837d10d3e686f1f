// SPDX-License-Identifier: Apache-2.0
// Example (core only): one frame's journey through two "processes" — capture and a detector — as one trace.
//
// The capture side starts the frame (root span `capture_frame`, trace id = FrameId), records a stage and
// hands the frame's metadata (JSON with the W3C traceparent) to the next hop. The detector side continues
// the same trace from that JSON. Spans go to an in-memory exporter here, so the program can print the
// span tree; a real service builds its provider with create_otlp_tracer_provider_from_env() instead.
#include <frame_tracking/frame_tracker.hpp>
#include <frame_tracking/in_memory_span_exporter.hpp>
#include <frame_tracking/simple_span_processor.hpp>
#include <frame_tracking/tracer_provider.hpp>

#include <iostream>
#include <memory>
#include <string>

using namespace frame_tracking;

namespace {

// Prints the spans of `store` as a tree below `parent` (an invalid id prints the roots).
void print_tree(const std::vector<std::unique_ptr<SpanData>>& spans, const SpanId& parent, int depth) {
  for (const auto& span : spans) {
    if (span->parent_span_id != parent) continue;
    std::cout << std::string(2 * depth, ' ') << span->name() << "\n";
    print_tree(spans, span->context.span_id, depth + 1);
  }
}

}  // namespace

int main() {
  auto store = std::make_shared<InMemorySpanStore>();
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", std::string("frame-journey-example")}});
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  TracerProvider provider(std::move(options));

  // guide:begin capture
  FrameTracker tracker(provider.get_tracer("camera-service", "1.0"));
  Frame frame = tracker.begin_frame({.camera_id = "cam-1", .sequence = 42, .width = 640, .height = 480});
  { Span decode = frame.stage("decode_frame"); /* decode the picture */ }
  std::string message;
  {
    Span send = frame.stage("send frames", SpanKind::kProducer);
    message = frame.metadata_for(send).to_json();  // carries the traceparent of `send`
    // producer.send("frames", message);
  }
  frame.end();
  // guide:end capture

  // guide:begin continue
  // In the detector process, with the JSON that arrived on the queue:
  auto metadata = FrameMetadata::from_json(message);
  if (!metadata) {
    std::cerr << "bad frame metadata: " << metadata.error().message << "\n";
    return 1;
  }
  Frame received = tracker.continue_frame(*metadata, "process frames");  // CONSUMER, child of `send frames`
  { Span detect = received.stage("detect"); /* run the model */ }
  received.end();
  // guide:end continue

  provider.force_flush();
  auto spans = store->spans();
  print_tree(spans, SpanId{}, 0);
  bool one_trace = true;
  for (const auto& span : spans) one_trace = one_trace && span->context.trace_id == frame.metadata().frame_id.to_trace_id();
  std::cout << spans.size() << " spans, one trace whose id is the frame id: " << (one_trace ? "yes" : "no") << "\n";
  return one_trace ? 0 : 1;
}
