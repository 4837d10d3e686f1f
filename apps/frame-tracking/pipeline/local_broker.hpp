// SPDX-License-Identifier: Apache-2.0
// LocalBroker: a throwaway redis-server or RabbitMQ node on a free loopback port, for `frame-tracking demo`.
#pragma once

#include "pipeline/child_process.hpp"

#include "frame_tracking/result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace frame_tracking::pipeline {

/// A broker started by the demo under `dir`, stopped (by PID) by the destructor. Not copyable.
class LocalBroker {
 public:
  /// `redis-server` from PATH on a free 127.0.0.1 port, no persistence; ready when it answers PING.
  static Result<std::unique_ptr<LocalBroker>> start_redis(const std::string& dir);
  /// A RabbitMQ node (Debian's rabbitmq-server and its own epmd) on free 127.0.0.1 ports with its
  /// HOME, mnesia and logs under `dir`; ready when the AMQP port accepts connections (10-15 s).
  static Result<std::unique_ptr<LocalBroker>> start_rabbitmq(const std::string& dir);
  ~LocalBroker();
  LocalBroker(const LocalBroker&) = delete;
  LocalBroker& operator=(const LocalBroker&) = delete;

  /// redis://127.0.0.1:PORT or amqp://guest:guest@127.0.0.1:PORT.
  const std::string& url() const noexcept { return url_; }
  /// The broker's processes (checked by the demo's supervisor).
  std::vector<ChildProcess>& processes() noexcept { return processes_; }
  void stop();

 private:
  LocalBroker() = default;
  std::string url_;
  std::string beam_pid_file_;  // RabbitMQ: the Erlang VM's pid, stopped after the script
  std::vector<ChildProcess> processes_;
};

/// True when something accepts TCP connections on 127.0.0.1:`port`.
bool loopback_port_open(int port);

}  // namespace frame_tracking::pipeline
