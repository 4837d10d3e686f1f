// SPDX-License-Identifier: Apache-2.0
// Tracer, Span and current-context tests: exact span trees through the in-memory exporter.
#include "tracing_test_util.hpp"

#include "frame_tracking/current_context.hpp"
#include "frame_tracking/frame_id.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace frame_tracking {
namespace {

using testing::attribute_map;
using testing::make_test_provider;
using testing::span_id_of;
using testing::trace_id_of;

TEST(TracerTest, RootChildAndExplicitParentFormOneTree) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  Tracer tracer = provider->get_tracer("camera", "1.2.0");
  {
    const AttributeView start_attrs[] = {{"camera.id", std::string_view("cam-1")}, {"frame.sequence", std::int64_t{7}}};
    Span root = tracer.start_span("capture_frame", {.kind = SpanKind::kServer,
                                                    .attributes = start_attrs,
                                                    .start_time_unix_ns = 1000});
    Scope scope(root);
    Span child = tracer.start_span("decode_frame");  // parent from the current context
    child.set_attribute("frame.width", 1920);
    child.set_attribute("ok", true);
    child.set_attribute("ratio", 0.5);
    child.set_attribute("codec", "h264");
    child.end(1500);
    Context carried{root.context(), {}};
    Span send = tracer.start_span("send frames", {.kind = SpanKind::kProducer, .parent = &carried});
    send.set_status(StatusCode::kError, "queue full");
    send.end(1600);
    root.add_event("frame.dropped", std::vector<AttributeView>{{"frame.drop_reason", std::string_view("late")}}, 1700);
    root.set_status(StatusCode::kOk, "ignored for ok");
    root.end(2000);
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 3u);
  const SpanData& decode = *spans[0];
  const SpanData& send = *spans[1];
  const SpanData& root = *spans[2];

  EXPECT_EQ(root.name(), "capture_frame");
  EXPECT_EQ(root.context.trace_id, trace_id_of(1));
  EXPECT_EQ(root.context.span_id, span_id_of(1));
  EXPECT_FALSE(root.parent_span_id.is_valid());
  EXPECT_EQ(root.kind, SpanKind::kServer);
  EXPECT_EQ(root.context.trace_flags.value, TraceFlags::kSampled);
  EXPECT_EQ(root.start_time_unix_ns, 1000u);
  EXPECT_EQ(root.end_time_unix_ns, 2000u);
  EXPECT_EQ(root.status_code, StatusCode::kOk);
  EXPECT_EQ(root.status_message(), "");
  EXPECT_EQ(attribute_map(root.attributes()),
            (std::map<std::string, AttributeValue>{{"camera.id", std::string("cam-1")},
                                                   {"frame.sequence", std::int64_t{7}}}));
  ASSERT_EQ(root.events().size(), 1u);
  EXPECT_EQ(root.events()[0].name, "frame.dropped");
  EXPECT_EQ(root.events()[0].time_unix_ns, 1700u);
  EXPECT_EQ(attribute_map(root.events()[0].attributes),
            (std::map<std::string, AttributeValue>{{"frame.drop_reason", std::string("late")}}));
  ASSERT_NE(root.scope, nullptr);
  EXPECT_EQ(root.scope->name, "camera");
  EXPECT_EQ(root.scope->version, "1.2.0");
  ASSERT_NE(root.resource, nullptr);
  EXPECT_EQ(root.resource->service_name(), "test");

  EXPECT_EQ(decode.name(), "decode_frame");
  EXPECT_EQ(decode.context.trace_id, trace_id_of(1));
  EXPECT_EQ(decode.context.span_id, span_id_of(2));
  EXPECT_EQ(decode.parent_span_id, span_id_of(1));
  EXPECT_FALSE(decode.parent_is_remote);
  EXPECT_EQ(decode.kind, SpanKind::kInternal);
  EXPECT_EQ(decode.end_time_unix_ns, 1500u);
  EXPECT_EQ(attribute_map(decode.attributes()),
            (std::map<std::string, AttributeValue>{{"codec", std::string("h264")},
                                                   {"frame.width", std::int64_t{1920}},
                                                   {"ok", true},
                                                   {"ratio", 0.5}}));

  EXPECT_EQ(send.name(), "send frames");
  EXPECT_EQ(send.context.span_id, span_id_of(3));
  EXPECT_EQ(send.parent_span_id, span_id_of(1));
  EXPECT_EQ(send.kind, SpanKind::kProducer);
  EXPECT_EQ(send.status_code, StatusCode::kError);
  EXPECT_EQ(send.status_message(), "queue full");
}

