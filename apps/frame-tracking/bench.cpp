// SPDX-License-Identifier: Apache-2.0
// The shared `bench` parent command (created on first use by any `bench <name>` subcommand).
#include "bench.hpp"

namespace frame_tracking::cli {

CLI::App& bench_command(CLI::App& app) {
  auto existing = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "bench"; });
  if (!existing.empty()) return *existing.front();
  CLI::App* bench = app.add_subcommand("bench", "Measure performance against the budget in DESIGN.md");
  bench->require_subcommand(1);
  return *bench;
}

}  // namespace frame_tracking::cli
