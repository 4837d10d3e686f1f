// SPDX-License-Identifier: Apache-2.0
// Query client: the Jaeger HTTP query API calls the tools use (services, operations, trace search,
// trace by id), so they work against `frame-tracking serve` and a real Jaeger alike.
#pragma once

#include "jaeger/jaeger_trace.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace frame_tracking::jaeger {

/// The parameters of `GET /api/traces` (reference/jaeger-api.md §3). Value type.
struct TraceSearch {
  /// Required by Jaeger.
  std::string service;
  /// Exact span name; "" = any.
  std::string operation;
  /// Sent as one `tags` JSON object (string → string); empty = none.
  std::map<std::string, std::string> tags;
  /// Span start window, µs since the epoch; unset = the server's default (Jaeger: now − 48 h … now).
  std::optional<std::int64_t> start_us;
  std::optional<std::int64_t> end_us;
  /// Go duration strings ("1s", "250ms"); "" = unbounded.
  std::string min_duration;
  std::string max_duration;
  /// Maximum number of traces (Jaeger's default is 100).
  std::size_t limit = 100;
};

/// A client of one query API base URL (e.g. "http://127.0.0.1:16686"; a path prefix is kept).
/// Each call is one blocking HTTP GET (libcurl), with `Authorization: Bearer <bearer_token>` when
/// the token is not empty (what `frame-tracking serve --auth-token-file` requires). Never throws;
/// errors (kInvalidInput) carry a message naming the URL and what went wrong: unreachable, the
/// API's status and error message (401: the token is missing or refused), or the part of the body
/// that is malformed. Thread-safe (no mutable state).
class QueryClient {
 public:
  explicit QueryClient(std::string base_url, std::string bearer_token = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// `GET /api/services`: the service names, as the API lists them.
  Result<std::vector<std::string>> services() const;
  /// `GET /api/services/{service}/operations`: the span names of `service`.
  Result<std::vector<std::string>> operations(const std::string& service) const;
  /// `GET /api/traces?service=…`: the traces with one span matching every criterion.
  Result<std::vector<Journey>> search(const TraceSearch& search) const;
  /// `GET /api/traces/{trace_id}` (32 or 16 lowercase hex digits): the trace, or nullopt on 404.
  Result<std::optional<Journey>> trace(const std::string& trace_id) const;
  /// The same request's body as the API sent it (Jaeger's JSON model), or nullopt on 404.
  Result<std::optional<std::string>> trace_body(const std::string& trace_id) const;

  /// The URL of `path_and_query` ("/api/...") under the base URL.
  std::string url(const std::string& path_and_query) const;

 private:
  /// GETs `path_and_query`; the body when the status is 200; `not_found` set (and "" returned) on 404 when given.
  Result<std::string> get(const std::string& path_and_query, bool* not_found = nullptr) const;

  std::string base_url_;
  /// The request headers of every call: the Authorization header, if any.
  std::vector<std::string> headers_;
  std::chrono::milliseconds timeout_;
};

/// RFC 3986 percent-encoding of a query or path component (everything but unreserved characters).
std::string url_encode(std::string_view text);

}  // namespace frame_tracking::jaeger