TEST(TracerTest, CurrentContextStackRestoresOnScopeExit) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  Tracer tracer = provider->get_tracer("t");
  EXPECT_FALSE(current_context().span_context.is_valid());
  {
    Span a = tracer.start_span("a");
    Scope sa(a);
    EXPECT_EQ(current_context().span_context, a.context());
    {
      Span b = tracer.start_span("b");
      Scope sb(b);
      EXPECT_EQ(current_context().span_context, b.context());
      Span root = tracer.start_span("other-trace", {.new_root = true});
      EXPECT_EQ(root.context().trace_id, trace_id_of(2));
    }
    EXPECT_EQ(current_context().span_context, a.context());
  }
  EXPECT_FALSE(current_context().span_context.is_valid());
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0]->name(), "other-trace");
  EXPECT_FALSE(spans[0]->parent_span_id.is_valid());
  EXPECT_EQ(spans[1]->name(), "b");
  EXPECT_EQ(spans[1]->parent_span_id, span_id_of(1));
  EXPECT_EQ(spans[2]->name(), "a");
}

TEST(TracerTest, RemoteParentLinksEventsExceptionAndRename) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  Tracer tracer = provider->get_tracer("t");
  SpanContext remote;
  remote.trace_id = *TraceId::from_hex("0af7651916cd43dd8448eb211c80319c");
  remote.span_id = *SpanId::from_hex("b7ad6b7169203331");
  remote.trace_flags.value = TraceFlags::kSampled | TraceFlags::kRandom;
  remote.trace_state = *TraceState::parse("vendor=x");
  remote.remote = true;
  SpanContext linked = remote;
  linked.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  const AttributeView link_attrs[] = {{"messaging.batch.index", std::int64_t{0}}};
  const Link links[] = {{&linked, link_attrs}};
  Context parent{remote, {}};
  {
    Span span = tracer.start_span("process frames",
                                  {.kind = SpanKind::kConsumer, .parent = &parent, .links = links});
    span.update_name("process results");
    span.add_link(remote);
    span.record_exception(std::runtime_error("decoder failed"));
    span.end(5);
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& s = *spans[0];
  EXPECT_EQ(s.name(), "process results");
  EXPECT_EQ(s.context.trace_id, remote.trace_id);
  EXPECT_EQ(s.parent_span_id, remote.span_id);
  EXPECT_TRUE(s.parent_is_remote);
  EXPECT_FALSE(s.context.remote);
  EXPECT_EQ(s.context.trace_flags.value, TraceFlags::kSampled | TraceFlags::kRandom);
  EXPECT_EQ(s.context.trace_state.header(), "vendor=x");
  ASSERT_EQ(s.links().size(), 2u);
  EXPECT_EQ(s.links()[0].span_id, linked.span_id);
  EXPECT_EQ(s.links()[0].trace_state, "vendor=x");
  EXPECT_EQ(attribute_map(s.links()[0].attributes),
            (std::map<std::string, AttributeValue>{{"messaging.batch.index", std::int64_t{0}}}));
  EXPECT_EQ(s.links()[1].span_id, remote.span_id);
  ASSERT_EQ(s.events().size(), 1u);
  EXPECT_EQ(s.events()[0].name, "exception");
  EXPECT_EQ(attribute_map(s.events()[0].attributes),
            (std::map<std::string, AttributeValue>{{"exception.message", std::string("decoder failed")},
                                                   {"exception.type", std::string("std::runtime_error")}}));
}

