// SPDX-License-Identifier: Apache-2.0
// StreamConsumer: consumer-group reads, acks, claims and dead-lettering (see stream_consumer.hpp).
#include "frame_tracking/redis/stream_consumer.hpp"

#include "frame_tracking/consumer_tally.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "frame_tracking/wall_clock.hpp"

#include "redis_connection.hpp"
#include "stream_entry.hpp"

#include <hiredis/hiredis.h>

#include <map>

namespace frame_tracking::redis {
namespace {

using Clock = std::chrono::steady_clock;

std::string_view reply_text(const redisReply& r) noexcept { return {r.str, r.len}; }

bool is_error(const detail::Reply& r, std::string_view prefix) {
  return r && r->type == REDIS_REPLY_ERROR && reply_text(*r).substr(0, prefix.size()) == prefix;
}

}  // namespace

struct StreamConsumer::Impl {
  explicit Impl(StreamConsumerOptions o) : options(std::move(o)), connection(options.endpoint) {}

  /// Runs a command; nullptr (with `error`) when Redis stays unreachable.
  detail::Reply run(const std::vector<std::string_view>& args, std::string& error,
                    std::chrono::milliseconds block = std::chrono::milliseconds{0}) {
    return connection.command(args, block, error);
  }

  /// XGROUP CREATE … MKSTREAM; an existing group (BUSYGROUP) is fine.
  bool ensure_group(std::string& error) {
    if (group_ready) return true;
    auto r = run({"XGROUP", "CREATE", options.stream, options.group, options.group_start_id, "MKSTREAM"}, error);
    if (!r) return false;
    if (r->type == REDIS_REPLY_ERROR && !is_error(r, "BUSYGROUP")) {
      error = "redis XGROUP CREATE " + options.stream + " " + options.group + ": " + std::string(reply_text(*r));
      return false;
    }
    group_ready = true;
    return true;
  }

  /// Appends the decodable entries of an entry array; deleted entries are acked and counted.
  void collect(const redisReply& entries, std::vector<ReceivedMessage>& out) {
    if (entries.type != REDIS_REPLY_ARRAY) return;
    std::string id;
    for (size_t i = 0; i < entries.elements; ++i) {
      ReceivedMessage m;
      id.clear();
      if (detail::decode_entry(*entries.element[i], options.stream, m, id)) {
        out.push_back(std::move(m));
      } else if (!id.empty()) {
        ++tally.counters.deleted;
        std::string error;
        run({"XACK", options.stream, options.group, id}, error);
      }
    }
  }

  /// Entries of an XREADGROUP reply `[[stream, [entries]]]` (nil = none).
  void collect_read(const redisReply& r, std::vector<ReceivedMessage>& out) {
    if (r.type != REDIS_REPLY_ARRAY) return;
    for (size_t i = 0; i < r.elements; ++i) {
      const redisReply* s = r.element[i];
      if (s != nullptr && s->type == REDIS_REPLY_ARRAY && s->elements == 2) collect(*s->element[1], out);
    }
  }

  /// Sets delivery_count of redelivered messages from the pending entries list (XPENDING range).
  void fill_delivery_counts(std::vector<ReceivedMessage>& messages) {
    if (messages.empty()) return;
    std::string error;
    std::string count = std::to_string(messages.size());
    auto r = run({"XPENDING", options.stream, options.group, messages.front().id, messages.back().id, count,
                  options.consumer},
                 error);
    if (!r || r->type != REDIS_REPLY_ARRAY) return;
    std::map<std::string_view, std::uint32_t> counts;
    for (size_t i = 0; i < r->elements; ++i) {
      const redisReply* e = r->element[i];
      if (e->type == REDIS_REPLY_ARRAY && e->elements == 4 && e->element[0]->type == REDIS_REPLY_STRING &&
          e->element[3]->type == REDIS_REPLY_INTEGER)
        counts[reply_text(*e->element[0])] = static_cast<std::uint32_t>(e->element[3]->integer);
    }
    for (auto& m : messages) {
      if (auto it = counts.find(m.id); it != counts.end()) m.delivery_count = it->second;
    }
  }

