// SPDX-License-Identifier: Apache-2.0
// MetricsExposer: the registry and prometheus-cpp's civetweb HTTP exposer on one loopback port.
#include "frame_tracking/metrics/metrics_exposer.hpp"

#include <prometheus/exposer.h>

#include <exception>

namespace frame_tracking::metrics {

Result<std::unique_ptr<MetricsExposer>> MetricsExposer::start(const std::string& host, int port) {
  const std::string address = host + ":" + std::to_string(port);
  if (port < 0 || port > 65535)
    return Error{ErrorCode::kInvalidInput, "--metrics-port " + std::to_string(port) + ": expected 0..65535"};
  std::unique_ptr<MetricsExposer> out(new MetricsExposer());
  out->host_ = host;
  out->registry_ = std::make_shared<prometheus::Registry>();
  try {
    out->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidInput,
                 "--metrics-port " + std::to_string(port) + ": cannot listen on " + address + ": " + e.what()};
  }
  const std::vector<int> ports = out->exposer_->GetListeningPorts();
  if (ports.empty() || ports.front() <= 0)
    return Error{ErrorCode::kInvalidInput, "--metrics-port " + std::to_string(port) + ": no listening port on " + address};
  out->port_ = ports.front();
  out->exposer_->RegisterCollectable(out->registry_);
  return out;
}

MetricsExposer::~MetricsExposer() = default;

std::string MetricsExposer::url() const { return "http://" + host_ + ":" + std::to_string(port_) + "/metrics"; }

void MetricsExposer::add(std::shared_ptr<prometheus::Collectable> collectable) {
  exposer_->RegisterCollectable(collectable);
  collectables_.push_back(std::move(collectable));
}

}  // namespace frame_tracking::metrics
