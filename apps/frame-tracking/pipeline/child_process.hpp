// SPDX-License-Identifier: Apache-2.0
// ChildProcess: a program started with fork/exec, its output in a log file, stopped by PID (SIGTERM, then SIGKILL).
#pragma once

#include "frame_tracking/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace frame_tracking::pipeline {

/// What to start. `argv[0]` is the program (searched in PATH when it has no '/').
struct ChildSpec {
  /// Short name used in messages ("frame-processor motion").
  std::string name;
  std::vector<std::string> argv;
  /// stdout and stderr are appended here; "" = inherit the parent's.
  std::string log_file;
  /// Extra environment variables (added to, or replacing, the parent's).
  std::vector<std::pair<std::string, std::string>> environment;
};

/// A started child. It runs in its own process group (a terminal's Ctrl-C reaches only the parent,
/// which stops its children in order) and gets SIGTERM if the parent dies (PR_SET_PDEATHSIG).
/// The destructor stops a child that still runs. Move-only; not thread-safe.
class ChildProcess {
 public:
  /// fork + exec. Errors: fork failed, or the program could not be executed (reported by the
  /// child through a close-on-exec pipe, so a missing program is an error here, not an exit code).
  static Result<ChildProcess> spawn(ChildSpec spec);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  const std::string& name() const noexcept { return spec_.name; }
  const std::string& log_file() const noexcept { return spec_.log_file; }
  pid_t pid() const noexcept { return pid_; }

  /// Reaps the child if it exited (non-blocking); returns true while it runs.
  bool running();
  /// The wait status once the child was reaped.
  std::optional<int> wait_status() const noexcept { return status_; }
  /// "exited with status 1", "was killed by signal 9 (Killed)", or "is running".
  std::string describe() const;
  /// True when the child exited with status 0.
  bool succeeded() const noexcept;

  /// Waits up to `timeout` for the child to exit by itself; true when it did.
  bool wait_for(std::chrono::milliseconds timeout);
  /// SIGTERM, up to `grace` for it to exit, then SIGKILL. Returns true when it stopped within `grace`.
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  explicit ChildProcess(ChildSpec spec) : spec_(std::move(spec)) {}
  ChildSpec spec_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// A TCP port free on 127.0.0.1 right now (the kernel picks it); 0 on failure.
int free_loopback_port();

}  // namespace frame_tracking::pipeline
