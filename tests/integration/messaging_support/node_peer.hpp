// SPDX-License-Identifier: Apache-2.0
// Test support: runs the Node.js interop peer (tests/interop/peer.js, OpenTelemetry JS) and parses its JSON line.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace frame_tracking::testing {

/// Where scripts/install-deps.sh installs the peer's npm packages.
inline std::string interop_dir() { return std::string(FT_SOURCE_DIR) + "/tests/interop"; }

/// True when node and the peer's node_modules are installed.
inline bool node_peer_available() {
  return std::filesystem::exists(interop_dir() + "/node_modules/@opentelemetry/core") &&
         std::system("node --version >/dev/null 2>&1") == 0;
}

/// Runs `node peer.js <mode> <port> <destination>`; returns its JSON output, or null (with a test
/// failure naming the output) when it failed.
inline nlohmann::json run_node_peer(const std::string& mode, std::uint16_t port, const std::string& destination) {
  const std::string cmd = "node " + interop_dir() + "/peer.js " + mode + " " + std::to_string(port) + " '" +
                          destination + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << cmd;
    return nullptr;
  }
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  const int status = pclose(pipe);
  auto json = nlohmann::json::parse(out, nullptr, false);
  if (status != 0 || json.is_discarded()) {
    ADD_FAILURE() << cmd << " failed (status " << status << "): " << out;
    return nullptr;
  }
  return json;
}

}  // namespace frame_tracking::testing
