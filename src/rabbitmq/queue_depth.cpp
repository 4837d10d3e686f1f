// SPDX-License-Identifier: Apache-2.0
// QueueDepth: a passive queue.declare on a connection of its own.
#include "frame_tracking/rabbitmq/queue_depth.hpp"

#include "amqp_connection.hpp"

namespace frame_tracking::rabbitmq {

struct QueueDepth::Impl {
  Impl(AmqpEndpoint endpoint, std::string q)
      : connection(std::move(endpoint), [](amqp_connection_state_t) { return std::string(); }), queue(std::move(q)) {}
  detail::Connection connection;
  std::string queue;
};

QueueDepth::QueueDepth(AmqpEndpoint endpoint, std::string queue)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(queue))) {}

QueueDepth::~QueueDepth() = default;

Result<std::uint64_t> QueueDepth::read() noexcept {
  const std::string what = "queue.declare passive " + impl_->queue;
  try {
    std::string error;
    amqp_connection_state_t state = impl_->connection.ensure(error);
    if (state == nullptr) return Error{ErrorCode::kInvalidInput, what + ": " + error};
    amqp_queue_declare_ok_t* ok =
        amqp_queue_declare(state, detail::kChannel, detail::bytes(impl_->queue), 1, 0, 0, 0, amqp_empty_table);
    const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state);
    if (ok == nullptr || reply.reply_type != AMQP_RESPONSE_NORMAL) {
      // The reply text lives in the connection's memory: read it before dropping. A 404 closes
      // the channel, so the next read starts over on a fresh connection.
      std::string message = what + ": " + (ok == nullptr && reply.reply_type == AMQP_RESPONSE_NORMAL
                                                ? std::string("no queue.declare-ok")
                                                : detail::reply_error(reply));
      impl_->connection.drop();
      return Error{ErrorCode::kInvalidInput, std::move(message)};
    }
    return static_cast<std::uint64_t>(ok->message_count);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidInput, what + ": " + e.what()};
  }
}

}  // namespace frame_tracking::rabbitmq
