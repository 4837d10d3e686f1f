// SPDX-License-Identifier: Apache-2.0
// StreamProducer: XADD (bounded by a Lua script when max_length is set) with reconnect-and-retry.
#include "frame_tracking/redis/stream_producer.hpp"

#include "frame_tracking/wall_clock.hpp"

#include "redis_connection.hpp"

#include <hiredis/hiredis.h>

namespace frame_tracking::redis {
namespace {

/// EVAL script for a bounded stream. KEYS[1] = stream, ARGV[1] = max_length, ARGV[2..] = the
/// entry's field/value pairs. When the stream is full it first trims the entries every consumer
/// group is done with: below each group's oldest pending (delivered, not acknowledged) entry, or
/// past its last-delivered-id when nothing is pending; then it adds the entry if there is room. A
/// stream without any group is trimmed oldest first, as MAXLEN does (no reader to wait for).
/// Returns the new entry id, or the number of entries kept for a group (an integer) when the
/// stream is still full: the entry was not added. Atomic on the server.
constexpr std::string_view kBoundedXadd = R"lua(
local max = tonumber(ARGV[1])
if redis.call('XLEN', KEYS[1]) >= max then
  local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
  if #groups == 0 then redis.call('XTRIM', KEYS[1], 'MAXLEN', max - 1) end
  local function parse(id)
    local ms, seq = string.match(id, '^(%d+)-(%d+)$')
    return {tonumber(ms), tonumber(seq)}
  end
  local floor
  for _, group in ipairs(groups) do
    local info = {}
    for i = 1, #group, 2 do info[group[i]] = group[i + 1] end
    local keep = parse(info['last-delivered-id'])
    keep[2] = keep[2] + 1
    local pending = redis.call('XPENDING', KEYS[1], info['name'])
    if pending[1] > 0 then keep = parse(pending[2]) end
    if floor == nil or keep[1] < floor[1] or (keep[1] == floor[1] and keep[2] < floor[2]) then floor = keep end
  end
  if floor then redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-%d', floor[1], floor[2])) end
  local kept = redis.call('XLEN', KEYS[1])
  if kept >= max then return kept end
end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
)lua";

}  // namespace

struct StreamProducer::Impl {
  explicit Impl(StreamProducerOptions o) : options(std::move(o)), connection(options.endpoint) {}

  SendResult fail(TransportStatus status, std::string error) {
    ++failed;
    return SendResult{status, {}, std::move(error)};
  }

  StreamProducerOptions options;
  detail::Connection connection;
  std::string max_length_text = options.max_length > 0 ? std::to_string(options.max_length) : std::string();
  std::vector<std::string_view> args;
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
};

StreamProducer::StreamProducer(StreamProducerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

StreamProducer::~StreamProducer() = default;

SendResult StreamProducer::send(std::string_view destination, std::string_view payload,
                                const MessageHeaders& headers) noexcept {
  Impl& s = *impl_;
  try {
    if (destination.empty()) return s.fail(TransportStatus::kInvalidArgument, "redis XADD: stream name is empty");
    for (const auto& h : headers) {
      if (h.name == kPayloadField || h.name == kSentTimeHeader)
        return s.fail(TransportStatus::kInvalidArgument,
                      "redis XADD " + std::string(destination) + ": header '" + h.name + "' is a reserved field");
    }
    const std::string sent_at = std::to_string(unix_now_ns());
    auto& args = s.args;
    args.clear();
    if (s.max_length_text.empty()) args.insert(args.end(), {"XADD", destination, "*"});
    else args.insert(args.end(), {"EVAL", kBoundedXadd, "1", destination, s.max_length_text});
    args.insert(args.end(), {kPayloadField, payload});
    for (const auto& h : headers) args.insert(args.end(), {h.name, h.value});
    args.insert(args.end(), {kSentTimeHeader, sent_at});

    std::string error;
    detail::Reply reply = s.connection.command(args, std::chrono::milliseconds{0}, error);
    if (!reply) return s.fail(TransportStatus::kUnavailable, std::move(error));
    if (reply->type == REDIS_REPLY_ERROR)
      return s.fail(TransportStatus::kRejected,
                    "redis XADD " + std::string(destination) + ": " + std::string(reply->str, reply->len));
    if (reply->type == REDIS_REPLY_INTEGER)
      return s.fail(TransportStatus::kQueueFull, "redis XADD " + std::string(destination) + ": queue_full: " +
                                                     std::to_string(reply->integer) +
                                                     " entries not yet acknowledged by every consumer group (max_length " +
                                                     s.max_length_text + ")");
    if (reply->type != REDIS_REPLY_STRING)
      return s.fail(TransportStatus::kRejected, "redis XADD " + std::string(destination) + ": unexpected reply type");
    ++s.sent;
    return SendResult{TransportStatus::kOk, std::string(reply->str, reply->len), {}};
  } catch (const std::exception& e) {
    return s.fail(TransportStatus::kRejected, std::string("redis XADD: ") + e.what());
  }
}

ProducerCounters StreamProducer::counters() const noexcept {
  return ProducerCounters{impl_->sent, impl_->failed, impl_->connection.reconnects()};
}

}  // namespace frame_tracking::redis
