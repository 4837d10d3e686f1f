// SPDX-License-Identifier: Apache-2.0
// Private: rabbitmq-c connection management (see amqp_connection.hpp).
#include "amqp_connection.hpp"

#include "frame_tracking/reconnect_backoff.hpp"
#include "frame_tracking/timeval.hpp"

#include <amqp_tcp_socket.h>

namespace frame_tracking::rabbitmq::detail {

amqp_bytes_t bytes(std::string_view s) noexcept {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());  // rabbitmq-c takes non-const pointers but does not write
  return b;
}

std::string reply_error(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL: return {};
    case AMQP_RESPONSE_NONE: return "missing RPC reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
        return "connection closed by broker: " + std::to_string(m->reply_code) + " " +
               std::string(static_cast<char*>(m->reply_text.bytes), m->reply_text.len);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
        return "channel closed by broker: " + std::to_string(m->reply_code) + " " +
               std::string(static_cast<char*>(m->reply_text.bytes), m->reply_text.len);
      }
      return "broker error (method " + std::to_string(reply.reply.id) + ")";
  }
  return "unknown RPC reply";
}

Connection::Connection(AmqpEndpoint endpoint, Setup setup) : endpoint_(std::move(endpoint)), setup_(std::move(setup)) {}

Connection::~Connection() {
  if (state_ != nullptr) {
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  drop();
}

void Connection::drop() noexcept {
  if (state_ != nullptr) amqp_destroy_connection(state_);
  state_ = nullptr;
}

std::string Connection::connect_once() {
  drop();
  const std::string where = "amqp " + endpoint_.to_url() + ": ";
  state_ = amqp_new_connection();
  if (state_ == nullptr) return where + "cannot allocate a connection";
  amqp_socket_t* socket = amqp_tcp_socket_new(state_);
  if (socket == nullptr) return drop(), where + "cannot create a socket";
  timeval tv = to_timeval(endpoint_.connect_timeout);
  amqp_set_handshake_timeout(state_, &tv);
  amqp_set_rpc_timeout(state_, &tv);
  if (int rc = amqp_socket_open_noblock(socket, endpoint_.host.c_str(), endpoint_.port, &tv); rc != AMQP_STATUS_OK)
    return drop(), where + "connect failed: " + amqp_error_string2(rc);
  amqp_table_entry_t name_property;
  name_property.key = amqp_cstring_bytes("connection_name");
  name_property.value.kind = AMQP_FIELD_KIND_UTF8;
  name_property.value.value.bytes = bytes(endpoint_.connection_name);
  amqp_table_t properties{endpoint_.connection_name.empty() ? 0 : 1, &name_property};
  amqp_rpc_reply_t login =
      amqp_login_with_properties(state_, endpoint_.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, 0, &properties,
                                 AMQP_SASL_METHOD_PLAIN, endpoint_.user.c_str(), endpoint_.password.c_str());
  if (login.reply_type != AMQP_RESPONSE_NORMAL) return drop(), where + "login failed: " + reply_error(login);
  amqp_channel_open(state_, kChannel);
  if (auto r = amqp_get_rpc_reply(state_); r.reply_type != AMQP_RESPONSE_NORMAL)
    return drop(), where + "channel.open failed: " + reply_error(r);
  if (setup_) {
    if (std::string e = setup_(state_); !e.empty()) return drop(), where + e;
  }
  ++epoch_;
  return {};
}

amqp_connection_state_t Connection::ensure(std::string& error) {
  if (state_ != nullptr) return state_;
  ReconnectBackoff backoff(endpoint_.reconnect);
  for (;;) {
    error = connect_once();
    if (error.empty()) return state_;
    if (!backoff.wait(error)) return nullptr;
  }
}

std::string declare(amqp_connection_state_t state, const QueueDeclaration& queue) {
  amqp_table_entry_t entries[2];
  amqp_table_t arguments = amqp_empty_table;
  if (!queue.dead_letter_queue.empty()) {
    QueueDeclaration dlq;
    dlq.name = queue.dead_letter_queue;
    if (std::string e = declare(state, dlq); !e.empty()) return e;
    entries[0].key = amqp_cstring_bytes("x-dead-letter-exchange");
    entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[0].value.value.bytes = amqp_empty_bytes;
    entries[1].key = amqp_cstring_bytes("x-dead-letter-routing-key");
    entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[1].value.value.bytes = bytes(queue.dead_letter_queue);
    arguments.num_entries = 2;
    arguments.entries = entries;
  }
  amqp_queue_declare(state, kChannel, bytes(queue.name), 0, queue.durable ? 1 : 0, 0, 0, arguments);
  if (auto r = amqp_get_rpc_reply(state); r.reply_type != AMQP_RESPONSE_NORMAL)
    return "queue.declare " + queue.name + " failed: " + reply_error(r);
  return {};
}

}  // namespace frame_tracking::rabbitmq::detail
