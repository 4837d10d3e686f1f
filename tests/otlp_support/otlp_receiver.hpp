// SPDX-License-Identifier: Apache-2.0
// A small real OTLP/HTTP receiver on 127.0.0.1 (cpp-httplib) for tests and benchmarks: records every
// request and answers with scripted replies (test code, header-only).
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace frame_tracking::testing {

/// Listens on 127.0.0.1 (a free port, or `port`) in its own thread until destroyed.
/// Thread-safe.
class OtlpTestReceiver {
 public:
  /// One recorded request; `body` is already gunzipped when Content-Encoding was gzip.
  struct Request {
    std::string path;
    std::string content_type;
    std::string content_encoding;
    httplib::Headers headers;
    std::string body;
  };
  /// One scripted reply. `hang` holds the request until the receiver is destroyed.
  struct Reply {
    int status = 200;
    std::string retry_after;
    std::string content_type;
    std::string body;
    bool hang = false;

    static Reply status_only(int status, std::string retry_after = {}) {
      Reply r;
      r.status = status;
      r.retry_after = std::move(retry_after);
      return r;
    }
    static Reply ok_with_body(std::string body) {
      Reply r;
      r.body = std::move(body);
      return r;
    }
    static Reply hanging() {
      Reply r;
      r.hang = true;
      return r;
    }
  };

  explicit OtlpTestReceiver(int port = 0, bool record = true) : record_(record) {
    server_.set_keep_alive_max_count(1000000);
    // A client that still holds its connection delays the receiver's shutdown by this much.
    server_.set_keep_alive_timeout(1);
    server_.set_payload_max_length(64 * 1024 * 1024);
    server_.Post("/v1/traces", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : (server_.bind_to_port("127.0.0.1", port) ? port : -1);
    if (port_ > 0) {
      thread_ = std::thread([this] { server_.listen_after_bind(); });
      // stop() is a no-op until the accept loop runs, so wait for it before anyone may stop us.
      for (int i = 0; i < 5000 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~OtlpTestReceiver() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  OtlpTestReceiver(const OtlpTestReceiver&) = delete;
  OtlpTestReceiver& operator=(const OtlpTestReceiver&) = delete;

  /// The bound port, or -1 if binding failed.
  int port() const { return port_; }
  std::string traces_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }

  /// Replies used in order for the next requests; afterwards every request gets a plain 200.
  void script(std::vector<Reply> replies) {
    std::lock_guard lock(mutex_);
    replies_.assign(replies.begin(), replies.end());
  }

  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard lock(mutex_);
    return count_;
  }
  std::uint64_t body_bytes() const {
    std::lock_guard lock(mutex_);
    return body_bytes_;
  }
  /// Waits until at least `n` requests arrived (or 10 s passed); returns whether they did.
  bool wait_for_requests(std::size_t n) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return count_ >= n; });
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    Reply reply;
    {
      std::unique_lock lock(mutex_);
      ++count_;
      body_bytes_ += req.body.size();
      if (record_) {
        requests_.push_back(Request{req.path, req.get_header_value("Content-Type"),
                                    req.get_header_value("Content-Encoding"), req.headers, req.body});
      }
      if (!replies_.empty()) {
        reply = replies_.front();
        replies_.pop_front();
      }
      changed_.notify_all();
      if (reply.hang) changed_.wait(lock, [this] { return stopping_; });
    }
    res.status = reply.status;
    if (!reply.retry_after.empty()) res.set_header("Retry-After", reply.retry_after);
    const std::string type = reply.content_type.empty() ? req.get_header_value("Content-Type") : reply.content_type;
    res.set_content(reply.body, type.c_str());
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  const bool record_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<Reply> replies_;
  std::vector<Request> requests_;
  std::size_t count_ = 0;
  std::uint64_t body_bytes_ = 0;
  bool stopping_ = false;
};

}  // namespace frame_tracking::testing