  /// Moves messages delivered more than max_deliveries times to the dead-letter stream.
  void drop_poison(std::vector<ReceivedMessage>& messages) {
    if (options.max_deliveries == 0) return;
    std::vector<ReceivedMessage> keep;
    for (auto& m : messages) {
      if (m.delivery_count > options.max_deliveries) dead_letter(m);
      else keep.push_back(std::move(m));
    }
    messages.swap(keep);
  }

  bool dead_letter(const ReceivedMessage& m) {
    std::string error;
    if (!options.dead_letter_stream.empty()) {
      std::string from = options.stream + ":" + m.id;
      std::vector<std::string_view> args{"XADD", options.dead_letter_stream, "*", StreamProducer::kPayloadField, m.payload};
      for (const auto& h : m.headers) args.insert(args.end(), {h.name, h.value});
      args.insert(args.end(), {"dead_letter_from", from});
      auto r = run(args, error);
      if (!r || r->type == REDIS_REPLY_ERROR) {
        ++tally.counters.errors;
        return false;
      }
    }
    auto r = run({"XACK", options.stream, options.group, m.id}, error);
    if (!r || r->type == REDIS_REPLY_ERROR) {
      ++tally.counters.errors;
      return false;
    }
    ++tally.counters.dead_lettered;
    return true;
  }

  PollResult poll_once(std::size_t max_count, std::chrono::milliseconds timeout, bool& retry_nogroup) {
    PollResult result;
    std::string error;
    if (!ensure_group(error)) return tally.failed_poll(TransportStatus::kUnavailable, std::move(error));
    const std::string count = std::to_string(max_count);
    if (connection.epoch() != seen_epoch) {
      // A new connection: a reply lost with the old one may have left entries pending on this
      // name that the application never saw, so the pending history is read again.
      seen_epoch = connection.epoch();
      own_cursor = "0";
    }

    // 1. What this consumer name still had pending when it last stopped or lost its connection.
    if (!own_cursor.empty()) {
      auto r = run({"XREADGROUP", "GROUP", options.group, options.consumer, "COUNT", count, "STREAMS", options.stream,
                    own_cursor},
                   error);
      if (!r) return tally.failed_poll(TransportStatus::kUnavailable, std::move(error));
      if (is_error(r, "NOGROUP")) return retry_nogroup = true, result;
      if (r->type == REDIS_REPLY_ERROR) return tally.failed_poll(TransportStatus::kRejected, "redis XREADGROUP: " + std::string(reply_text(*r)));
      collect_read(*r, result.messages);
      if (result.messages.empty()) {
        own_cursor.clear();
      } else {
        own_cursor = result.messages.back().id;
        fill_delivery_counts(result.messages);
        drop_poison(result.messages);
        return result;
      }
    }

    // 2. Entries left pending by consumers idle for too long.
    if (options.claim_min_idle.count() > 0 && Clock::now() >= next_claim) {
      const std::string idle = std::to_string(options.claim_min_idle.count());
      auto r = run({"XAUTOCLAIM", options.stream, options.group, options.consumer, idle, claim_cursor, "COUNT", count},
                   error);
      if (!r) return tally.failed_poll(TransportStatus::kUnavailable, std::move(error));
      if (is_error(r, "NOGROUP")) return retry_nogroup = true, result;
      if (r->type == REDIS_REPLY_ERROR) return tally.failed_poll(TransportStatus::kRejected, "redis XAUTOCLAIM: " + std::string(reply_text(*r)));
      if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2 && r->element[0]->type == REDIS_REPLY_STRING) {
        claim_cursor.assign(reply_text(*r->element[0]));
        collect(*r->element[1], result.messages);
        if (r->elements >= 3 && r->element[2]->type == REDIS_REPLY_ARRAY) tally.counters.deleted += r->element[2]->elements;
      }
      if (claim_cursor == "0-0") next_claim = Clock::now() + options.claim_interval;
      if (!result.messages.empty()) {
        tally.counters.claimed += result.messages.size();
        fill_delivery_counts(result.messages);
        drop_poison(result.messages);
        return result;
      }
    }

