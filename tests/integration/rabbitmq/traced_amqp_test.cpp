// SPDX-License-Identifier: Apache-2.0
// Trace context through RabbitMQ: exact round trip, 1,000 complete traces, frames of a killed consumer,
// headers written by other clients (byte arrays, wrong types), existing headers kept.
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/broker_fixture.hpp"
#include "messaging_support/traced_flows.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <gtest/gtest.h>

#include <cstring>

namespace frame_tracking::rabbitmq {
namespace {

using namespace std::chrono_literals;
using frame_tracking::testing::fixture_port;
using frame_tracking::testing::TracingProcess;
using frame_tracking::testing::unique_name;

AmqpEndpoint endpoint() {
  AmqpEndpoint e;
  e.port = fixture_port("rabbitmq");
  e.reconnect.deadline = 2s;
  return e;
}

QueueDeclaration queue(const std::string& name) {
  QueueDeclaration q;
  q.name = name;
  return q;
}

AmqpProducerOptions producer_options(const QueueDeclaration& q) {
  AmqpProducerOptions o;
  o.endpoint = endpoint();
  o.queues = {q};
  return o;
}

AmqpConsumerOptions consumer_options(const QueueDeclaration& q) {
  AmqpConsumerOptions o;
  o.endpoint = endpoint();
  o.queue = q;
  o.prefetch = 50;
  return o;
}

/// Publishes `body` with one header `traceparent` of the given AMQP field value, as another client would.
void publish_raw(const std::string& queue_name, amqp_field_value_t traceparent) {
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  ASSERT_EQ(amqp_socket_open(socket, "127.0.0.1", fixture_port("rabbitmq")), AMQP_STATUS_OK);
  ASSERT_EQ(amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type,
            AMQP_RESPONSE_NORMAL);
  amqp_channel_open(conn, 1);
  ASSERT_EQ(amqp_get_rpc_reply(conn).reply_type, AMQP_RESPONSE_NORMAL);
  amqp_table_entry_t e[1];
  e[0].key = amqp_cstring_bytes("traceparent");
  e[0].value = traceparent;
  amqp_basic_properties_t props;
  std::memset(&props, 0, sizeof props);
  props._flags = AMQP_BASIC_HEADERS_FLAG;
  props.headers.num_entries = 1;
  props.headers.entries = e;
  ASSERT_EQ(amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes(queue_name.c_str()), 0, 0, &props,
                               amqp_cstring_bytes("x")),
            AMQP_STATUS_OK);
  amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
  amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
}

TEST(AmqpTracingTest, ContextRoundTripIsExactAndOtherHeadersAreKept) {
  const auto q = queue(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  AmqpProducer producer(producer_options(q));
  AmqpConsumer consumer(consumer_options(q));
  TracedProducer traced_producer(producer, capture.tracer, capture.propagator);
  Context parent;
  parent.span_context.trace_id = *TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  parent.span_context.span_id = *SpanId::from_hex("00f067aa0ba902b7");
  parent.span_context.trace_flags.value = TraceFlags::kSampled;
  parent.span_context.trace_state = *TraceState::parse("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  parent.span_context.remote = true;
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

  TracedConsumer traced_consumer(consumer, storage.tracer, storage.propagator);
  Span span = traced_consumer.start_process(m);
  EXPECT_TRUE(traced_consumer.settle(m, span, true));
  auto consumed = storage.store->spans();
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
  const auto q = queue(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  auto options = producer_options(q);
  options.persistent = false;  // confirms of persistent messages wait for the broker's disk sync
  AmqpProducer producer(options);
  AmqpConsumer consumer(consumer_options(q));
  ASSERT_EQ(testing::capture_frames(capture, producer, q.name, 1000), 1000u);
  ASSERT_EQ(testing::store_frames(storage, consumer, 1000), 1000u);
  auto c = testing::census(testing::all_spans(capture, storage), q.name, "rabbitmq");
  EXPECT_EQ(c.traces, 1000u);
  EXPECT_EQ(c.complete, 1000u) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.orphans, 0u);
  EXPECT_EQ(producer.counters().sent, 1000u);
  EXPECT_EQ(consumer.counters().acked, 1000u);
}

TEST(AmqpTracingTest, FramesOfAKilledConsumerAreRedeliveredAndTheirTracesStayComplete) {
  const auto q = queue(unique_name("frames"));
  TracingProcess capture("capture"), storage("storage");
  AmqpProducer producer(producer_options(q));
  ASSERT_EQ(testing::capture_frames(capture, producer, q.name, 200), 200u);
  {
    // Processes 50 frames, holds 50 more unacked, and dies: the broker requeues what it held.
    AmqpConsumer doomed(consumer_options(q));
    ASSERT_EQ(testing::store_frames(storage, doomed, 50), 50u);
    std::size_t held = 0;
    while (held < 50) {
      PollResult r = doomed.poll(50 - held, 5000ms);
      ASSERT_FALSE(r.messages.empty());
      held += r.messages.size();
    }
  }
  AmqpConsumer rescuer(consumer_options(q));
  ASSERT_EQ(testing::store_frames(storage, rescuer, 150), 150u);
  auto c = testing::census(testing::all_spans(capture, storage), q.name, "rabbitmq");
  EXPECT_EQ(c.traces, 200u);
  EXPECT_EQ(c.complete, 200u) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.orphans, 0u);
}

TEST(AmqpTracingTest, ByteArrayContextIsAcceptedAndWrongTypeStartsANewTrace) {
  const auto q = queue(unique_name("frames"));
  AmqpConsumer consumer(consumer_options(q));
  ASSERT_TRUE(consumer.poll(1, 10ms).ok());  // declares the queue
  amqp_field_value_t bytes_value;
  bytes_value.kind = AMQP_FIELD_KIND_BYTES;
  bytes_value.value.bytes = amqp_cstring_bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  publish_raw(q.name, bytes_value);
  amqp_field_value_t int_value;
  int_value.kind = AMQP_FIELD_KIND_I64;
  int_value.value.i64 = 42;
  publish_raw(q.name, int_value);

  TracingProcess storage("storage");
  TracedConsumer traced(consumer, storage.tracer, storage.propagator);
  std::vector<ReceivedMessage> messages;
  while (messages.size() < 2) {
    PollResult r = consumer.poll(2, 5000ms);
    ASSERT_FALSE(r.messages.empty());
    for (auto& m : r.messages) messages.push_back(std::move(m));
  }
  for (const auto& m : messages) {
    Span span = traced.start_process(m);
    EXPECT_TRUE(traced.settle(m, span, true));
  }
  auto spans = storage.store->spans();
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