TEST(TracerTest, LimitsDropAndCountExcess) {
  auto store = std::make_shared<InMemorySpanStore>();
  SpanLimits limits;
  limits.attribute_count = 2;
  limits.attribute_value_length = 3;
  limits.event_count = 1;
  limits.link_count = 1;
  limits.event_attribute_count = 1;
  auto provider = make_test_provider(store, nullptr, limits);
  Tracer tracer = provider->get_tracer("t");
  SpanContext other{trace_id_of(9), span_id_of(9), {}, {}, false};
  {
    Span span = tracer.start_span("s");
    span.set_attribute("a", "abcdef");
    span.set_attribute("b", 1);
    span.set_attribute("c", 2);
    span.set_attribute("a", "xy");  // overwrite in place is not a new attribute
    const AttributeView ev_attrs[] = {{"k1", std::int64_t{1}}, {"k2", std::int64_t{2}}};
    span.add_event("e1", ev_attrs, 1);
    span.add_event("e2", {}, 2);
    span.add_link(other);
    span.add_link(other);
    span.end(3);
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& s = *spans[0];
  EXPECT_EQ(attribute_map(s.attributes()),
            (std::map<std::string, AttributeValue>{{"a", std::string("xy")}, {"b", std::int64_t{1}}}));
  EXPECT_EQ(s.dropped_attributes_count, 1u);
  ASSERT_EQ(s.events().size(), 1u);
  EXPECT_EQ(s.events()[0].dropped_attributes_count, 1u);
  EXPECT_EQ(s.dropped_events_count, 1u);
  EXPECT_EQ(s.links().size(), 1u);
  EXPECT_EQ(s.dropped_links_count, 1u);
}

TEST(TracerTest, AttributeValueLengthLimitTruncates) {
  auto store = std::make_shared<InMemorySpanStore>();
  SpanLimits limits;
  limits.attribute_value_length = 3;
  auto provider = make_test_provider(store, nullptr, limits);
  {
    Span span = provider->get_tracer("t").start_span("s");
    span.set_attribute("a", "abcdef");
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(attribute_map(spans[0]->attributes()), (std::map<std::string, AttributeValue>{{"a", std::string("abc")}}));
}

TEST(TracerTest, UnsampledSpanPropagatesButIsNotExported) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store, make_parent_based_sampler(make_always_off_sampler()));
  Tracer tracer = provider->get_tracer("t");
  {
    Span root = tracer.start_span("root");
    EXPECT_FALSE(root.is_recording());
    EXPECT_TRUE(root.context().is_valid());
    EXPECT_FALSE(root.context().is_sampled());
    Scope scope(root);
    Span child = tracer.start_span("child");
    EXPECT_FALSE(child.is_recording());
    EXPECT_EQ(child.context().trace_id, root.context().trace_id);
    child.set_attribute("ignored", 1);
  }
  EXPECT_EQ(store->size(), 0u);
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_started, 0u);
  EXPECT_EQ(stats.spans_exported, 0u);
}

TEST(TracerTest, DefaultTraceIdsAreFrameIdsWithTheRandomFlag) {
  auto store = std::make_shared<InMemorySpanStore>();
  TracerProviderOptions options;
  options.resource = Resource();
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  TracerProvider provider(std::move(options));
  Span span = provider.get_tracer("t").start_span("s");
  EXPECT_TRUE(FrameId::from_trace_id(span.context().trace_id).has_value());
  EXPECT_EQ(span.context().trace_flags.value, TraceFlags::kSampled | TraceFlags::kRandom);
  FrameId frame = FrameId::generate();
  Span framed = provider.get_tracer("t").start_span("f", {.new_root = true, .trace_id = frame.to_trace_id()});
  EXPECT_EQ(framed.context().trace_id, frame.to_trace_id());
  EXPECT_TRUE(framed.context().trace_flags.random());
}

TEST(TracerTest, EndTimeComesFromTheMonotonicClock) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  provider->get_tracer("t").start_span("s").end();
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_GT(spans[0]->start_time_unix_ns, 1'600'000'000'000'000'000u);
  EXPECT_GE(spans[0]->end_time_unix_ns, spans[0]->start_time_unix_ns);
}

TEST(TracerTest, StartAttributesAreReservedAtOnceAndStayInTheInlineArena) {
  // A frame span's shape: 7 frame attributes (a 36-character frame.id) + 2 messaging attributes at
  // start, one more later. Before start_span reserved the array, the 9th attribute grew it from 8
  // slots and the record spilled to a heap chunk.
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  const AttributeView start[] = {{"frame.id", std::string_view("019ad4a1-b2c3-7000-bf7f-ffffffffffff")},
                                 {"camera.id", std::string_view("cam-01")},
                                 {"frame.sequence", std::int64_t{7}},
                                 {"frame.size_bytes", std::int64_t{460800}},
                                 {"frame.width", std::int64_t{640}},
                                 {"frame.height", std::int64_t{480}},
                                 {"frame.pts", std::int64_t{25200}},
                                 {"messaging.operation.type", std::string_view("send")},
                                 {"messaging.destination.name", std::string_view("frames")}};
  Span span = provider->get_tracer("t").start_span("send frames", {.attributes = start});
  span.set_attribute("motion.score", 0.25);
  ASSERT_NE(span.data(), nullptr);
  EXPECT_EQ(span.data()->heap_bytes(), 0u);
  span.end();
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  const auto attributes = spans[0]->attributes();
  ASSERT_EQ(attributes.size(), 10u);
  EXPECT_EQ(attributes[0].key, "frame.id");
  EXPECT_EQ(std::get<std::string_view>(attributes[0].value), "019ad4a1-b2c3-7000-bf7f-ffffffffffff");
  EXPECT_EQ(attributes[1].key, "camera.id");
  EXPECT_EQ(std::get<std::string_view>(attributes[1].value), "cam-01");
  EXPECT_EQ(attributes[6].key, "frame.pts");
  EXPECT_EQ(std::get<std::int64_t>(attributes[6].value), 25200);
  EXPECT_EQ(attributes[8].key, "messaging.destination.name");
  EXPECT_EQ(std::get<std::string_view>(attributes[8].value), "frames");
  EXPECT_EQ(attributes[9].key, "motion.score");
  EXPECT_EQ(std::get<double>(attributes[9].value), 0.25);
}

