// SPDX-License-Identifier: Apache-2.0
// Test support: runs the Node.js interop peer (tests/interop/peer.js, OpenTelemetry JS), parses its JSON
// line, and checks that traces continue across it in both directions.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace frame_tracking::testing {

/// Where scripts/install-deps.sh installs the peer's npm packages.
std::string interop_dir();

/// True when node and the peer's node_modules are installed.
bool node_peer_available();

/// Runs `node peer.js <mode> <port> <destination>`; returns its JSON output, or null (with a test
/// failure naming the output) when it failed.
nlohmann::json run_node_peer(const std::string& mode, std::uint16_t port, const std::string& destination);

/// Base of the interop tests: skips the test when node or the peer's packages are missing.
class NodePeerTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

/// Sends "from-cpp" through `producer` to `destination` as a traced child of
/// remote_parent("congo=t61rcWkgMzE"), lets the Node peer consume it (`mode`, e.g. "redis-consume",
/// from the broker on `port`) and checks that Node read the payload and continued exactly that
/// trace: same trace id, flags and tracestate, our send span as its parent.
void expect_node_continues_our_trace(MessageProducer& producer, const std::string& mode, std::uint16_t port,
                                     const std::string& destination);

/// Processes `message`, which the Node peer sent (its output: `node`), through a traced consumer on
/// `consumer` and checks that the one process span continues Node's trace (trace id, Node's span as
/// remote parent, tracestate) with no context problem recorded.
void expect_we_continue_nodes_trace(MessageConsumer& consumer, const ReceivedMessage& message,
                                    const nlohmann::json& node);

}  // namespace frame_tracking::testing
