// SPDX-License-Identifier: Apache-2.0
// `frame-tracking search FRAME_ID`: fetch a frame's trace over the Jaeger HTTP API and print it as a span table
// (the tree and trace model of `journey`; `--json` prints the API's own JSON model of the trace).
#include "auth_token.hpp"
#include "command.hpp"
#include "jaeger/cli_options.hpp"
#include "jaeger/journey_tree.hpp"
#include "jaeger/query_client.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace frame_tracking::cli {
namespace {

struct SearchOptions {
  std::string frame_id;
  std::string api{jaeger::kDefaultApi};
  AuthTokenOptions auth;
  bool json = false;
};

/// One line per span in tree order (jaeger::tree_rows), offsets from the trace's first span, then the API's warnings.
void print_table(const jaeger::Journey& journey) {
  const std::int64_t trace_start = jaeger::journey_start_us(journey);
  std::printf("trace %s: %zu spans\n", journey.trace_id.c_str(), journey.spans.size());
  std::printf("%-40s %-16s %11s %11s  %-16s %s\n", "SPAN", "SERVICE", "START ms", "DURATION ms", "SPAN ID", "NOTES");
  for (const jaeger::TreeRow& row : jaeger::tree_rows(journey)) {
    const jaeger::JourneySpan& span = *row.span;
    const std::string name = std::string(row.depth * 2, ' ') + span.name;
    std::string notes;
    if (span.error) notes += "error ";
    if (!span.status_message.empty()) notes += "(" + span.status_message + ") ";
    for (const jaeger::SpanEvent& event : span.events) {
      if (!event.name.empty()) notes += event.name + " ";
      if (auto reason = event.fields.find(std::string(jaeger::kDropReason)); reason != event.fields.end())
        notes += "reason=" + reason->second + " ";
    }
    std::printf("%-40s %-16s %11.3f %11.3f  %-16s %s\n", name.c_str(), span.service.c_str(),
                static_cast<double>(span.start_us - trace_start) / 1000.0, static_cast<double>(span.duration_us) / 1000.0,
                span.span_id.c_str(), notes.c_str());
  }
  for (const std::string& warning : journey.warnings) std::printf("warning: %s\n", warning.c_str());
}

int run(const SearchOptions& options) {
  auto trace_id = jaeger::trace_id_argument(options.frame_id);
  if (!trace_id) {
    std::cerr << "frame-tracking search: " << trace_id.error().message << "\n";
    return 2;
  }
  auto token = options.auth.resolve();
  if (!token) {
    std::cerr << "frame-tracking search: " << token.error().message << "\n";
    return 2;
  }
  const jaeger::QueryClient client(options.api, *token);
  auto not_found = [&] {
    std::cerr << "frame-tracking search: frame " << options.frame_id << " not found at " << options.api << "\n";
    return 1;
  };
  if (options.json) {
    auto body = client.trace_body(*trace_id);
    if (!body) {
      std::cerr << "frame-tracking search: " << body.error().message << "\n";
      return 1;
    }
    if (!body->has_value()) return not_found();
    const auto document = nlohmann::ordered_json::parse(**body, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("data") || !document["data"].is_array()) {
      std::cerr << "frame-tracking search: " << client.url("/api/traces/" + *trace_id) << ": expected a JSON object with a \"data\" array\n";
      return 1;
    }
    if (document["data"].empty()) return not_found();
    std::cout << document["data"][0].dump(2) << "\n";
    return 0;
  }
  auto found = client.trace(*trace_id);
  if (!found) {
    std::cerr << "frame-tracking search: " << found.error().message << "\n";
    return 1;
  }
  if (!found->has_value() || (*found)->spans.empty()) return not_found();
  print_table(**found);
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search", "Print a frame's trace (its journey) from a Jaeger-compatible query API: frame-tracking serve, Jaeger");
  cmd->add_option("FRAME_ID", options->frame_id, "FrameId (8-4-4-4-12) or trace id (32 hex digits)")->required();
  cmd->add_option("--api", options->api, "Base URL of the Jaeger query API")
      ->envname("FRAME_TRACKING_API")
      ->capture_default_str();
  add_auth_token_options(*cmd, options->auth, kAuthTokenHelp);
  cmd->add_flag("--json", options->json, "Print the trace in Jaeger's JSON model instead of a table");
  cmd->footer("Exit 0 when shown, 1 when the frame is not found or the API fails (401: a token is missing or refused),\n"
              "2 on a malformed FRAME_ID or an unreadable --auth-token-file.");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("search", frame_tracking::cli::setup);
