// SPDX-License-Identifier: Apache-2.0
// Test support: where the CTest broker fixtures (tests/fixtures/start-*.sh) left their ports, and unique names.
#pragma once

#include <cstdint>
#include <string>

namespace frame_tracking::testing {

/// The port written by the fixture `name` (e.g. "redis", "rabbitmq") into FT_FIXTURE_DIR/<name>.port;
/// 0 when the file is missing (the test then fails with a message naming the file).
std::uint16_t fixture_port(const std::string& name);

/// A destination name unique to the running test, so tests can share one broker in parallel:
/// "<prefix>.<suite>.<test>". Call it from inside a test (or its fixture).
std::string unique_name(const std::string& prefix);

}  // namespace frame_tracking::testing
