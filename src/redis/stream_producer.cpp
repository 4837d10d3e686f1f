// SPDX-License-Identifier: Apache-2.0
// StreamProducer: XADD with reconnect-and-retry (see stream_producer.hpp).
#include "frame_tracking/redis/stream_producer.hpp"

#include "frame_tracking/wall_clock.hpp"

#include "redis_connection.hpp"

#include <hiredis/hiredis.h>

namespace frame_tracking::redis {

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
    args.insert(args.end(), {"XADD", destination});
    if (!s.max_length_text.empty()) args.insert(args.end(), {"MAXLEN", "~", s.max_length_text});
    args.insert(args.end(), {"*", kPayloadField, payload});
    for (const auto& h : headers) args.insert(args.end(), {h.name, h.value});
    args.insert(args.end(), {kSentTimeHeader, sent_at});

    std::string error;
    detail::Reply reply = s.connection.command(args, std::chrono::milliseconds{0}, error);
    if (!reply) return s.fail(TransportStatus::kUnavailable, std::move(error));
    if (reply->type == REDIS_REPLY_ERROR)
      return s.fail(TransportStatus::kRejected,
                    "redis XADD " + std::string(destination) + ": " + std::string(reply->str, reply->len));
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
