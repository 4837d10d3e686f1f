// SPDX-License-Identifier: Apache-2.0
// Private: hiredis connection with reconnect-and-retry (see redis_connection.hpp).
#include "redis_connection.hpp"

#include "frame_tracking/reconnect_backoff.hpp"
#include "frame_tracking/timeval.hpp"

#include <hiredis/hiredis.h>

namespace frame_tracking::redis::detail {

void ReplyDeleter::operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }

Connection::Connection(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

Connection::~Connection() { disconnect(); }

void Connection::disconnect() noexcept {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

bool Connection::connect_once(std::string& error) {
  disconnect();
  redisContext* c = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(endpoint_.connect_timeout));
  if (c == nullptr) {
    error = "redis " + endpoint_.to_url() + ": cannot allocate a connection";
    return false;
  }
  if (c->err != 0) {
    error = "redis " + endpoint_.to_url() + ": connect failed: " + c->errstr;
    redisFree(c);
    return false;
  }
  context_ = c;
  if (endpoint_.database != 0) {
    std::string db = std::to_string(endpoint_.database);
    redisSetTimeout(context_, to_timeval(endpoint_.command_timeout));
    Reply r(static_cast<redisReply*>(redisCommand(context_, "SELECT %s", db.c_str())));
    if (!r || r->type == REDIS_REPLY_ERROR) {
      error = "redis " + endpoint_.to_url() + ": SELECT " + db + " failed" + (r ? std::string(": ") + r->str : "");
      disconnect();
      return false;
    }
  }
  ++epoch_;
  return true;
}

Reply Connection::command(const std::vector<std::string_view>& args, std::chrono::milliseconds extra_timeout,
                          std::string& error) {
  ReconnectBackoff backoff(endpoint_.reconnect);
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  argv.reserve(args.size());
  argvlen.reserve(args.size());
  for (auto a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  for (bool first = true;; first = false) {
    if (!first && !backoff.wait(error)) return nullptr;
    if (context_ == nullptr && !connect_once(error)) continue;
    redisSetTimeout(context_, to_timeval(endpoint_.command_timeout + extra_timeout));
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), argvlen.data())));
    if (reply) return reply;
    error = "redis " + endpoint_.to_url() + ": " + std::string(args.empty() ? "" : args[0]) +
            " failed: " + (context_->errstr[0] != '\0' ? context_->errstr : "connection lost");
    disconnect();
  }
}

}  // namespace frame_tracking::redis::detail
