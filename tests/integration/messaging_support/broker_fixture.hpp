// SPDX-License-Identifier: Apache-2.0
// Test support: where the CTest broker fixtures (tests/fixtures/start-*.sh) left their ports, and unique names.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace frame_tracking::testing {

/// The port written by the fixture `name` (e.g. "redis", "rabbitmq") into FT_FIXTURE_DIR/<name>.port;
/// 0 when the file is missing (the test then fails with a message naming the file).
inline std::uint16_t fixture_port(const std::string& name) {
  std::ifstream in(std::string(FT_FIXTURE_DIR) + "/" + name + ".port");
  unsigned port = 0;
  in >> port;
  return static_cast<std::uint16_t>(port);
}

/// A destination name unique to the running test, so tests can share one broker in parallel.
inline std::string unique_name(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return prefix + "." + info->test_suite_name() + "." + info->name();
}

}  // namespace frame_tracking::testing
