// SPDX-License-Identifier: Apache-2.0
// Trace context through Redis Streams: exact round trip, 1,000 complete traces, claimed frames,
// bad contexts, batches.
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "messaging_support/redis_fixture.hpp"
#include "messaging_support/traced_flows.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace frame_tracking::redis {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(RedisTracingTest, ContextRoundTripIsExact) {
  const std::string stream = unique_name("frames");
  TracingProcess capture("capture"), storage("storage");
  StreamProducer producer({redis_endpoint(), 0});
  TracedProducer traced_producer(producer, capture.tracer, capture.propagator);
  const Context parent = testing::remote_parent("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  SendResult sent = traced_producer.send(stream, "payload", {{"camera_id", "cam-1"}}, nullptr, &parent);
  ASSERT_TRUE(sent.ok()) << sent.error;
  auto produced = capture.store->spans();
  ASSERT_EQ(produced.size(), 1u);
  const SpanData& send = *produced[0];
  EXPECT_EQ(send.name(), "send " + stream);
  EXPECT_EQ(send.parent_span_id, parent.span_context.span_id);

  StreamConsumer consumer(stream_consumer_options(stream, "storage", "c1"));
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  EXPECT_EQ(m.header("traceparent")->value, "00-4bf92f3577b34da6a3ce929d0e0e4736-" + send.context.span_id.to_hex() + "-01");
  EXPECT_EQ(m.header("tracestate")->value, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(m.header("camera_id")->value, "cam-1");

  ExtractedContext extracted = extract_message_context(m, storage.propagator);
  EXPECT_EQ(extracted.problem, "");
  EXPECT_EQ(extracted.context.span_context.trace_id, parent.span_context.trace_id);
  EXPECT_EQ(extracted.context.span_context.span_id, send.context.span_id);
  EXPECT_EQ(extracted.context.span_context.trace_flags.value, TraceFlags::kSampled);
  EXPECT_EQ(extracted.context.span_context.trace_state.header(), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_TRUE(extracted.context.span_context.remote);

  auto consumed = process_messages(storage, consumer, {m});
  ASSERT_EQ(consumed.size(), 1u);
  const SpanData& process = *consumed[0];
  EXPECT_EQ(process.name(), "process " + stream);
  EXPECT_EQ(process.kind, SpanKind::kConsumer);
  EXPECT_EQ(process.context.trace_id, parent.span_context.trace_id);
  EXPECT_EQ(process.parent_span_id, send.context.span_id);
  EXPECT_TRUE(process.parent_is_remote);
  EXPECT_EQ(process.context.trace_state.header(), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(testing::string_attribute(process, "messaging.system"), "redis");
  EXPECT_EQ(testing::string_attribute(process, "messaging.operation.name"), "process");
  EXPECT_EQ(testing::string_attribute(process, "messaging.destination.name"), stream);
  EXPECT_EQ(testing::string_attribute(process, "messaging.message.id"), sent.message_id);
  EXPECT_EQ(testing::int_attribute(process, "messaging.message.body.size"), 7);
  EXPECT_TRUE(testing::attribute(process, kQueueWaitAttribute).has_value());
}

TEST(RedisTracingTest, ThousandFramesGiveThousandCompleteTraces) {
  const std::string stream = unique_name("frames");
  TracingProcess capture("capture"), storage("storage");
  StreamProducer producer({redis_endpoint(), 0});
  StreamConsumer consumer(stream_consumer_options(stream, "storage", "storage-1"));
  ASSERT_EQ(testing::capture_frames(capture, producer, stream, 1000), 1000u);
  ASSERT_EQ(testing::store_frames(storage, consumer, 1000), 1000u);
  testing::expect_complete_traces(capture, storage, stream, "redis", 1000);
  EXPECT_EQ(producer.counters().sent, 1000u);
  EXPECT_EQ(consumer.counters().acked, 1000u);
}

TEST(RedisTracingTest, FramesOfAKilledConsumerAreClaimedAndTheirTracesStayComplete) {
  const std::string stream = unique_name("frames");
  TracingProcess capture("capture"), storage("storage");
  StreamProducer producer({redis_endpoint(), 0});
  ASSERT_EQ(testing::capture_frames(capture, producer, stream, 200), 200u);
  {
    // This consumer processes 50 frames, holds 50 more, and dies without acking them.
    StreamConsumer doomed(stream_consumer_options(stream, "storage", "storage-doomed"));
    ASSERT_EQ(testing::store_frames(storage, doomed, 50), 50u);
    ASSERT_EQ(doomed.poll(50, 1000ms).messages.size(), 50u);
  }
  auto o = stream_consumer_options(stream, "storage", "storage-rescuer");
  o.claim_min_idle = 100ms;
  StreamConsumer rescuer(o);
  std::this_thread::sleep_for(150ms);
  ASSERT_EQ(testing::store_frames(storage, rescuer, 150, 500ms), 150u);
  EXPECT_EQ(rescuer.counters().claimed, 50u);
  testing::expect_complete_traces(capture, storage, stream, "redis", 200);
}

TEST(RedisTracingTest, MissingOrBadContextStartsANewTraceAndSaysWhy) {
  const std::string stream = unique_name("frames");
  StreamProducer producer({redis_endpoint(), 0});
  const std::string tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  ASSERT_TRUE(producer.send(stream, "none", {}).ok());
  ASSERT_TRUE(producer.send(stream, "zero", {{"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}}).ok());
  ASSERT_TRUE(producer.send(stream, "twice", {{"traceparent", tp}, {"traceparent", tp}}).ok());
  ASSERT_TRUE(producer.send(stream, "upper", {{"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}}).ok());
  ASSERT_TRUE(producer.send(stream, "metadata", {{"traceparent", tp}, {"frame_metadata", "{not json"}}).ok());

  TracingProcess storage("storage");
  StreamConsumer consumer(stream_consumer_options(stream, "storage", "c1"));
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_EQ(polled.messages.size(), 5u);
  auto spans = process_messages(storage, consumer, polled.messages);  // every message is still processed
  ASSERT_EQ(spans.size(), 5u);
  struct Expected {
    const char* problem;
    const char* reason;
  };
  const Expected expected[] = {
      {"missing", "traceparent: header is missing"},
      {"invalid", "traceparent: trace-id is all zeros"},
      {"repeated", "traceparent: header appears 2 times"},
      {"invalid", nullptr},
  };
  for (std::size_t i = 0; i < 4; ++i) {
    const SpanData& s = *spans[i];
    EXPECT_FALSE(s.parent_span_id.is_valid()) << i;
    EXPECT_EQ(testing::string_attribute(s, kContextProblemAttribute), expected[i].problem) << i;
    ASSERT_EQ(s.events().size(), 1u) << i;
    EXPECT_EQ(s.events()[0].name, kContextRejectedEvent);
    ASSERT_EQ(s.events()[0].attributes.size(), 1u);
    const auto reason = std::get<std::string_view>(s.events()[0].attributes[0].value);
    if (expected[i].reason != nullptr) EXPECT_EQ(reason, expected[i].reason) << i;
    else EXPECT_EQ(reason.substr(0, 13), "traceparent: ") << reason;
  }
  const SpanData& with_bad_metadata = *spans[4];
  EXPECT_EQ(with_bad_metadata.context.trace_id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_EQ(with_bad_metadata.events().size(), 1u);
  EXPECT_EQ(with_bad_metadata.events()[0].name, kMetadataRejectedEvent);
}

TEST(RedisTracingTest, BatchSpanLinksEveryFrameAndEachFrameKeepsItsTrace) {
  const std::string stream = unique_name("frames");
  TracingProcess capture("capture"), storage("storage");
  StreamProducer producer({redis_endpoint(), 0});
  ASSERT_EQ(testing::capture_frames(capture, producer, stream, 5), 5u);
  StreamConsumer consumer(stream_consumer_options(stream, "storage", "c1"));
  TracedConsumer traced(consumer, storage.tracer, storage.propagator);
  PollResult polled = consumer.poll(10, 1000ms);
  ASSERT_EQ(polled.messages.size(), 5u);
  BatchSpans spans = traced.start_batch(polled.messages);
  for (std::size_t i = 0; i < polled.messages.size(); ++i) EXPECT_TRUE(traced.settle(polled.messages[i], spans.messages[i], true));
  spans.batch.end();

  auto sends = capture.store->spans();
  auto consumed = storage.store->spans();
  ASSERT_EQ(consumed.size(), 6u);
  const SpanData& batch = *consumed[5];
  EXPECT_EQ(batch.name(), "process " + stream);
  EXPECT_FALSE(batch.parent_span_id.is_valid());
  EXPECT_EQ(testing::int_attribute(batch, "messaging.batch.message_count"), 5);
  ASSERT_EQ(batch.links().size(), 5u);
  std::size_t send_index = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    while (sends[send_index]->name() != "send " + stream) ++send_index;
    const SpanData& send = *sends[send_index++];
    EXPECT_EQ(batch.links()[i].trace_id, send.context.trace_id);
    EXPECT_EQ(batch.links()[i].span_id, send.context.span_id);
    const SpanData& frame = *consumed[i];
    EXPECT_EQ(frame.context.trace_id, send.context.trace_id);
    EXPECT_EQ(frame.parent_span_id, send.context.span_id);
    ASSERT_EQ(frame.links().size(), 1u);
    EXPECT_EQ(frame.links()[0].span_id, batch.context.span_id);
  }
}

}  // namespace
}  // namespace frame_tracking::redis
