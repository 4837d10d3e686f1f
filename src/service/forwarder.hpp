// SPDX-License-Identifier: Apache-2.0
// Forwarder: re-sends accepted OTLP request bodies to an upstream OTLP/HTTP endpoint in the background.
#pragma once

#include "frame_tracking/result.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace frame_tracking::service {

/// Sends each enqueued body to `url` (http:// or https://, full traces path) from one thread.
/// Retryable failures (connection errors, 429, 502, 503, 504) are retried with exponential backoff
/// up to kMaxAttempts; then the request is counted as failed. A full queue drops the newest body
/// and counts it. Thread safety: enqueue and the counters may be used from any thread.
class Forwarder {
 public:
  static constexpr int kMaxAttempts = 5;

  /// Parses `url`; error names the rule when it is not scheme://host[:port]/path.
  static Result<std::unique_ptr<Forwarder>> create(const std::string& url, std::size_t max_queue = 1024);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  /// Queues a copy of an accepted request body; never blocks on the network.
  void enqueue(std::string content_type, std::string body);

  std::uint64_t forwarded() const noexcept { return forwarded_; }
  std::uint64_t failed() const noexcept { return failed_; }
  std::uint64_t dropped() const noexcept { return dropped_; }
  std::uint64_t retries() const noexcept { return retries_; }

 private:
  Forwarder(std::string origin, std::string path, std::size_t max_queue);
  void run();

  std::string origin_;
  std::string path_;
  std::size_t max_queue_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> forwarded_{0}, failed_{0}, dropped_{0}, retries_{0};
  std::thread thread_;
};

}  // namespace frame_tracking::service
