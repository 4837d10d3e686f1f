// SPDX-License-Identifier: Apache-2.0
// Registration of CLI commands: each command file registers itself with FT_REGISTER_COMMAND.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace frame_tracking::cli {

/// Adds one subcommand to the application. The callback runs the command and returns the process
/// exit code (0 success, 1 failure, 2 usage or input error).
struct Command {
  std::string name;
  std::function<void(CLI::App& app, int& exit_code)> setup;
};

/// Commands registered by the translation units linked into the CLI, in registration order.
std::vector<Command>& registry();

/// Registers a command at static-initialisation time; used by FT_REGISTER_COMMAND.
struct CommandRegistrar {
  CommandRegistrar(std::string name, std::function<void(CLI::App&, int&)> setup) {
    registry().push_back({std::move(name), std::move(setup)});
  }
};

}  // namespace frame_tracking::cli

#define FT_CONCAT_INNER(a, b) a##b
#define FT_CONCAT(a, b) FT_CONCAT_INNER(a, b)
/// Registers `setup_fn(CLI::App&, int& exit_code)` as command `name`.
#define FT_REGISTER_COMMAND(name, setup_fn) \
  static const ::frame_tracking::cli::CommandRegistrar FT_CONCAT(ft_command_, __LINE__){name, setup_fn}
