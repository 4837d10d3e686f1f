// SPDX-License-Identifier: Apache-2.0
// Private: AMQP headers table decoding (see amqp_headers.hpp).
#include "amqp_headers.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace frame_tracking::rabbitmq::detail {
namespace {

constexpr std::int64_t kMaxPreviousDeliveries = std::numeric_limits<std::uint32_t>::max() - 1;

std::string_view view(const amqp_bytes_t& b) noexcept { return {static_cast<const char*>(b.bytes), b.len}; }

/// A header as the application sees it: text kinds keep their bytes, scalars are rendered.
MessageHeader to_header(const amqp_table_entry_t& e) {
  MessageHeader h;
  h.name.assign(view(e.key));
  const amqp_field_value_t& v = e.value;
  switch (v.kind) {
    case AMQP_FIELD_KIND_UTF8: h.value.assign(view(v.value.bytes)); h.type = HeaderType::kString; return h;
    case AMQP_FIELD_KIND_BYTES: h.value.assign(view(v.value.bytes)); h.type = HeaderType::kBytes; return h;
    default: break;
  }
  h.type = HeaderType::kOther;
  switch (v.kind) {
    case AMQP_FIELD_KIND_BOOLEAN: h.value = v.value.boolean != 0 ? "true" : "false"; break;
    case AMQP_FIELD_KIND_I8: h.value = std::to_string(v.value.i8); break;
    case AMQP_FIELD_KIND_U8: h.value = std::to_string(v.value.u8); break;
    case AMQP_FIELD_KIND_I16: h.value = std::to_string(v.value.i16); break;
    case AMQP_FIELD_KIND_U16: h.value = std::to_string(v.value.u16); break;
    case AMQP_FIELD_KIND_I32: h.value = std::to_string(v.value.i32); break;
    case AMQP_FIELD_KIND_U32: h.value = std::to_string(v.value.u32); break;
    case AMQP_FIELD_KIND_I64: h.value = std::to_string(v.value.i64); break;
    case AMQP_FIELD_KIND_U64: h.value = std::to_string(v.value.u64); break;
    case AMQP_FIELD_KIND_TIMESTAMP: h.value = std::to_string(v.value.u64); break;
    default: break;  // tables, arrays, floats, decimals, void: no text form needed
  }
  return h;
}

std::int64_t parse_int(std::string_view t) noexcept {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  return ec == std::errc{} && end == t.data() + t.size() ? v : 0;
}

}  // namespace

void read_headers(const amqp_table_t& table, ReceivedMessage& message) {
  if (table.num_entries <= 0) return;
  message.headers.reserve(message.headers.size() + static_cast<std::size_t>(table.num_entries));
  for (int i = 0; i < table.num_entries; ++i) {
    MessageHeader h = to_header(table.entries[i]);
    if (h.name == kSentTimeHeader && h.type != HeaderType::kOther) message.sent_unix_ns = parse_int(h.value);
    // Quorum queues count deliveries exactly. Clamped: on other queues any producer may set this
    // header, and an out-of-range value must neither overflow nor wrap.
    if (h.name == "x-delivery-count" && h.type == HeaderType::kOther) {
      const std::int64_t previous = std::clamp<std::int64_t>(parse_int(h.value), 0, kMaxPreviousDeliveries);
      message.delivery_count = static_cast<std::uint32_t>(previous + 1);
    }
    message.headers.push_back(std::move(h));
  }
}

}  // namespace frame_tracking::rabbitmq::detail
