// SPDX-License-Identifier: Apache-2.0
// Example (core only): carrying a frame's trace context over HTTP with W3C traceparent/tracestate headers.
//
// The client injects its span's context into the request headers; the server extracts it and starts its
// SERVER span as a child, so both spans are in the frame's trace. Any HTTP library works: the carrier is
// a plain list of (name, value) header fields.
#include <frame_tracking/in_memory_span_exporter.hpp>
#include <frame_tracking/propagation.hpp>
#include <frame_tracking/simple_span_processor.hpp>
#include <frame_tracking/traceparent.hpp>
#include <frame_tracking/tracer_provider.hpp>

#include <iostream>
#include <memory>

using namespace frame_tracking;

int main() {
  auto store = std::make_shared<InMemorySpanStore>();
  TracerProviderOptions options;
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.get_tracer("http-example");
  W3CTraceContextPropagator propagator;

  // The frame's context as it arrived in this process (the W3C specification's example traceparent).
  Context frame_context{parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").value(), {}};

  // guide:begin http-client
  // Client: a CLIENT span for the request, its context written into the request headers.
  Span request = tracer.start_span("POST /detect", {.kind = SpanKind::kClient, .parent = &frame_context});
  HttpHeaders request_headers{{"Content-Type", "application/json"}};
  HttpHeaderCarrier out(request_headers);
  propagator.inject(Context{request.context(), {}}, out);
  // http_post(url, body, request_headers);
  // guide:end http-client

  // guide:begin http-server
  // Server: read the context from the received headers (names are case-insensitive) and continue it.
  const HttpHeaders& received = request_headers;
  Context incoming = propagator.extract(HttpHeaderCarrier(received), Context{});
  Span handler = tracer.start_span("POST /detect", {.kind = SpanKind::kServer, .parent = &incoming});
  // ... handle the request ...
  handler.end();
  // guide:end http-server
  request.end();

  std::cout << "traceparent header present: " << (HttpHeaderCarrier(received).get("traceparent") ? "yes" : "no") << "\n";
  std::cout << "server span in trace " << handler.context().trace_id.to_hex() << "\n";
  std::cout << "server span is a child of the client span: "
            << (store->spans().at(0)->parent_span_id == request.context().span_id ? "yes" : "no") << "\n";
  return 0;
}
