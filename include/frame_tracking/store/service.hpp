// SPDX-License-Identifier: Apache-2.0
// Service: the `frame-tracking serve` backend — OTLP/HTTP receiver, Jaeger query API and admin endpoints over a SpanStore.
#pragma once

#include "frame_tracking/result.hpp"
#include "frame_tracking/store/span_store.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace frame_tracking::store {

/// Configuration of a Service. Value type.
struct ServiceOptions {
  /// Address all three servers bind to (`0.0.0.0` exposes them).
  std::string listen = "127.0.0.1";
  /// OTLP/HTTP receiver port (POST /v1/traces); 0 = pick a free port.
  int otlp_port = 4318;
  /// Jaeger query API port (/api/...); 0 = pick a free port.
  int query_port = 16686;
  /// Admin port (/health, /metrics); 0 = pick a free port.
  int admin_port = 8006;
  /// The store the service writes to and reads from.
  SpanStoreOptions store;
  /// Largest accepted request body after decompression, bytes (OTLP recommends 64 MiB) → 413.
  std::size_t max_body_bytes = 64U << 20;
  /// Largest request header section, bytes: the sum over headers of name + value + 4 → 431 on
  /// every port. (cpp-httplib itself answers 414 to a request line over 8192 bytes and 400 to a
  /// single header line over 8192 bytes, before this check runs.)
  std::size_t max_header_bytes = 16U << 10;
  /// Largest `limit` of a trace search, and most `traceID` parameters in one request → 400 above.
  std::size_t max_search_traces = 1500;
  /// When non-empty, OTLP and query requests need `Authorization: Bearer <token>` (else 401),
  /// compared in constant time. Neither the token nor request bodies are ever logged.
  /// The admin port stays open for health checks and Prometheus.
  std::string auth_token;
  /// When non-empty, every accepted OTLP request is also POSTed to this upstream OTLP/HTTP
  /// traces URL (http:// only, e.g. http://collector:4318/v1/traces) from a background queue:
  /// retried with backoff, dropped and counted when the queue is full; never blocks ingest.
  std::string forward_url;
  /// Socket read and write timeouts.
  std::chrono::seconds io_timeout{30};
  /// Worker threads per server.
  std::size_t threads = 8;
  /// Receives one line per event worth logging (listening addresses, errors); stdout if unset.
  std::function<void(std::string_view)> log;
};

/// A running service: three HTTP servers on their own threads over one SpanStore.
/// Thread safety: ports() and stop() may be called from any thread.
class Service {
 public:
  /// Opens the store, binds the three ports and starts serving. Logs one line per server:
  /// `otlp listening on HOST:PORT`, `query listening on HOST:PORT`, `admin listening on HOST:PORT`.
  /// Errors: the store cannot open, or a port cannot be bound (the message names the flag).
  static Result<std::unique_ptr<Service>> start(ServiceOptions options);

  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  int otlp_port() const noexcept;
  int query_port() const noexcept;
  int admin_port() const noexcept;
  SpanStore& store() noexcept;

  /// Stops accepting, finishes in-flight requests, closes the store. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::store
