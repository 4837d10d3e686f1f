// SPDX-License-Identifier: Apache-2.0
// FrameTracker tests: the reference pipeline's span tree for one frame across capture, processor and storage.
#include "tracing_test_util.hpp"

#include "frame_tracking/frame_tracker.hpp"
#include "frame_tracking/traceparent.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

using testing::attribute_map;

std::unique_ptr<TracerProvider> provider_for(const std::string& service, std::shared_ptr<InMemorySpanStore> store,
                                             std::unique_ptr<Sampler> sampler = nullptr) {
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", service}});
  options.sampler = std::move(sampler);
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  options.span_pool_size = 32;
  return std::make_unique<TracerProvider>(std::move(options));
}

const SpanData& by_name(const std::vector<std::unique_ptr<SpanData>>& spans, std::string_view name) {
  for (const auto& s : spans) {
    if (s->name() == name) return *s;
  }
  ADD_FAILURE() << "no span " << name;
  return *spans.front();
}

TEST(FrameTrackerTest, OneFrameThroughCaptureProcessorAndStorage) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto capture = provider_for("capture", store);
  auto processor = provider_for("processor", store);
  auto storage = provider_for("storage", store);
  FrameTracker capture_tracker(capture->get_tracer("frame-tracking"));
  FrameTracker processor_tracker(processor->get_tracer("frame-tracking"));
  FrameTracker storage_tracker(storage->get_tracer("frame-tracking"));

  std::string wire;
  FrameId frame_id;
  {
    Frame frame = capture_tracker.begin_frame(
        {.camera_id = "cam-7", .sequence = 42, .width = 1920, .height = 1080, .size_bytes = 6220800, .pts = 3003});
    frame_id = frame.metadata().frame_id;
    EXPECT_EQ(frame.context().span_context.trace_id, frame_id.to_trace_id());
    EXPECT_EQ(frame.metadata().traceparent, format_traceparent(frame.context().span_context));
    { Span decode = frame.stage("decode_frame"); }
    const AttributeView messaging[] = {{"messaging.system", std::string_view("redis")},
                                       {"messaging.destination.name", std::string_view("frames")}};
    Span send = frame.stage("send frames", SpanKind::kProducer, messaging);
    wire = frame.metadata_for(send).to_json();
  }
  std::string results_wire;
  {
    auto metadata = FrameMetadata::from_json(wire);
    ASSERT_TRUE(metadata.has_value());
    Frame frame = processor_tracker.continue_frame(*metadata, "process frames");
    { Span detect = frame.stage("detect"); }
    Span send = frame.stage("send results", SpanKind::kProducer);
    results_wire = frame.metadata_for(send).to_json();
  }
  {
    auto metadata = FrameMetadata::from_json(results_wire);
    ASSERT_TRUE(metadata.has_value());
    Frame frame = storage_tracker.continue_frame(*metadata, "process results");
    Span store_span = frame.stage("store_frame");
    store_span.end();
    frame.drop("disk_full");
  }

  auto spans = store->take();
  ASSERT_EQ(spans.size(), 8u);
  const SpanData& root = by_name(spans, "capture_frame");
  const SpanData& decode = by_name(spans, "decode_frame");
  const SpanData& send = by_name(spans, "send frames");
  const SpanData& process = by_name(spans, "process frames");
  const SpanData& detect = by_name(spans, "detect");
  const SpanData& send_results = by_name(spans, "send results");
  const SpanData& process_results = by_name(spans, "process results");
  const SpanData& store_frame = by_name(spans, "store_frame");

  for (const auto& s : spans) {
    EXPECT_EQ(s->context.trace_id, frame_id.to_trace_id()) << s->name();
    EXPECT_EQ(s->context.trace_flags.value, TraceFlags::kSampled | TraceFlags::kRandom) << s->name();
    auto attrs = attribute_map(s->attributes());
    EXPECT_EQ(attrs["frame.id"], AttributeValue(frame_id.to_string())) << s->name();
    EXPECT_EQ(attrs["camera.id"], AttributeValue(std::string("cam-7"))) << s->name();
    EXPECT_EQ(attrs["frame.sequence"], AttributeValue(std::int64_t{42})) << s->name();
    EXPECT_EQ(attrs["frame.size_bytes"], AttributeValue(std::int64_t{6220800})) << s->name();
    EXPECT_EQ(attrs["frame.width"], AttributeValue(std::int64_t{1920})) << s->name();
    EXPECT_EQ(attrs["frame.height"], AttributeValue(std::int64_t{1080})) << s->name();
    EXPECT_EQ(attrs["frame.pts"], AttributeValue(std::int64_t{3003})) << s->name();
  }
  EXPECT_FALSE(root.parent_span_id.is_valid());
  EXPECT_EQ(root.kind, SpanKind::kInternal);
  EXPECT_EQ(decode.parent_span_id, root.context.span_id);
  EXPECT_EQ(send.parent_span_id, root.context.span_id);
  EXPECT_EQ(send.kind, SpanKind::kProducer);
  EXPECT_EQ(attribute_map(send.attributes())["messaging.system"], AttributeValue(std::string("redis")));
  EXPECT_EQ(process.parent_span_id, send.context.span_id);
  EXPECT_TRUE(process.parent_is_remote);
  EXPECT_EQ(process.kind, SpanKind::kConsumer);
  EXPECT_EQ(detect.parent_span_id, process.context.span_id);
  EXPECT_FALSE(detect.parent_is_remote);
  EXPECT_EQ(send_results.parent_span_id, process.context.span_id);
  EXPECT_EQ(process_results.parent_span_id, send_results.context.span_id);
  EXPECT_EQ(store_frame.parent_span_id, process_results.context.span_id);
  EXPECT_EQ(root.resource->service_name(), "capture");
  EXPECT_EQ(process.resource->service_name(), "processor");
  EXPECT_EQ(store_frame.resource->service_name(), "storage");

  ASSERT_EQ(process_results.events().size(), 1u);
  EXPECT_EQ(process_results.events()[0].name, "frame.dropped");
  EXPECT_EQ(attribute_map(process_results.events()[0].attributes),
            (std::map<std::string, AttributeValue>{{"frame.drop_reason", std::string("disk_full")}}));
  EXPECT_EQ(process_results.status_code, StatusCode::kError);
  EXPECT_EQ(process_results.status_message(), "frame dropped: disk_full");
}

