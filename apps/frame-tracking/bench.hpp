// SPDX-License-Identifier: Apache-2.0
// The shared `bench` parent command: each benchmark file adds its own `bench <name>` subcommand to it.
#pragma once

#include <CLI/CLI.hpp>

namespace frame_tracking::cli {

/// Returns the `bench` subcommand of `app`, creating it on first use (requires one subcommand).
/// Benchmark files call this from their FT_REGISTER_COMMAND setup, e.g.
/// `bench_command(app).add_subcommand("store", "...")`, so no file owns the parent.
CLI::App& bench_command(CLI::App& app);

}  // namespace frame_tracking::cli
