// SPDX-License-Identifier: Apache-2.0
// AmqpConsumer: basic.consume with manual acks, prefetch and nack (see amqp_consumer.hpp).
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"

#include "frame_tracking/consumer_tally.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "frame_tracking/timeval.hpp"
#include "frame_tracking/wall_clock.hpp"

#include "amqp_connection.hpp"
#include "amqp_headers.hpp"

namespace frame_tracking::rabbitmq {
namespace {

std::string_view view(const amqp_bytes_t& b) noexcept { return {static_cast<const char*>(b.bytes), b.len}; }

}  // namespace

struct AmqpConsumer::Impl {
  explicit Impl(AmqpConsumerOptions o)
      : options(std::move(o)),
        connection(options.endpoint, [this](amqp_connection_state_t state) { return setup(state); }) {}

  std::string setup(amqp_connection_state_t state) {
    if (std::string e = detail::declare(state, options.queue); !e.empty()) return e;
    amqp_basic_qos(state, detail::kChannel, 0, options.prefetch, 0);
    if (auto r = amqp_get_rpc_reply(state); r.reply_type != AMQP_RESPONSE_NORMAL)
      return "basic.qos failed: " + detail::reply_error(r);
    amqp_basic_consume(state, detail::kChannel, detail::bytes(options.queue.name), amqp_empty_bytes, 0, 0, 0,
                       amqp_empty_table);
    if (auto r = amqp_get_rpc_reply(state); r.reply_type != AMQP_RESPONSE_NORMAL)
      return "basic.consume " + options.queue.name + " failed: " + detail::reply_error(r);
    return {};
  }

  ReceivedMessage convert(const amqp_envelope_t& env) const {
    ReceivedMessage m;
    m.destination = options.queue.name;
    m.exchange.assign(view(env.exchange));
    m.routing_key.assign(view(env.routing_key));
    m.delivery_tag = env.delivery_tag;
    m.delivery_count = env.redelivered != 0 ? 2 : 1;
    m.connection_epoch = connection.epoch();
    const amqp_basic_properties_t& p = env.message.properties;
    if ((p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0) m.id.assign(view(p.message_id));
    m.payload.assign(view(env.message.body));
    if ((p._flags & AMQP_BASIC_HEADERS_FLAG) != 0) detail::read_headers(p.headers, m);
    return m;
  }

  /// A frame other than basic.deliver arrived: a close ends the connection, the rest is ignored.
  /// Returns false when the connection was dropped.
  bool handle_other_frame(amqp_connection_state_t state) {
    amqp_frame_t frame;
    if (amqp_simple_wait_frame(state, &frame) != AMQP_STATUS_OK) return connection.drop(), false;
    if (frame.frame_type == AMQP_FRAME_METHOD &&
        (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
         frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD || frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD)) {
      connection.drop();
      return false;
    }
    return true;
  }

  AmqpConsumerOptions options;
  detail::Connection connection;
  ConsumerTally tally;
};

AmqpConsumer::AmqpConsumer(AmqpConsumerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

AmqpConsumer::~AmqpConsumer() = default;

std::string AmqpConsumer::destination_name(const ReceivedMessage& message) const {
  return consumer_destination_name(message.exchange, message.routing_key, impl_->options.queue.name);
}

PollResult AmqpConsumer::poll(std::size_t max_count, std::chrono::milliseconds timeout) noexcept {
  Impl& s = *impl_;
  try {
    PollResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (result.messages.size() < std::max<std::size_t>(max_count, 1)) {
      std::string error;
      amqp_connection_state_t state = s.connection.ensure(error);
      if (state == nullptr) {
        if (!result.messages.empty()) break;
        return s.tally.failed_poll(TransportStatus::kUnavailable, "amqp consume " + s.options.queue.name + ": " + error);
      }
      amqp_maybe_release_buffers(state);
      // Wait for the first message; afterwards only take what has already arrived.
      timeval tv = result.messages.empty() ? timeval_until(deadline) : timeval{};
      amqp_envelope_t env;
      amqp_rpc_reply_t r = amqp_consume_message(state, &env, &tv, 0);
      if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        result.messages.push_back(s.convert(env));
        amqp_destroy_envelope(&env);
        continue;
      }
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) break;
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        if (s.handle_other_frame(state)) continue;
      } else {
        s.connection.drop();
      }
      // The connection is gone: deliveries not yet returned are redelivered by the broker.
      if (!result.messages.empty() || std::chrono::steady_clock::now() >= deadline) break;
    }
    const std::int64_t now = unix_now_ns();
    for (auto& m : result.messages) m.received_unix_ns = now;
    s.tally.counters.received += result.messages.size();
    return result;
  } catch (const std::exception& e) {
    return s.tally.failed_poll(TransportStatus::kRejected, std::string("amqp consume: ") + e.what());
  }
}

bool AmqpConsumer::ack(const ReceivedMessage& message) noexcept {
  Impl& s = *impl_;
  amqp_connection_state_t state = s.connection.get();
  if (state == nullptr || message.connection_epoch != s.connection.epoch()) {
    ++s.tally.counters.stale_acks;
    return false;
  }
  if (amqp_basic_ack(state, detail::kChannel, message.delivery_tag, 0) != AMQP_STATUS_OK) {
    ++s.tally.counters.errors;
    s.connection.drop();
    return false;
  }
  ++s.tally.counters.acked;
  return true;
}

bool AmqpConsumer::reject(const ReceivedMessage& message, RejectAction action) noexcept {
  Impl& s = *impl_;
  amqp_connection_state_t state = s.connection.get();
  if (state == nullptr || message.connection_epoch != s.connection.epoch()) {
    ++s.tally.counters.stale_acks;
    return false;
  }
  const bool requeue = action == RejectAction::kRequeue;
  if (amqp_basic_nack(state, detail::kChannel, message.delivery_tag, 0, requeue ? 1 : 0) != AMQP_STATUS_OK) {
    ++s.tally.counters.errors;
    s.connection.drop();
    return false;
  }
  ++(requeue ? s.tally.counters.requeued : s.tally.counters.dead_lettered);
  return true;
}

ConsumerCounters AmqpConsumer::counters() const noexcept {
  return impl_->tally.snapshot(impl_->connection.reconnects());
}

}  // namespace frame_tracking::rabbitmq
