// SPDX-License-Identifier: Apache-2.0
// Entry point of the frame-tracking CLI: builds the command tree from the registered commands.
#include "command.hpp"

#include <algorithm>
#include <iostream>

namespace frame_tracking::cli {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace frame_tracking::cli

int main(int argc, char** argv) {
  CLI::App app{"frame-tracking: trace every video frame through a distributed pipeline", "frame-tracking"};
  app.set_version_flag("--version", std::string("frame-tracking ") + FRAME_TRACKING_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  auto& commands = frame_tracking::cli::registry();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& command : commands) command.setup(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
