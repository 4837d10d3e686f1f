// SPDX-License-Identifier: Apache-2.0
// Regression: AMQP header tables with hostile values, as the RabbitMQ consumer reads them (found by fuzz_amqp_headers).
#include "amqp_headers.hpp"

#include <amqp.h>
#include <amqp_framing.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace frame_tracking::rabbitmq {
namespace {

/// Decodes basic.properties bytes as the consumer's connection does and reads their headers.
ReceivedMessage read(const std::string& encoded) {
  amqp_pool_t pool;
  init_amqp_pool(&pool, 4096);
  void* decoded = nullptr;
  amqp_bytes_t bytes{encoded.size(), const_cast<char*>(encoded.data())};
  ReceivedMessage message;
  if (amqp_decode_properties(AMQP_BASIC_CLASS, &pool, bytes, &decoded) == AMQP_STATUS_OK)
    detail::read_headers(static_cast<const amqp_basic_properties_t*>(decoded)->headers, message);
  empty_amqp_pool(&pool);
  return message;
}

/// basic.properties with only the headers flag and one entry `x-delivery-count` = long-long `count`.
std::string delivery_count_properties(std::int64_t count) {
  std::string out("\x20\x00", 2);                      // property flags: headers
  out += std::string("\x00\x00\x00\x1a", 4);           // table size: 26 bytes
  out += "\x10x-delivery-count";                        // short string key
  out += 'l';                                            // signed 64-bit integer
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((static_cast<std::uint64_t>(count) >> shift) & 0xFF);
  return out;
}

// fuzz_amqp_headers artifact crash-de336a9b…: INT64_MAX + 1 overflowed (UBSan: signed integer overflow).
TEST(AmqpHeadersRegression, MaximalDeliveryCountSaturates) {
  const ReceivedMessage m = read(delivery_count_properties(std::numeric_limits<std::int64_t>::max()));
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0], (MessageHeader{"x-delivery-count", "9223372036854775807", HeaderType::kOther}));
  EXPECT_EQ(m.delivery_count, std::numeric_limits<std::uint32_t>::max());
}

TEST(AmqpHeadersRegression, NegativeDeliveryCountIsFirstDelivery) {
  EXPECT_EQ(read(delivery_count_properties(-5)).delivery_count, 1u);
  EXPECT_EQ(read(delivery_count_properties(std::numeric_limits<std::int64_t>::min())).delivery_count, 1u);
}

TEST(AmqpHeadersRegression, QuorumDeliveryCountIsPreviousPlusOne) {
  EXPECT_EQ(read(delivery_count_properties(0)).delivery_count, 1u);
  EXPECT_EQ(read(delivery_count_properties(3)).delivery_count, 4u);
  EXPECT_EQ(read(delivery_count_properties(4294967294)).delivery_count, 4294967295u);
}

}  // namespace
}  // namespace frame_tracking::rabbitmq
