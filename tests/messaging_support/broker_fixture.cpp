// SPDX-License-Identifier: Apache-2.0
// Test support: fixture ports and unique names (see broker_fixture.hpp).
#include "messaging_support/broker_fixture.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace frame_tracking::testing {

std::uint16_t fixture_port(const std::string& name) {
  std::ifstream in(std::string(FT_FIXTURE_DIR) + "/" + name + ".port");
  unsigned port = 0;
  in >> port;
  return static_cast<std::uint16_t>(port);
}

std::string unique_name(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return prefix + "." + info->test_suite_name() + "." + info->name();
}

}  // namespace frame_tracking::testing
