// SPDX-License-Identifier: Apache-2.0
// Forwarder: re-sends accepted OTLP request bodies to an upstream OTLP/HTTP endpoint in the background.
#include "forwarder.hpp"

#include <httplib.h>

#include <chrono>

namespace frame_tracking::service {

Result<std::unique_ptr<Forwarder>> Forwarder::create(const std::string& url, std::size_t max_queue) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos || (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0))
    return Error{ErrorCode::kInvalidInput, "--forward: '" + url + "' must start with http:// or https://"};
  auto path_start = url.find('/', scheme_end + 3);
  if (path_start == scheme_end + 3)
    return Error{ErrorCode::kInvalidInput, "--forward: '" + url + "' has no host"};
  std::string origin = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/v1/traces" : url.substr(path_start);
  return std::unique_ptr<Forwarder>(new Forwarder(std::move(origin), std::move(path), max_queue));
}

Forwarder::Forwarder(std::string origin, std::string path, std::size_t max_queue)
    : origin_(std::move(origin)), path_(std::move(path)), max_queue_(max_queue), thread_([this] { run(); }) {}

Forwarder::~Forwarder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Forwarder::enqueue(std::string content_type, std::string body) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queue_) {
      ++dropped_;
      return;
    }
    queue_.emplace_back(std::move(content_type), std::move(body));
  }
  cv_.notify_one();
}

void Forwarder::run() {
  httplib::Client client(origin_);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(10));
  client.set_write_timeout(std::chrono::seconds(10));
  client.set_keep_alive(true);
  for (;;) {
    std::pair<std::string, std::string> item;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    auto backoff = std::chrono::milliseconds(100);
    bool sent = false;
    for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
      auto result = client.Post(path_, item.second, item.first);
      int status = result ? result->status : 0;
      if (status >= 200 && status < 300) {
        sent = true;
        break;
      }
      bool retryable = status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
      if (!retryable || attempt == kMaxAttempts) break;
      ++retries_;
      std::unique_lock lock(mutex_);
      // Waiting on the condition variable lets shutdown cut a backoff short.
      if (cv_.wait_for(lock, backoff, [&] { return stopping_; })) break;
      backoff *= 2;
    }
    if (sent) ++forwarded_;
    else ++failed_;
  }
}

}  // namespace frame_tracking::service
