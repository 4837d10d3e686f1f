// SPDX-License-Identifier: Apache-2.0
// AmqpProducer: confirmed, persistent publishes with a headers table (see amqp_producer.hpp).
#include "frame_tracking/rabbitmq/amqp_producer.hpp"

#include "frame_tracking/timeval.hpp"
#include "frame_tracking/wall_clock.hpp"

#include "amqp_connection.hpp"

#include <cstring>
#include <random>

namespace frame_tracking::rabbitmq {
namespace {

std::string random_prefix() {
  std::random_device rd;
  std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) | rd();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 15];
  return out;
}

/// What waiting for a confirm ended with.
enum class Confirm : std::uint8_t { kAck, kNack, kReturned, kTimeout, kConnectionLost, kChannelClosed };

}  // namespace

struct AmqpProducer::Impl {
  explicit Impl(AmqpProducerOptions o)
      : options(std::move(o)),
        connection(options.endpoint, [this](amqp_connection_state_t state) { return setup(state); }) {}

  std::string setup(amqp_connection_state_t state) {
    amqp_confirm_select(state, detail::kChannel);
    if (auto r = amqp_get_rpc_reply(state); r.reply_type != AMQP_RESPONSE_NORMAL)
      return "confirm.select failed: " + detail::reply_error(r);
    for (const auto& q : options.queues) {
      if (std::string e = detail::declare(state, q); !e.empty()) return e;
    }
    next_tag = 1;
    return {};
  }

  SendResult fail(TransportStatus status, std::string error) {
    ++failed;
    return SendResult{status, {}, std::move(error)};
  }

  /// Reads frames until the confirm of `tag` (or something that ends the wait) arrives.
  Confirm wait_confirm(amqp_connection_state_t state, std::uint64_t tag, std::string& detail_text) {
    const auto deadline = std::chrono::steady_clock::now() + options.confirm_timeout;
    bool returned = false;
    for (;;) {
      amqp_frame_t frame;
      timeval tv = timeval_until(deadline);
      int rc = amqp_simple_wait_frame_noblock(state, &frame, &tv);
      if (rc == AMQP_STATUS_TIMEOUT) return Confirm::kTimeout;
      if (rc != AMQP_STATUS_OK) {
        detail_text = amqp_error_string2(rc);
        return Confirm::kConnectionLost;
      }
      if (frame.frame_type != AMQP_FRAME_METHOD) continue;
      switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
          auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
          if (ack->delivery_tag >= tag)
            return returned ? Confirm::kReturned : Confirm::kAck;
          break;  // the confirm of an earlier, timed-out publish
        }
        case AMQP_BASIC_NACK_METHOD: {
          auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
          if (nack->delivery_tag >= tag) return Confirm::kNack;
          break;
        }
        case AMQP_BASIC_RETURN_METHOD: {
          auto* ret = static_cast<amqp_basic_return_t*>(frame.payload.method.decoded);
          detail_text = std::to_string(ret->reply_code) + " " +
                        std::string(static_cast<char*>(ret->reply_text.bytes), ret->reply_text.len);
          amqp_message_t message;
          amqp_rpc_reply_t r = amqp_read_message(state, frame.channel, &message, 0);
          if (r.reply_type != AMQP_RESPONSE_NORMAL) return Confirm::kConnectionLost;
          amqp_destroy_message(&message);
          returned = true;  // the broker still sends basic.ack for a returned message
          break;
        }
        case AMQP_CHANNEL_CLOSE_METHOD: {
          auto* close = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
          detail_text = std::to_string(close->reply_code) + " " +
                        std::string(static_cast<char*>(close->reply_text.bytes), close->reply_text.len);
          return Confirm::kChannelClosed;
        }
        case AMQP_CONNECTION_CLOSE_METHOD: return Confirm::kConnectionLost;
        default: break;
      }
    }
  }

  AmqpProducerOptions options;
  detail::Connection connection;
  std::string id_prefix = random_prefix();
  std::uint64_t id_counter = 0;
  std::uint64_t next_tag = 1;
  std::vector<amqp_table_entry_t> entries;
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
};