TEST(TracerTest, ShortStringsOfEveryLengthAreCopiedExactly) {
  // copy_bytes has separate paths for 0, 1-3, 4-7, 8-32 and longer strings.
  const std::string all = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  SpanData data;
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string key = "k" + std::to_string(n);
    data.set_attribute(key, AttributeValueView{std::string_view(all).substr(0, n)});
  }
  ASSERT_EQ(data.attributes().size(), 41u);
  for (std::size_t n = 0; n <= 40; ++n) {
    EXPECT_EQ(data.attributes()[n].key, "k" + std::to_string(n));
    EXPECT_EQ(std::get<std::string_view>(data.attributes()[n].value), std::string_view(all).substr(0, n)) << n;
  }
}

TEST(TracerTest, DisabledProviderGivesNonRecordingSpansCarryingTheParent) {
  auto provider = TracerProvider::create_disabled();
  Tracer tracer = provider->get_tracer("t");
  EXPECT_FALSE(tracer.enabled());
  Span orphan = tracer.start_span("s");
  EXPECT_FALSE(orphan.is_recording());
  EXPECT_FALSE(orphan.context().is_valid());
  SpanContext remote{trace_id_of(3), span_id_of(4), {TraceFlags::kSampled}, {}, true};
  Context parent{remote, {}};
  Span child = tracer.start_span("c", {.parent = &parent});
  EXPECT_EQ(child.context(), remote);
  EXPECT_EQ(provider->collect().spans_started, 0u);
}

TEST(TracerTest, ShutdownStopsRecordingAndCountsLateSpans) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  Tracer tracer = provider->get_tracer("t");
  Span open = tracer.start_span("open");
  EXPECT_TRUE(provider->shutdown(std::chrono::seconds(1)));
  EXPECT_FALSE(tracer.start_span("after").is_recording());
  open.end();
  TracingStats stats = provider->collect();
  EXPECT_EQ(stats.spans_started, 1u);
  EXPECT_EQ(stats.spans_ended, 1u);
  EXPECT_EQ(stats.dropped_shutdown, 1u);
  EXPECT_EQ(store->size(), 0u);
}

TEST(TracerTest, SpanMoveKeepsOneOwner) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = make_test_provider(store);
  Tracer tracer = provider->get_tracer("t");
  Span a = tracer.start_span("a");
  Span b = std::move(a);
  EXPECT_TRUE(b.is_recording());
  Span c = tracer.start_span("c");
  c = std::move(b);  // ends "c"
  EXPECT_EQ(store->size(), 1u);
  c.end();
  c.end();
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->name(), "c");
  EXPECT_EQ(spans[1]->name(), "a");
}

TEST(TracerTest, SeveralProcessorsEachGetTheSpan) {
  auto first = std::make_shared<InMemorySpanStore>();
  auto second = std::make_shared<InMemorySpanStore>();
  TracerProviderOptions options;
  options.resource = Resource();
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(first)));
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(second)));
  TracerProvider provider(std::move(options));
  provider.get_tracer("t").start_span("s").end();
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(first->take()[0]->context, second->take()[0]->context);
  EXPECT_EQ(provider.collect().spans_exported, 2u);
}

TEST(TracerTest, PoolExhaustionFallsBackToTheHeapThenDropsAndCounts) {
  auto store = std::make_shared<InMemorySpanStore>();
  TracerProviderOptions options;
  options.resource = Resource();
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  options.span_pool_size = 2;
  options.span_heap_limit = 1;
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.get_tracer("t");
  {
    Span a = tracer.start_span("a");
    Span b = tracer.start_span("b");
    Span c = tracer.start_span("c");  // from the heap
    Span d = tracer.start_span("d");  // nothing left: dropped, still propagates a sampled context
    EXPECT_TRUE(c.is_recording());
    EXPECT_FALSE(d.is_recording());
    EXPECT_TRUE(d.context().is_sampled());
  }
  EXPECT_EQ(store->size(), 3u);
  TracingStats stats = provider.collect();
  EXPECT_EQ(stats.pool_heap_fallbacks, 1u);
  EXPECT_EQ(stats.dropped_pool_exhausted, 1u);
  EXPECT_EQ(stats.spans_started, 3u);
  // Records are back: the next spans come from the pool again.
  tracer.start_span("e").end();
  EXPECT_EQ(provider.collect().pool_heap_fallbacks, 1u);
}

}  // namespace
}  // namespace frame_tracking
