// SPDX-License-Identifier: Apache-2.0
// Fuzz target: AMQP basic.properties (headers table) as rabbitmq-c decodes them and the RabbitMQ consumer reads them.
#include "message_context_check.hpp"

#include "amqp_headers.hpp"

#include <amqp.h>
#include <amqp_framing.h>

#include <cstddef>
#include <cstdint>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input is the property part of a content header frame, decoded by the same library call
  // the consumer's connection uses; the pool owns everything it decodes.
  amqp_pool_t pool;
  init_amqp_pool(&pool, 4096);
  void* decoded = nullptr;
  amqp_bytes_t encoded{size, const_cast<std::uint8_t*>(data)};
  if (amqp_decode_properties(AMQP_BASIC_CLASS, &pool, encoded, &decoded) == AMQP_STATUS_OK && decoded != nullptr) {
    const auto& properties = *static_cast<const amqp_basic_properties_t*>(decoded);
    ReceivedMessage message;
    if ((properties._flags & AMQP_BASIC_HEADERS_FLAG) != 0) {
      rabbitmq::detail::read_headers(properties.headers, message);
      FT_FUZZ_CHECK(message.headers.size() == static_cast<std::size_t>(properties.headers.num_entries));
    }
    fuzz::check_message_context(message);
  }
  empty_amqp_pool(&pool);
  return 0;
}