TEST(FrameTrackerTest, UnsampledFrameHasNoSpansAnywhere) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto capture = provider_for("capture", store, make_parent_based_sampler(make_always_off_sampler()));
  auto processor = provider_for("processor", store);  // parentbased_always_on follows the flag
  std::string wire;
  {
    Frame frame = FrameTracker(capture->get_tracer("t")).begin_frame({.camera_id = "cam"});
    EXPECT_FALSE(frame.span().is_recording());
    EXPECT_EQ(frame.metadata().traceparent.substr(52), "-02");  // random flag, not sampled
    wire = frame.metadata().to_json();
  }
  Frame frame = FrameTracker(processor->get_tracer("t")).continue_frame(*FrameMetadata::from_json(wire), "process frames");
  EXPECT_FALSE(frame.span().is_recording());
  EXPECT_EQ(store->size(), 0u);
}

TEST(FrameTrackerTest, LostContextStartsATraceWhoseIdIsTheFrameId) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto provider = provider_for("processor", store);
  FrameMetadata metadata;
  metadata.frame_id = FrameId::generate();
  metadata.camera_id = "cam";
  metadata.traceparent = "garbage";
  {
    Frame frame = FrameTracker(provider->get_tracer("t")).continue_frame(metadata, "process frames");
    EXPECT_EQ(frame.context().span_context.trace_id, metadata.frame_id.to_trace_id());
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(spans[0]->parent_span_id.is_valid());
  EXPECT_EQ(spans[0]->kind, SpanKind::kConsumer);
}

TEST(FrameTrackerTest, BatchSpanLinksEveryFrame) {
  auto store = std::make_shared<InMemorySpanStore>();
  auto capture = provider_for("capture", store);
  auto consumer = provider_for("consumer", store);
  FrameTracker tracker(capture->get_tracer("t"));
  std::vector<FrameMetadata> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(tracker.begin_frame({.camera_id = "cam", .sequence = std::uint64_t(i)}).metadata());
  std::vector<SpanContext> contexts;
  for (const auto& m : batch) contexts.push_back(*FrameTracker::context_of(m));
  std::vector<Link> links;
  for (const auto& c : contexts) links.push_back({&c, {}});
  store->clear();
  {
    Span batch_span = consumer->get_tracer("t").start_span("process frames", {.kind = SpanKind::kConsumer,
                                                                              .new_root = true,
                                                                              .links = links});
    FrameTracker consumer_tracker(consumer->get_tracer("t"));
    for (const auto& m : batch) consumer_tracker.continue_frame(m, "process frame", SpanKind::kConsumer);
  }
  auto spans = store->take();
  ASSERT_EQ(spans.size(), 4u);
  const SpanData& batch_span = *spans.back();
  ASSERT_EQ(batch_span.links().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(batch_span.links()[i].trace_id, batch[i].frame_id.to_trace_id());
    EXPECT_EQ(spans[i]->context.trace_id, batch[i].frame_id.to_trace_id());
    EXPECT_EQ(spans[i]->parent_span_id, contexts[i].span_id);
  }
}

}  // namespace
}  // namespace frame_tracking
