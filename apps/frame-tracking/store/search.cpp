// SPDX-License-Identifier: Apache-2.0
// `frame-tracking search FRAME_ID`: fetch a frame's trace over the Jaeger HTTP API and print it as a span tree.
#include "command.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace frame_tracking::cli {
namespace {

using nlohmann::ordered_json;

struct SearchOptions {
  std::string frame_id;
  std::string api = "http://127.0.0.1:16686";
  std::string token;
  bool json = false;
};

std::string tag_value(const ordered_json& tags, const std::string& key) {
  for (const auto& tag : tags)
    if (tag.value("key", "") == key) return tag["value"].is_string() ? tag["value"].get<std::string>() : tag["value"].dump();
  return {};
}

/// Prints the spans depth-first from the roots, children by start time, with offsets from the trace start.
void print_table(const ordered_json& trace) {
  const auto& spans = trace["spans"];
  std::map<std::string, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  std::map<std::string, bool> present;
  std::uint64_t trace_start = UINT64_MAX;
  for (const auto& span : spans) {
    present[span["spanID"].get<std::string>()] = true;
    trace_start = std::min(trace_start, span["startTime"].get<std::uint64_t>());
  }
  for (std::size_t i = 0; i < spans.size(); ++i) {
    std::string parent;
    for (const auto& ref : spans[i]["references"])
      if (ref["refType"] == "CHILD_OF" && ref["traceID"] == spans[i]["traceID"]) {
        parent = ref["spanID"];
        break;
      }
    if (!parent.empty() && present.count(parent) != 0) children[parent].push_back(i);
    else roots.push_back(i);
  }
  auto by_start = [&](std::size_t a, std::size_t b) { return spans[a]["startTime"] < spans[b]["startTime"]; };
  std::sort(roots.begin(), roots.end(), by_start);
  for (auto& [id, list] : children) std::sort(list.begin(), list.end(), by_start);

  std::printf("trace %s: %zu spans\n", trace["traceID"].get<std::string>().c_str(), spans.size());
  std::printf("%-40s %-16s %11s %11s  %-16s %s\n", "SPAN", "SERVICE", "START ms", "DURATION ms", "SPAN ID", "NOTES");
  std::vector<std::pair<std::size_t, int>> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  while (!stack.empty()) {
    auto [index, depth] = stack.back();
    stack.pop_back();
    const auto& span = spans[index];
    std::string name = std::string(static_cast<std::size_t>(depth) * 2, ' ') + span["operationName"].get<std::string>();
    std::string service = trace["processes"][span["processID"].get<std::string>()]["serviceName"];
    std::string notes;
    if (tag_value(span["tags"], "error") == "true") notes += "error ";
    if (auto status = tag_value(span["tags"], "otel.status_description"); !status.empty()) notes += "(" + status + ") ";
    for (const auto& log : span["logs"]) {
      std::string event = tag_value(log["fields"], "event");
      if (!event.empty()) notes += event + " ";
      if (auto reason = tag_value(log["fields"], "frame.drop_reason"); !reason.empty()) notes += "reason=" + reason + " ";
    }
    std::printf("%-40s %-16s %11.3f %11.3f  %-16s %s\n", name.c_str(), service.c_str(),
                static_cast<double>(span["startTime"].get<std::uint64_t>() - trace_start) / 1000.0,
                static_cast<double>(span["duration"].get<std::uint64_t>()) / 1000.0,
                span["spanID"].get<std::string>().c_str(), notes.c_str());
    auto found = children.find(span["spanID"].get<std::string>());
    if (found != children.end())
      for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
  if (trace["warnings"].is_array())
    for (const auto& warning : trace["warnings"]) std::printf("warning: %s\n", warning.get<std::string>().c_str());
}

int run(const SearchOptions& options) {
  bool plausible = !options.frame_id.empty() && options.frame_id.size() <= 36 &&
                   std::all_of(options.frame_id.begin(), options.frame_id.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-'; });
  if (!plausible) {
    std::cerr << "frame-tracking search: '" << options.frame_id
              << "' is not a FrameId (8-4-4-4-12) or a trace id (up to 32 hex digits)\n";
    return 2;
  }
  // Split "http://host:port/prefix" into the origin httplib connects to and an optional path prefix.
  auto scheme_end = options.api.find("://");
  auto path_start = scheme_end == std::string::npos ? std::string::npos : options.api.find('/', scheme_end + 3);
  std::string origin = options.api.substr(0, path_start);
  std::string prefix = path_start == std::string::npos ? "" : options.api.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  httplib::Client client(origin);
  if (!client.is_valid()) {
    std::cerr << "frame-tracking search: --api '" << options.api << "' is not an http(s):// URL\n";
    return 2;
  }
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  if (!options.token.empty()) client.set_bearer_token_auth(options.token);
  auto reply = client.Get(prefix + "/api/traces/" + options.frame_id);
  if (!reply) {
    std::cerr << "frame-tracking search: cannot reach " << options.api << ": " << httplib::to_string(reply.error()) << "\n";
    return 1;
  }
  auto body = ordered_json::parse(reply->body, nullptr, false);
  if (reply->status == 404) {
    std::cerr << "frame-tracking search: frame " << options.frame_id << " not found at " << options.api << "\n";
    return 1;
  }
  if (reply->status != 200 || body.is_discarded() || !body.contains("data") || !body["data"].is_array() ||
      body["data"].empty()) {
    std::string reason = !body.is_discarded() && body.contains("errors") && body["errors"].is_array() && !body["errors"].empty()
                             ? body["errors"][0].value("msg", reply->body)
                             : reply->body;
    std::cerr << "frame-tracking search: " << options.api << " answered " << reply->status << ": " << reason << "\n";
    return reply->status == 400 ? 2 : 1;
  }
  if (options.json) {
    std::cout << body["data"][0].dump(2) << "\n";
  } else {
    print_table(body["data"][0]);
  }
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
  cmd->add_option("--auth-token", options->token, "Bearer token for a service started with --auth-token")
      ->envname("FRAME_TRACKING_AUTH_TOKEN");
  cmd->add_flag("--json", options->json, "Print the trace in Jaeger's JSON model instead of a table");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("search", frame_tracking::cli::setup);
