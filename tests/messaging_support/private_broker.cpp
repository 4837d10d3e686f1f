// SPDX-License-Identifier: Apache-2.0
// Test support: PrivateBroker runs the fixture scripts for a node of its own (see private_broker.hpp).
#include "messaging_support/private_broker.hpp"

#include "messaging_support/broker_fixture.hpp"

#include <cstdlib>

namespace frame_tracking::testing {

PrivateBroker::PrivateBroker(std::string broker, std::string name, std::string environment)
    : broker_(std::move(broker)), name_(std::move(name)), environment_(std::move(environment)) {}

PrivateBroker::~PrivateBroker() { stop(); }

bool PrivateBroker::start(std::uint16_t port) {
  if (script("start", port == 0 ? "" : std::to_string(port)) != 0) return false;
  port_ = fixture_port(name_);
  return port_ != 0;
}

bool PrivateBroker::stop(const std::string& options) { return script("stop", options) == 0; }

std::string PrivateBroker::file(const std::string& relative) const {
  return std::string(FT_FIXTURE_DIR) + "/" + name_ + "/" + relative;
}

int PrivateBroker::script(const std::string& action, const std::string& arguments) const {
  const std::string cmd = environment_ + " " FT_FIXTURE_SCRIPTS "/" + action + "-" + broker_ + ".sh " FT_FIXTURE_DIR " " +
                          name_ + " " + arguments + " >/dev/null";
  return std::system(cmd.c_str());
}

}  // namespace frame_tracking::testing