    // 3. New entries, waiting up to `timeout` for the first.
    std::vector<std::string_view> args{"XREADGROUP", "GROUP", options.group, options.consumer, "COUNT", count};
    const std::string block = std::to_string(timeout.count());
    if (timeout.count() > 0) args.insert(args.end(), {"BLOCK", block});
    args.insert(args.end(), {"STREAMS", options.stream, ">"});
    auto r = run(args, error, timeout);
    if (!r) return tally.failed_poll(TransportStatus::kUnavailable, std::move(error));
    if (is_error(r, "NOGROUP")) return retry_nogroup = true, result;
    if (r->type == REDIS_REPLY_ERROR) return tally.failed_poll(TransportStatus::kRejected, "redis XREADGROUP: " + std::string(reply_text(*r)));
    collect_read(*r, result.messages);
    return result;
  }

  StreamConsumerOptions options;
  detail::Connection connection;
  bool group_ready = false;
  std::string own_cursor = "0";
  std::uint64_t seen_epoch = 0;
  std::string claim_cursor = "0-0";
  Clock::time_point next_claim = Clock::now();
  ConsumerTally tally;
};

StreamConsumer::StreamConsumer(StreamConsumerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

StreamConsumer::~StreamConsumer() = default;

PollResult StreamConsumer::poll(std::size_t max_count, std::chrono::milliseconds timeout) noexcept {
  Impl& s = *impl_;
  try {
    if (max_count == 0) max_count = 1;
    for (int attempt = 0;; ++attempt) {
      bool nogroup = false;
      PollResult r = s.poll_once(max_count, timeout, nogroup);
      if (!nogroup) {
        const std::int64_t now = unix_now_ns();
        for (auto& m : r.messages) m.received_unix_ns = now, m.connection_epoch = s.connection.epoch();
        s.tally.counters.received += r.messages.size();
        return r;
      }
      // The group vanished (Redis restarted without persistence): recreate it once and read again.
      s.group_ready = false;
      if (attempt > 0) return s.tally.failed_poll(TransportStatus::kRejected, "redis: group " + s.options.group + " keeps vanishing");
    }
  } catch (const std::exception& e) {
    return s.tally.failed_poll(TransportStatus::kRejected, std::string("redis poll: ") + e.what());
  }
}

bool StreamConsumer::ack(const ReceivedMessage& message) noexcept {
  Impl& s = *impl_;
  try {
    std::string error;
    auto r = s.run({"XACK", s.options.stream, s.options.group, message.id}, error);
    if (!r || r->type == REDIS_REPLY_ERROR) {
      ++s.tally.counters.errors;
      return false;
    }
    ++s.tally.counters.acked;
    return true;
  } catch (const std::exception&) {
    ++s.tally.counters.errors;
    return false;
  }
}

bool StreamConsumer::reject(const ReceivedMessage& message, RejectAction action) noexcept {
  Impl& s = *impl_;
  try {
    if (action == RejectAction::kRequeue) {
      // Left pending: XAUTOCLAIM hands it out again once it has been idle for claim_min_idle.
      ++s.tally.counters.requeued;
      return true;
    }
    return s.dead_letter(message);
  } catch (const std::exception&) {
    ++s.tally.counters.errors;
    return false;
  }
}

ConsumerCounters StreamConsumer::counters() const noexcept {
  return impl_->tally.snapshot(impl_->connection.reconnects());
}

}  // namespace frame_tracking::redis
