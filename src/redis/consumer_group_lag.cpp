// SPDX-License-Identifier: Apache-2.0
// ConsumerGroupLag: XINFO GROUPS <stream>, the `lag` field of the named group.
#include "frame_tracking/redis/consumer_group_lag.hpp"

#include "redis_connection.hpp"

#include <hiredis/hiredis.h>

namespace frame_tracking::redis {
namespace {

std::string_view text(const redisReply& r) noexcept { return {r.str, r.len}; }

bool is_text(const redisReply* r) noexcept {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

}  // namespace

struct ConsumerGroupLag::Impl {
  Impl(RedisEndpoint endpoint, std::string s, std::string g)
      : connection(std::move(endpoint)), stream(std::move(s)), group(std::move(g)) {}
  detail::Connection connection;
  std::string stream;
  std::string group;
};

ConsumerGroupLag::ConsumerGroupLag(RedisEndpoint endpoint, std::string stream, std::string group)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(stream), std::move(group))) {}

ConsumerGroupLag::~ConsumerGroupLag() = default;

Result<std::uint64_t> ConsumerGroupLag::read() noexcept {
  const std::string what = "XINFO GROUPS " + impl_->stream + " (group " + impl_->group + ")";
  try {
    std::string error;
    detail::Reply reply = impl_->connection.command({"XINFO", "GROUPS", impl_->stream}, std::chrono::milliseconds{0}, error);
    if (!reply) return Error{ErrorCode::kInvalidInput, what + ": " + error};
    if (reply->type == REDIS_REPLY_ERROR) return Error{ErrorCode::kInvalidInput, what + ": " + std::string(text(*reply))};
    if (reply->type != REDIS_REPLY_ARRAY) return Error{ErrorCode::kWrongType, what + ": reply is not an array"};
    // One flat [name, value, name, value, …] array per group (RESP2).
    for (std::size_t g = 0; g < reply->elements; ++g) {
      const redisReply* fields = reply->element[g];
      if (fields == nullptr || fields->type != REDIS_REPLY_ARRAY) continue;
      const redisReply* lag = nullptr;
      bool ours = false;
      for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply* key = fields->element[i];
        const redisReply* value = fields->element[i + 1];
        if (!is_text(key)) continue;
        if (text(*key) == "name" && is_text(value) && text(*value) == impl_->group) ours = true;
        if (text(*key) == "lag") lag = value;
      }
      if (!ours) continue;
      if (lag == nullptr) return Error{ErrorCode::kMissingField, what + ": no lag field (Redis older than 7.0)"};
      if (lag->type != REDIS_REPLY_INTEGER || lag->integer < 0)
        return Error{ErrorCode::kInvalidInput, what + ": lag unknown (nil: entries were deleted or the group was set to an arbitrary id)"};
      return static_cast<std::uint64_t>(lag->integer);
    }
    return Error{ErrorCode::kMissingField, what + ": no such consumer group"};
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidInput, what + ": " + e.what()};
  }
}

}  // namespace frame_tracking::redis
