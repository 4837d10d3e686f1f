// SPDX-License-Identifier: Apache-2.0
// Test helper: a fresh directory per test and the options of a service run in-process on free loopback ports.
#pragma once

#include "frame_tracking/store/service.hpp"

#include <filesystem>
#include <string>

#include <unistd.h>

namespace frame_tracking::testing {

/// `<temp dir>/ft-<name>-<pid>`, removed when it exists (the store creates it again).
inline std::filesystem::path fresh_test_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

/// A service on 127.0.0.1 with port 0 for OTLP, query and admin (free ports, read back from the
/// running service), its store at `dir`/spans.db, and no log output.
inline store::ServiceOptions loopback_service_options(const std::filesystem::path& dir) {
  store::ServiceOptions options;
  options.otlp_port = options.query_port = options.admin_port = 0;
  options.store.path = dir / "spans.db";
  options.log = [](std::string_view) {};
  return options;
}

}  // namespace frame_tracking::testing
