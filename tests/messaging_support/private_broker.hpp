// SPDX-License-Identifier: Apache-2.0
// Test support: a broker node of one test's own, started, stopped and restarted with the fixture scripts.
#pragma once

#include <cstdint>
#include <string>

namespace frame_tracking::testing {

/// A redis-server or RabbitMQ node run by tests/fixtures/{start,stop}-<broker>.sh under a private
/// name, so killing or restarting it disturbs no other test. Its files live in
/// FT_FIXTURE_DIR/<name>/ and its port in FT_FIXTURE_DIR/<name>.port. Destruction stops it.
/// Thread-compatible.
class PrivateBroker {
 public:
  /// `broker`: "redis" or "rabbitmq"; `environment`: variables for the scripts, e.g.
  /// "FRAME_TRACKING_REDIS_AOF=1" ("" = none).
  PrivateBroker(std::string broker, std::string name, std::string environment);
  ~PrivateBroker();
  PrivateBroker(const PrivateBroker&) = delete;
  PrivateBroker& operator=(const PrivateBroker&) = delete;

  /// Starts the node, on `port` (a restart keeps its clients' port) or on a free port when 0;
  /// true once it accepts connections and its port is known.
  bool start(std::uint16_t port = 0);
  /// Runs the stop script with `options` (e.g. "--keep-files"); true when it succeeded.
  bool stop(const std::string& options = "");
  /// The port of the last successful start(); 0 before.
  std::uint16_t port() const noexcept { return port_; }
  /// FT_FIXTURE_DIR/<name>/<relative>, e.g. the node's pid file.
  std::string file(const std::string& relative) const;

 private:
  int script(const std::string& action, const std::string& arguments) const;

  std::string broker_;
  std::string name_;
  std::string environment_;
  std::uint16_t port_ = 0;
};

}  // namespace frame_tracking::testing
