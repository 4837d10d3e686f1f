// SPDX-License-Identifier: Apache-2.0
// Private: stream entry decoding (see stream_entry.hpp).
#include "stream_entry.hpp"

#include "frame_tracking/redis/stream_producer.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

namespace frame_tracking::redis::detail {
namespace {

bool is_text(const redisReply* r) noexcept {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

std::string_view text(const redisReply* r) noexcept { return {r->str, r->len}; }

}  // namespace

std::int64_t parse_unix_ns(std::string_view t) noexcept {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  return ec == std::errc{} && end == t.data() + t.size() ? v : 0;
}

bool decode_entry(const redisReply& entry, std::string_view stream, ReceivedMessage& message, std::string& id) {
  if (entry.type != REDIS_REPLY_ARRAY || entry.elements != 2 || !is_text(entry.element[0])) return false;
  id.assign(text(entry.element[0]));
  const redisReply* fields = entry.element[1];
  if (fields == nullptr || fields->type != REDIS_REPLY_ARRAY) return false;
  message = ReceivedMessage{};
  message.destination.assign(stream);
  message.id = id;
  message.headers.reserve(fields->elements / 2);
  for (size_t i = 0; i + 1 < fields->elements; i += 2) {
    const redisReply* name = fields->element[i];
    const redisReply* value = fields->element[i + 1];
    if (!is_text(name) || !is_text(value)) continue;
    if (text(name) == StreamProducer::kPayloadField) {
      message.payload.assign(text(value));
      continue;
    }
    if (text(name) == kSentTimeHeader) message.sent_unix_ns = parse_unix_ns(text(value));
    message.headers.push_back(MessageHeader{std::string(text(name)), std::string(text(value)), HeaderType::kString});
  }
  return true;
}

}  // namespace frame_tracking::redis::detail
