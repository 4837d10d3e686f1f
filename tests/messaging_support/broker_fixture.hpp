// SPDX-License-Identifier: Apache-2.0
// Test support: where the CTest broker fixtures (tests/fixtures/start-*.sh) left their ports, and unique names.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace frame_tracking::testing {

/// The port written by the fixture `name` (e.g. "redis", "rabbitmq") into FT_FIXTURE_DIR/<name>.port;
/// 0 when the file is missing (the test then fails with a message naming the file).
std::uint16_t fixture_port(const std::string& name);

/// An endpoint (redis::RedisEndpoint, rabbitmq::AmqpEndpoint: anything with `port` and a
/// ReconnectPolicy `reconnect`) for the fixture `name`'s server, giving up reconnecting after 2 s so
/// a test against a dead server fails quickly.
template <typename Endpoint>
Endpoint fixture_endpoint(const std::string& name) {
  Endpoint endpoint;
  endpoint.port = fixture_port(name);
  endpoint.reconnect.deadline = std::chrono::seconds{2};
  return endpoint;
}

/// A destination name unique to the running test, so tests can share one broker in parallel:
/// "<prefix>.<suite>.<test>". Call it from inside a test (or its fixture).
std::string unique_name(const std::string& prefix);

}  // namespace frame_tracking::testing
