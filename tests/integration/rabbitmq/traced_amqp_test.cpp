// SPDX-License-Identifier: Apache-2.0
// Trace context through RabbitMQ: exact round trip, 1,000 complete traces, frames of a killed consumer,
// headers written by other clients (byte arrays, wrong types), existing headers kept.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/amqp_fixture.hpp"
#include "messaging_support/amqp_foreign_client.hpp"
#include "messaging_support/traced_flows.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using namespace frame_tracking::testing;

TEST(AmqpTracingTest, ContextRoundTripIsExactAndOtherHeadersAreKept) {
  const auto q = queue_declaration(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  AmqpProducer producer(amqp_producer_options(q));
  AmqpConsumer consumer(amqp_consumer_options(q));
  TracedProducer traced_producer(producer, capture.tracer, capture.propagator);
  const Context parent = testing::remote_parent("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  // A stale traceparent already in the headers is replaced in place; the other headers stay.
  MessageHeaders headers{{"x-app", "recorder"},
                         {"traceparent", "00-11111111111111111111111111111111-2222222222222222-00"},
                         {"x-blob", std::string("\x00\x01", 2), HeaderType::kBytes}};
  SendResult sent = traced_producer.send(q.name, "payload", headers, nullptr, &parent);
  ASSERT_TRUE(sent.ok()) << sent.error;
  auto produced = capture.store->spans();
  ASSERT_EQ(produced.size(), 1u);
  const SpanData& send = *produced[0];
  EXPECT_EQ(send.name(), "send " + q.name);
  EXPECT_EQ(send.kind, SpanKind::kProducer);
  EXPECT_EQ(testing::string_attribute(send, "messaging.system"), "rabbitmq");
  EXPECT_EQ(testing::string_attribute(send, "messaging.operation.type"), "send");
  EXPECT_EQ(testing::string_attribute(send, "messaging.rabbitmq.destination.routing_key"), q.name);
  EXPECT_EQ(testing::string_attribute(send, "messaging.message.id"), sent.message_id);

  PollResult polled = consumer.poll(10, 5000ms);
  ASSERT_EQ(polled.messages.size(), 1u);
  const ReceivedMessage& m = polled.messages[0];
  ASSERT_EQ(m.headers.size(), 5u);
  EXPECT_EQ(m.headers[0], (MessageHeader{"x-app", "recorder", HeaderType::kString}));
  EXPECT_EQ(m.headers[1], (MessageHeader{"traceparent",
                                         "00-4bf92f3577b34da6a3ce929d0e0e4736-" + send.context.span_id.to_hex() + "-01",
                                         HeaderType::kString}));
  EXPECT_EQ(m.headers[2], (MessageHeader{"x-blob", std::string("\x00\x01", 2), HeaderType::kBytes}));
  EXPECT_EQ(m.headers[3], (MessageHeader{"tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", HeaderType::kString}));
  EXPECT_EQ(m.headers[4].name, kSentTimeHeader);

  auto consumed = process_messages(storage, consumer, {m});
  ASSERT_EQ(consumed.size(), 1u);
  const SpanData& process = *consumed[0];
  EXPECT_EQ(process.name(), "process " + q.name);
  EXPECT_EQ(process.context.trace_id, parent.span_context.trace_id);
  EXPECT_EQ(process.parent_span_id, send.context.span_id);
  EXPECT_TRUE(process.parent_is_remote);
  EXPECT_EQ(process.context.trace_flags.value & TraceFlags::kSampled, TraceFlags::kSampled);
  EXPECT_EQ(process.context.trace_state.header(), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(testing::string_attribute(process, "messaging.rabbitmq.destination.routing_key"), q.name);
  EXPECT_EQ(testing::int_attribute(process, "messaging.rabbitmq.message.delivery_tag"),
            static_cast<std::int64_t>(m.delivery_tag));
  EXPECT_EQ(testing::string_attribute(process, "messaging.message.id"), sent.message_id);
}

TEST(AmqpTracingTest, ThousandFramesGiveThousandCompleteTraces) {
  const auto q = queue_declaration(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  auto options = amqp_producer_options(q);
  options.persistent = false;  // confirms of persistent messages wait for the broker's disk sync
  AmqpProducer producer(options);
  AmqpConsumer consumer(amqp_consumer_options(q));
  ASSERT_EQ(testing::capture_frames(capture, producer, q.name, 1000), 1000u);
  ASSERT_EQ(testing::store_frames(storage, consumer, 1000), 1000u);
  testing::expect_complete_traces(capture, storage, q.name, "rabbitmq", 1000);
  EXPECT_EQ(producer.counters().sent, 1000u);
  EXPECT_EQ(consumer.counters().acked, 1000u);
}

TEST(AmqpTracingTest, FramesOfAKilledConsumerAreRedeliveredAndTheirTracesStayComplete) {
  const auto q = queue_declaration(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  AmqpProducer producer(amqp_producer_options(q));
  ASSERT_EQ(testing::capture_frames(capture, producer, q.name, 200), 200u);
  {
    // Processes 50 frames, holds 50 more unacked, and dies: the broker requeues what it held.
    AmqpConsumer doomed(amqp_consumer_options(q));
    ASSERT_EQ(testing::store_frames(storage, doomed, 50), 50u);
    std::size_t held = 0;
    while (held < 50) {
      PollResult r = doomed.poll(50 - held, 5000ms);
      ASSERT_FALSE(r.messages.empty());
      held += r.messages.size();
    }
  }
  AmqpConsumer rescuer(amqp_consumer_options(q));
  ASSERT_EQ(testing::store_frames(storage, rescuer, 150), 150u);
  testing::expect_complete_traces(capture, storage, q.name, "rabbitmq", 200);
}

TEST(AmqpTracingTest, ByteArrayContextIsAcceptedAndWrongTypeStartsANewTrace) {
  const auto q = queue_declaration(unique_name("frames"));
  AmqpConsumer consumer(amqp_consumer_options(q));
  ASSERT_TRUE(consumer.poll(1, 10ms).ok());  // declares the queue
  publish_foreign(q.name,
                  {header_entry("traceparent", bytes_field("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))});
  publish_foreign(q.name, {header_entry("traceparent", i64_field(42))});

  TracingProcess storage("storage");
  std::vector<ReceivedMessage> messages;
  while (messages.size() < 2) {
    PollResult r = consumer.poll(2, 5000ms);
    ASSERT_FALSE(r.messages.empty());
    for (auto& m : r.messages) messages.push_back(std::move(m));
  }
  auto spans = process_messages(storage, consumer, messages);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->context.trace_id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(spans[0]->parent_span_id.to_hex(), "00f067aa0ba902b7");
  EXPECT_EQ(testing::string_attribute(*spans[0], kContextProblemAttribute), "<unset>");
  EXPECT_FALSE(spans[1]->parent_span_id.is_valid());
  EXPECT_EQ(testing::string_attribute(*spans[1], kContextProblemAttribute), "wrong_type");
  ASSERT_EQ(spans[1]->events().size(), 1u);
  EXPECT_EQ(std::get<std::string_view>(spans[1]->events()[0].attributes[0].value),
            "traceparent: header value is not a string or byte array");
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
