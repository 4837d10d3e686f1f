// SPDX-License-Identifier: Apache-2.0
// MetricsExposer: a Prometheus registry served as text exposition on GET /metrics over HTTP on a loopback port.
#pragma once

#include "frame_tracking/result.hpp"

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

namespace prometheus {
class Exposer;
}

namespace frame_tracking::metrics {

/// One process's metrics endpoint: a prometheus::Registry that the metric families (FrameMetrics,
/// MessagingMetrics) register in, served with every added Collectable as Prometheus text format
/// 0.0.4 on `GET http://<host>:<port>/metrics` by an HTTP server thread (civetweb, via
/// prometheus-cpp). Each scrape reads the metrics' current values; collectables are asked at
/// scrape time. Not copyable. Scrapes run on the server thread concurrently with metric updates;
/// add() is called from one thread at a time.
class MetricsExposer {
 public:
  /// Binds `host`:`port` (port 0 = a free port chosen by the kernel; see port()). Errors
  /// (kInvalidInput) name the address and the reason, e.g. "--metrics-port 80: cannot listen on
  /// 127.0.0.1:80: …". Never throws.
  static Result<std::unique_ptr<MetricsExposer>> start(const std::string& host, int port);
  ~MetricsExposer();
  MetricsExposer(const MetricsExposer&) = delete;
  MetricsExposer& operator=(const MetricsExposer&) = delete;

  /// The port actually bound (never 0).
  int port() const noexcept { return port_; }
  /// "http://<host>:<port>/metrics".
  std::string url() const;
  /// The registry served; register families in it. Lives as long as the exposer.
  prometheus::Registry& registry() noexcept { return *registry_; }
  /// Serves `collectable` too, read at each scrape; the exposer keeps it alive.
  void add(std::shared_ptr<prometheus::Collectable> collectable);

 private:
  MetricsExposer() = default;

  std::string host_;
  int port_ = 0;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace frame_tracking::metrics
