// SPDX-License-Identifier: Apache-2.0
// Test support: the Node.js interop peer and the checks of traces continued across it (see node_peer.hpp).
#include "messaging_support/node_peer.hpp"

#include "frame_tracking/traced_messaging.hpp"
#include "messaging_support/traced_flows.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace frame_tracking::testing {

std::string interop_dir() { return std::string(FT_SOURCE_DIR) + "/tests/interop"; }

bool node_peer_available() {
  return std::filesystem::exists(interop_dir() + "/node_modules/@opentelemetry/core") &&
         std::system("node --version >/dev/null 2>&1") == 0;
}

nlohmann::json run_node_peer(const std::string& mode, std::uint16_t port, const std::string& destination) {
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

void NodePeerTest::SetUp() {
  if (!node_peer_available()) GTEST_SKIP() << "node or tests/interop/node_modules missing (scripts/install-deps.sh)";
}

void expect_node_continues_our_trace(MessageProducer& producer, const std::string& mode, std::uint16_t port,
                                     const std::string& destination) {
  TracingProcess capture("capture");
  TracedProducer traced(producer, capture.tracer, capture.propagator);
  const Context parent = remote_parent("congo=t61rcWkgMzE");
  ASSERT_TRUE(traced.send(destination, "from-cpp", {}, nullptr, &parent).ok());
  const SpanContext send = capture.store->spans().at(0)->context;

  auto node = run_node_peer(mode, port, destination);
  ASSERT_FALSE(node.is_null());
  EXPECT_EQ(node["payload"], "from-cpp");
  EXPECT_EQ(node["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(node["parentSpanId"], send.span_id.to_hex());
  EXPECT_EQ(node["traceFlags"], 1);
  EXPECT_EQ(node["traceState"], "congo=t61rcWkgMzE");
}

void expect_we_continue_nodes_trace(MessageConsumer& consumer, const ReceivedMessage& message,
                                    const nlohmann::json& node) {
  TracingProcess storage("storage");
  auto spans = process_messages(storage, consumer, {message});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->context.trace_id.to_hex(), node["traceId"]);
  EXPECT_EQ(spans[0]->parent_span_id.to_hex(), node["spanId"]);
  EXPECT_TRUE(spans[0]->parent_is_remote);
  EXPECT_EQ(spans[0]->context.trace_state.header(), node["traceState"]);
  EXPECT_EQ(string_attribute(*spans[0], kContextProblemAttribute), "<unset>");
}

}  // namespace frame_tracking::testing
