// SPDX-License-Identifier: Apache-2.0
// Test support: publishing to the fixture's RabbitMQ node as another AMQP client would (rabbitmq-c, typed header values).
#pragma once

#include "messaging_support/broker_fixture.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace frame_tracking::testing {

/// Publishes the body "x" to `queue` through the default exchange with `headers` as its AMQP
/// headers table, on a connection of its own (rabbitmq-c, guest/guest), as another client would.
/// Failures are fatal test failures (check with ASSERT_NO_FATAL_FAILURE when it matters).
inline void publish_foreign(const std::string& queue, std::vector<amqp_table_entry_t> headers) {
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  ASSERT_EQ(amqp_socket_open(socket, "127.0.0.1", fixture_port("rabbitmq")), AMQP_STATUS_OK);
  ASSERT_EQ(amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type,
            AMQP_RESPONSE_NORMAL);
  amqp_channel_open(conn, 1);
  ASSERT_EQ(amqp_get_rpc_reply(conn).reply_type, AMQP_RESPONSE_NORMAL);
  amqp_basic_properties_t props;
  std::memset(&props, 0, sizeof props);
  props._flags = AMQP_BASIC_HEADERS_FLAG;
  props.headers.num_entries = static_cast<int>(headers.size());
  props.headers.entries = headers.data();
  ASSERT_EQ(amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes(queue.c_str()), 0, 0, &props,
                               amqp_cstring_bytes("x")),
            AMQP_STATUS_OK);
  amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
  amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
}

/// One AMQP header table entry (the key must outlive the publish).
inline amqp_table_entry_t header_entry(const char* key, amqp_field_value_t value) {
  amqp_table_entry_t e;
  e.key = amqp_cstring_bytes(key);
  e.value = value;
  return e;
}

/// A byte-array field value ('x', how other clients send traceparent); `bytes` must outlive the publish.
inline amqp_field_value_t bytes_field(const char* bytes) {
  amqp_field_value_t v;
  v.kind = AMQP_FIELD_KIND_BYTES;
  v.value.bytes = amqp_cstring_bytes(bytes);
  return v;
}

/// A signed 32-bit ('I') field value.
inline amqp_field_value_t i32_field(std::int32_t value) {
  amqp_field_value_t v;
  v.kind = AMQP_FIELD_KIND_I32;
  v.value.i32 = value;
  return v;
}

/// A signed 64-bit ('l') field value.
inline amqp_field_value_t i64_field(std::int64_t value) {
  amqp_field_value_t v;
  v.kind = AMQP_FIELD_KIND_I64;
  v.value.i64 = value;
  return v;
}

}  // namespace frame_tracking::testing