AmqpProducer::AmqpProducer(AmqpProducerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

AmqpProducer::~AmqpProducer() = default;

std::string AmqpProducer::destination_name(std::string_view destination) const {
  return producer_destination_name(impl_->options.exchange, destination);
}

SendResult AmqpProducer::send(std::string_view destination, std::string_view payload,
                              const MessageHeaders& headers) noexcept {
  Impl& s = *impl_;
  try {
    const std::string where = "amqp publish " + producer_destination_name(s.options.exchange, destination);
    for (const auto& h : headers) {
      if (h.name == kSentTimeHeader) return s.fail(TransportStatus::kInvalidArgument, where + ": header '" + h.name + "' is reserved");
      if (h.type == HeaderType::kOther)
        return s.fail(TransportStatus::kInvalidArgument, where + ": header '" + h.name + "' has a non-text type");
    }
    const std::string sent_at = std::to_string(unix_now_ns());
    const std::string message_id = s.id_prefix + "-" + std::to_string(++s.id_counter);

    s.entries.clear();
    for (const auto& h : headers) {
      amqp_table_entry_t e;
      e.key = detail::bytes(h.name);
      e.value.kind = h.type == HeaderType::kBytes ? AMQP_FIELD_KIND_BYTES : AMQP_FIELD_KIND_UTF8;
      e.value.value.bytes = detail::bytes(h.value);
      s.entries.push_back(e);
    }
    amqp_table_entry_t sent_entry;
    sent_entry.key = detail::bytes(kSentTimeHeader);
    sent_entry.value.kind = AMQP_FIELD_KIND_UTF8;
    sent_entry.value.value.bytes = detail::bytes(sent_at);
    s.entries.push_back(sent_entry);

    amqp_basic_properties_t props;
    std::memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG |
                   AMQP_BASIC_MESSAGE_ID_FLAG;
    props.content_type = amqp_cstring_bytes("application/octet-stream");
    props.delivery_mode = s.options.persistent ? 2 : 1;
    props.message_id = detail::bytes(message_id);
    props.headers.num_entries = static_cast<int>(s.entries.size());
    props.headers.entries = s.entries.data();

    const auto deadline = std::chrono::steady_clock::now() + s.options.endpoint.reconnect.deadline;
    std::string last_error;
    for (;;) {
      std::string error;
      amqp_connection_state_t state = s.connection.ensure(error);
      if (state == nullptr) return s.fail(TransportStatus::kUnavailable, where + ": " + error);
      const std::uint64_t tag = s.next_tag++;
      int rc = amqp_basic_publish(state, detail::kChannel, detail::bytes(s.options.exchange), detail::bytes(destination),
                                  s.options.mandatory ? 1 : 0, 0, &props, detail::bytes(payload));
      Confirm confirm = Confirm::kConnectionLost;
      std::string detail_text = rc == AMQP_STATUS_OK ? std::string() : amqp_error_string2(rc);
      if (rc == AMQP_STATUS_OK) confirm = s.wait_confirm(state, tag, detail_text);
      switch (confirm) {
        case Confirm::kAck: ++s.sent; return SendResult{TransportStatus::kOk, message_id, {}};
        case Confirm::kNack: return s.fail(TransportStatus::kRejected, where + ": broker nacked the message");
        case Confirm::kReturned:
          return s.fail(TransportStatus::kUnroutable, where + ": returned as unroutable (" + detail_text + ")");
        case Confirm::kTimeout:
          return s.fail(TransportStatus::kTimeout, where + ": no confirm within " +
                                                       std::to_string(s.options.confirm_timeout.count()) + " ms");
        case Confirm::kChannelClosed:
          s.connection.drop();
          return s.fail(TransportStatus::kRejected, where + ": channel closed by broker: " + detail_text);
        case Confirm::kConnectionLost:
          // Publish again on a new connection (at-least-once), until the reconnect deadline.
          s.connection.drop();
          last_error = where + ": connection lost: " + detail_text;
          break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return s.fail(TransportStatus::kUnavailable, last_error);
    }
  } catch (const std::exception& e) {
    return s.fail(TransportStatus::kRejected, std::string("amqp publish: ") + e.what());
  }
}

ProducerCounters AmqpProducer::counters() const noexcept {
  return ProducerCounters{impl_->sent, impl_->failed, impl_->connection.reconnects()};
}

}  // namespace frame_tracking::rabbitmq
