// SPDX-License-Identifier: Apache-2.0
// Test support: traced flows and span-tree census (see traced_flows.hpp).
#include "messaging_support/traced_flows.hpp"

#include "frame_tracking/simple_span_processor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace frame_tracking::testing {

TracingProcess::TracingProcess(const std::string& service) {
  TracerProviderOptions options;
  options.resource = Resource::create({Attribute{"service.name", service}});
  auto exporter = std::make_unique<InMemorySpanExporter>(store);
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::move(exporter)));
  provider = std::make_unique<TracerProvider>(std::move(options));
  tracer = provider->get_tracer("frame_tracking.test");
}

Context remote_parent(std::string_view trace_state) {
  Context c;
  c.span_context.trace_id = *TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  c.span_context.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  c.span_context.trace_flags.value = TraceFlags::kSampled;
  c.span_context.trace_state = *TraceState::parse(trace_state);
  c.span_context.remote = true;
  return c;
}

std::optional<AttributeValue> attribute(const SpanData& span, std::string_view key) {
  for (const auto& a : span.attributes())
    if (a.key == key) return to_owned(a.value);
  return std::nullopt;
}

std::string string_attribute(const SpanData& span, std::string_view key) {
  auto v = attribute(span, key);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : std::string("<unset>");
}

std::int64_t int_attribute(const SpanData& span, std::string_view key) {
  auto v = attribute(span, key);
  return v && std::holds_alternative<std::int64_t>(*v) ? std::get<std::int64_t>(*v) : -1;
}

FrameMetadata frame_metadata(const SpanContext& root, std::uint64_t sequence) {
  FrameMetadata m;
  m.frame_id = *FrameId::from_trace_id(root.trace_id);
  m.camera_id = "cam-1";
  m.sequence = sequence;
  m.capture_time_unix_ns = 1796025177179000000;
  m.width = 640;
  m.height = 480;
  m.size_bytes = 16;
  m.format = "h264";
  return m;
}

std::size_t capture_frames(TracingProcess& process, MessageProducer& producer, const std::string& destination,
                           std::size_t count) {
  TracedProducer traced(producer, process.tracer, process.propagator);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < count; ++i) {
    StartSpanOptions root_options;
    root_options.new_root = true;
    Span root = process.tracer.start_span("capture_frame", root_options);
    const FrameMetadata metadata = frame_metadata(root.context(), i);
    Context parent;
    parent.span_context = root.context();
    SendResult r = traced.send(destination, "frame-payload-" + std::to_string(i), {}, &metadata, &parent);
    ok += r.ok() ? 1 : 0;
    EXPECT_TRUE(r.ok()) << r.error;
  }
  return ok;
}

std::size_t store_frames(TracingProcess& process, MessageConsumer& consumer, std::size_t count,
                         std::chrono::milliseconds idle) {
  TracedConsumer traced(consumer, process.tracer, process.propagator);
  std::size_t done = 0;
  while (done < count) {
    PollResult r = consumer.poll(std::min<std::size_t>(100, count - done), idle);
    EXPECT_TRUE(r.ok()) << r.error;
    if (r.messages.empty()) break;
    for (const auto& m : r.messages) {
      Span span = traced.start_process(m);
      Context context;
      context.span_context = span.context();
      StartSpanOptions child;
      child.parent = &context;
      process.tracer.start_span("store_frame", child).end();
      EXPECT_TRUE(traced.settle(m, span, true));
      ++done;
    }
  }
  return done;
}

std::vector<std::unique_ptr<SpanData>> process_messages(TracingProcess& process, MessageConsumer& consumer,
                                                        const std::vector<ReceivedMessage>& messages) {
  TracedConsumer traced(consumer, process.tracer, process.propagator);
  for (const auto& m : messages) {
    Span span = traced.start_process(m);
    EXPECT_TRUE(traced.settle(m, span, true));
  }
  return process.store->spans();
}

TraceCensus census(const std::vector<std::unique_ptr<SpanData>>& spans, const std::string& destination,
                   const std::string& system) {
  TraceCensus c;
  std::map<TraceId, std::vector<const SpanData*>> by_trace;
  std::map<std::pair<TraceId, SpanId>, const SpanData*> by_id;
  for (const auto& s : spans) {
    by_trace[s->context.trace_id].push_back(s.get());
    by_id[{s->context.trace_id, s->context.span_id}] = s.get();
  }
  for (const auto& s : spans) {
    if (s->parent_span_id.is_valid() && by_id.count({s->context.trace_id, s->parent_span_id}) == 0) ++c.orphans;
  }
  c.traces = by_trace.size();
  for (const auto& entry : by_trace) {
    const TraceId& trace_id = entry.first;
    const std::vector<const SpanData*>& list = entry.second;  // not a structured binding: clang 14 cannot capture those
    const std::string tid = trace_id.to_hex();
    auto find = [&](std::string_view name) -> const SpanData* {
      const SpanData* found = nullptr;
      for (const auto* s : list)
        if (s->name() == name) found = found == nullptr ? s : nullptr;
      return found;
    };
    const SpanData* capture = find("capture_frame");
    const SpanData* send = find("send " + destination);
    const SpanData* process = find("process " + destination);
    const SpanData* store = find("store_frame");
    std::string problem;
    if (list.size() != 4 || !capture || !send || !process || !store) {
      problem = "has " + std::to_string(list.size()) + " spans, not the 4 expected";
    } else if (capture->parent_span_id.is_valid() || send->parent_span_id != capture->context.span_id ||
               process->parent_span_id != send->context.span_id || store->parent_span_id != process->context.span_id) {
      problem = "wrong parent links";
    } else if (send->kind != SpanKind::kProducer || process->kind != SpanKind::kConsumer || !process->parent_is_remote) {
      problem = "wrong span kinds or remote flag";
    } else if (string_attribute(*send, "messaging.system") != system ||
               string_attribute(*process, "messaging.system") != system ||
               string_attribute(*send, "messaging.operation.type") != "send" ||
               string_attribute(*process, "messaging.operation.type") != "process" ||
               string_attribute(*process, "messaging.destination.name") != destination ||
               string_attribute(*process, "messaging.message.id") != string_attribute(*send, "messaging.message.id")) {
      problem = "wrong messaging attributes";
    } else if (string_attribute(*send, "frame.id") != FrameId::from_trace_id(trace_id)->to_string() ||
               string_attribute(*process, "frame.id") != string_attribute(*send, "frame.id") ||
               string_attribute(*process, "camera.id") != "cam-1" ||
               !attribute(*process, kQueueWaitAttribute)) {
      problem = "wrong frame attributes";
    }
    if (problem.empty()) ++c.complete;
    else if (c.problems.size() < 5) c.problems.push_back("trace " + tid + ": " + problem);
  }
  return c;
}

std::vector<std::unique_ptr<SpanData>> all_spans(TracingProcess& a, TracingProcess& b) {
  auto spans = a.store->spans();
  for (auto& s : b.store->spans()) spans.push_back(std::move(s));
  return spans;
}

void expect_complete_traces(TracingProcess& capture, TracingProcess& storage, const std::string& destination,
                            const std::string& system, std::size_t traces) {
  const TraceCensus c = census(all_spans(capture, storage), destination, system);
  EXPECT_EQ(c.traces, traces);
  EXPECT_EQ(c.complete, traces) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.orphans, 0u);
}

}  // namespace frame_tracking::testing
