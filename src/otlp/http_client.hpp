// SPDX-License-Identifier: Apache-2.0
// A cancellable HTTP POST client over one reused libcurl handle (keep-alive), private to the exporter.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::otlp::detail {

/// What one POST produced.
struct HttpResponse {
  enum class Outcome : std::uint8_t {
    kCompleted,       ///< a status line was received (see `status`)
    kTransportError,  ///< no response; `retryable` tells whether a retry may help
    kTimedOut,        ///< the deadline passed first
    kCancelled,       ///< cancel() was called
  };
  Outcome outcome = Outcome::kTransportError;
  bool retryable = false;
  long status = 0;
  std::string body;         ///< at most kMaxResponseBytes
  std::string retry_after;  ///< the Retry-After header value, if any
  std::string content_type;
  std::string error;        ///< libcurl's message for transport errors
};

/// POSTs bodies to one URL with fixed headers. One request at a time (not thread-safe), except
/// cancel(), which any thread may call: it aborts the request in flight at once and every later one.
class HttpClient {
 public:
  /// Responses larger than this are a non-retryable error (the OTLP spec's recommended cap).
  static constexpr std::size_t kMaxResponseBytes = 4 * 1024 * 1024;

  /// `header_lines` are full "Name: value" lines.
  HttpClient(std::string url, std::vector<std::string> header_lines, std::string user_agent);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `body` and waits for the response, the deadline, or cancel(). Never throws.
  HttpResponse post(std::string_view body, std::chrono::steady_clock::time_point deadline) noexcept;
  /// Aborts the request in flight and fails all later ones with kCancelled. Thread-safe.
  void cancel() noexcept;

 private:
  struct Impl;
  Impl* impl_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace frame_tracking::otlp::detail
