// SPDX-License-Identifier: Apache-2.0
// `frame-tracking journey FRAME_ID`: one frame's journey from a Jaeger query API as a terminal
// waterfall (critical path, errors, events, drops) or as JSON.
#include "auth_token.hpp"
#include "command.hpp"
#include "jaeger/cli_options.hpp"
#include "jaeger/query_client.hpp"
#include "jaeger/waterfall.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

namespace frame_tracking::cli {
namespace {

struct JourneyOptions {
  std::string frame_id;
  std::string api{jaeger::kDefaultApi};
  AuthTokenOptions auth;
  std::size_t width = 0;
  bool json = false;
};

int run(const JourneyOptions& options) {
  auto trace_id = jaeger::trace_id_argument(options.frame_id);
  if (!trace_id) {
    std::cerr << "frame-tracking journey: " << trace_id.error().message << "\n";
    return 2;
  }
  auto token = options.auth.resolve();
  if (!token) {
    std::cerr << "frame-tracking journey: " << token.error().message << "\n";
    return 2;
  }
  const jaeger::QueryClient client(options.api, *token);
  auto found = client.trace(*trace_id);
  if (!found) {
    std::cerr << "frame-tracking journey: " << found.error().message << "\n";
    return 1;
  }
  if (!found->has_value() || (*found)->spans.empty()) {
    std::cerr << "frame-tracking journey: frame " << options.frame_id << " not found at " << options.api << "\n";
    return 1;
  }
  const jaeger::Journey& journey = **found;
  if (options.json) {
    std::cout << jaeger::journey_json(journey).dump(2) << "\n";
    return 0;
  }
  std::set<std::string> services;
  std::size_t errors = 0, drops = 0;
  for (const auto& span : journey.spans) {
    services.insert(span.service);
    errors += span.error && !span.dropped ? 1 : 0;
    drops += span.dropped ? 1 : 0;
  }
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", static_cast<double>(jaeger::journey_duration_us(journey)) / 1000.0);
  std::cout << "trace " << journey.trace_id << ": " << journey.spans.size() << " spans, " << services.size() << " services, "
            << duration << " ms, " << errors << " errors"
            << (drops != 0 ? ", DROPPED" : "") << "\n"
            << jaeger::render_waterfall(journey, jaeger::output_width(options.width))
            << "* = critical path (from the root, the child that ends last, repeatedly)\n";
  for (const std::string& warning : journey.warnings) std::cout << "warning: " << warning << "\n";
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<JourneyOptions>();
  CLI::App* cmd = app.add_subcommand("journey", "Show one frame's journey as a waterfall, from a Jaeger query API (frame-tracking serve, Jaeger)");
  cmd->add_option("FRAME_ID", options->frame_id, "FrameId (8-4-4-4-12) or trace id (32 hex digits)")->required();
  cmd->add_option("--api", options->api, "Base URL of the Jaeger query API")->envname("FRAME_TRACKING_API")->capture_default_str();
  add_auth_token_options(*cmd, options->auth, kAuthTokenHelp);
  cmd->add_option("--width", options->width, "Line width of the waterfall (default: the terminal's, else $COLUMNS, else 120)");
  cmd->add_flag("--json", options->json, "Print the journey as a JSON document (docs/analyzer.md)");
  cmd->footer("Exit 0 when shown, 1 when the frame is not found or the API fails (401: a token is missing or refused),\n"
              "2 on a malformed FRAME_ID or an unreadable --auth-token-file.\n"
              "Example: frame-tracking journey 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4001 --api http://127.0.0.1:16686");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("journey", frame_tracking::cli::setup);
