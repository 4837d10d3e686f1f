// SPDX-License-Identifier: Apache-2.0
// `frame-tracking analyze`: coverage, orphans, roots, skew, latency, errors and drops over the
// frames' traces a Jaeger query API holds; exit 1 when coverage is below --min-coverage.
#include "auth_token.hpp"
#include "command.hpp"
#include "jaeger/analysis_report.hpp"
#include "jaeger/analyzer.hpp"
#include "jaeger/cli_options.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <tuple>

namespace frame_tracking::cli {
namespace {

struct AnalyzeOptions {
  std::string api{jaeger::kDefaultApi};
  AuthTokenOptions auth;
  std::string service;
  std::string since = "1h";
  std::string expect{jaeger::kDefaultStages};
  double min_coverage = 99.9;
  std::size_t limit = 1000;
  std::size_t slowest = 5;
  std::size_t examples = 20;
  std::string metrics;
  std::string operation;
  std::string min_duration;
  std::string max_duration;
  std::vector<std::string> tags;
  bool errors = false;
  bool json = false;
  bool markdown = false;
};

std::vector<std::string> split_stages(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string stage; std::getline(in, stage, ',');)
    if (!stage.empty()) out.push_back(stage);
  return out;
}

int usage(const std::string& message) {
  std::cerr << "frame-tracking analyze: " << message << "\n";
  return 2;
}

int run(const AnalyzeOptions& options) {
  jaeger::AnalyzeRequest request;
  request.search.service = options.service;
  request.search.operation = options.operation;
  request.search.limit = options.limit;
  request.metrics_url = options.metrics;
  request.analysis.expect = split_stages(options.expect);
  request.analysis.slowest = options.slowest;
  request.analysis.examples = options.examples;
  if (request.analysis.expect.empty()) return usage("--expect '" + options.expect + "': give at least one stage name");
  if (options.limit == 0) return usage("--limit 0: must be at least 1");
  if (options.min_coverage < 0 || options.min_coverage > 100) return usage("--min-coverage: must be between 0 and 100");
  auto since = jaeger::parse_lookback(options.since, "--since");
  if (!since) return usage(since.error().message);
  for (auto [flag, text, target] : {std::tuple{"--min-duration", &options.min_duration, &request.search.min_duration},
                                    std::tuple{"--max-duration", &options.max_duration, &request.search.max_duration}}) {
    if (text->empty()) continue;
    auto checked = jaeger::check_go_duration(*text, flag);
    if (!checked) return usage(checked.error().message);
    *target = *checked;
  }
  auto tags = jaeger::parse_tags(options.tags);
  if (!tags) return usage(tags.error().message);
  request.search.tags = std::move(*tags);
  if (options.errors) request.search.tags["error"] = "true";
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  request.search.end_us = now;
  request.search.start_us = now - std::chrono::duration_cast<std::chrono::microseconds>(*since).count();

  auto token = options.auth.resolve();
  if (!token) return usage(token.error().message);

  const jaeger::QueryClient client(options.api, *token);
  auto analysis = jaeger::analyze(client, request);
  if (!analysis) {
    std::cerr << "frame-tracking analyze: " << analysis.error().message << "\n";
    return 1;
  }
  if (options.json) {
    auto document = jaeger::analysis_json(*analysis);
    nlohmann::ordered_json query{{"api", options.api},
                                 {"service", options.service},
                                 {"start_us", *request.search.start_us},
                                 {"end_us", *request.search.end_us},
                                 {"operation", options.operation},
                                 {"tags", request.search.tags},
                                 {"min_duration", request.search.min_duration},
                                 {"max_duration", request.search.max_duration},
                                 {"limit", options.limit},
                                 {"min_coverage", options.min_coverage}};
    document["query"] = std::move(query);
    std::cout << document.dump(2) << "\n";
  } else {
    std::cout << jaeger::render_analysis(*analysis, options.markdown ? jaeger::ReportFormat::kMarkdown : jaeger::ReportFormat::kText);
  }
  const bool covered = analysis->coverage_percent.has_value() && *analysis->coverage_percent >= options.min_coverage;
  if (!covered) {
    char line[160];
    if (analysis->coverage_percent)
      std::snprintf(line, sizeof line, "coverage %.3f %% is below --min-coverage %.3f %%", *analysis->coverage_percent, options.min_coverage);
    else
      std::snprintf(line, sizeof line, "no frame to cover (none found, or all dropped); --min-coverage %.3f %% not met", options.min_coverage);
    std::cerr << "frame-tracking analyze: " << line << "\n";
  }
  return covered ? 0 : 1;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Analyse frames' traces from a Jaeger query API: coverage, orphans, roots, clock skew, latency, errors, drops");
  cmd->add_option("--api", options->api, "Base URL of the Jaeger query API")->envname("FRAME_TRACKING_API")->capture_default_str();
  add_auth_token_options(*cmd, options->auth, kAuthTokenHelp);
  cmd->add_option("--service", options->service, "Search only this service (default: every service /api/services lists)");
  cmd->add_option("--since", options->since, "Look back this far: N and a unit s, m, h, d")->capture_default_str();
  cmd->add_option("--expect", options->expect,
                  "Stages a complete frame has, comma-separated; a span belongs to stage S when its name is S or starts "
                  "with 'S ' or 'S:'")
      ->capture_default_str();
  cmd->add_option("--min-coverage", options->min_coverage, "Exit 1 when coverage (%) is below this")->capture_default_str();
  cmd->add_option("--limit", options->limit, "Traces per service search")->capture_default_str();
  cmd->add_option("--slowest", options->slowest, "List this many of the slowest frames")->capture_default_str();
  cmd->add_option("--examples", options->examples, "List at most this many items per defect (counts stay exact)")
      ->capture_default_str();
  cmd->add_option("--metrics", options->metrics,
                  "Prometheus /metrics URL of a pipeline process or the service: report frame_tracking_tracer_spans_dropped_total");
  cmd->add_option("--operation", options->operation, "Only traces with a span of this exact name");
  cmd->add_option("--min-duration", options->min_duration, "Only traces with a span at least this long (slow frames), e.g. 1s");
  cmd->add_option("--max-duration", options->max_duration, "Only traces with a span at most this long, e.g. 500ms");
  cmd->add_option("--tag", options->tags, "Only traces with a span carrying KEY=VALUE (repeatable), e.g. camera.id=cam-1");
  cmd->add_flag("--errors", options->errors, "Only traces with a failed span (tag error=true): failed frames");
  auto* json = cmd->add_flag("--json", options->json, "Print the report as JSON (docs/analyzer.md)");
  auto* markdown = cmd->add_flag("--markdown", options->markdown, "Print the report as Markdown");
  json->excludes(markdown);
  cmd->footer("Exit 0 when coverage >= --min-coverage, 1 when below (or no frame found, or the API fails; 401: a token\n"
              "is missing or refused), 2 on usage errors (and an unreadable --auth-token-file).\n"
              "Examples: frame-tracking analyze --since 15m --slowest 10\n"
              "          frame-tracking analyze --min-duration 1s      (slow frames)\n"
              "          frame-tracking analyze --errors --json         (failed frames)");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("analyze", frame_tracking::cli::setup);
