// SPDX-License-Identifier: Apache-2.0
// `frame-tracking health`: ask a running service's admin /health endpoint whether it is healthy.
#include "command.hpp"
#include "otlp/http_get.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace frame_tracking::cli {
namespace {

struct HealthOptions {
  std::string url = "http://127.0.0.1:8006";
  bool json = false;
  int timeout_ms = 5000;
};

/// The verdict on one /health answer: healthy, or the reason it is not.
struct Verdict {
  bool healthy = false;
  std::string reason;
  nlohmann::json body;  // the parsed answer (null when there was none)
};

Verdict judge(const HttpResponse& response, const std::string& url) {
  Verdict verdict;
  if (!response.error.empty()) {
    verdict.reason = "no answer from " + url + ": " + response.error;
    return verdict;
  }
  verdict.body = nlohmann::json::parse(response.body, nullptr, false);
  if (verdict.body.is_discarded()) verdict.body = nullptr;
  if (response.status != 200) {
    verdict.reason = url + " answered HTTP " + std::to_string(response.status);
    return verdict;
  }
  if (!verdict.body.is_object() || !verdict.body.contains("status")) {
    verdict.reason = url + " answered 200 but not the health JSON (no \"status\" field)";
    return verdict;
  }
  const auto& status = verdict.body["status"];
  if (!status.is_string() || status.get<std::string>() != "ok") {
    verdict.reason = "service reports status " + status.dump();
    return verdict;
  }
  verdict.healthy = true;
  return verdict;
}

/// One human line of store figures from a healthy answer ("" when the fields are absent).
std::string summary(const nlohmann::json& body) {
  std::string out;
  if (body.contains("traces") && body.contains("spans"))
    out += body["traces"].dump() + " traces, " + body["spans"].dump() + " spans stored";
  if (body.contains("counters") && body["counters"].contains("spans_dropped"))
    out += "; spans dropped: " + body["counters"]["spans_dropped"].dump();
  if (body.contains("counters") && body["counters"].contains("spans_rejected"))
    out += ", rejected: " + body["counters"]["spans_rejected"].dump();
  return out;
}

int run(const HealthOptions& options) {
  std::string base = options.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base.ends_with("/health") ? base : base + "/health";
  const Verdict verdict = judge(http_get(url, std::chrono::milliseconds(options.timeout_ms)), url);
  if (options.json) {
    nlohmann::json out{{"healthy", verdict.healthy}, {"url", url}};
    if (!verdict.healthy) out["reason"] = verdict.reason;
    out["health"] = verdict.body;
    std::cout << out.dump() << "\n";
  } else if (verdict.healthy) {
    const std::string figures = summary(verdict.body);
    std::cout << "healthy: " << url << (figures.empty() ? "" : " (" + figures + ")") << "\n";
  } else {
    std::cout << "unhealthy: " << verdict.reason << "\n";
  }
  return verdict.healthy ? 0 : 1;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<HealthOptions>();
  CLI::App* cmd = app.add_subcommand("health", "Check a frame-tracking service: exit 0 when healthy, 1 otherwise");
  cmd->add_option("--url", options->url, "The service's admin base URL (or its /health URL)")
      ->envname("FRAME_TRACKING_ADMIN_URL")
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Print {\"healthy\", \"url\", \"reason\", \"health\"} as one JSON line");
  cmd->add_option("--timeout-ms", options->timeout_ms, "How long to wait for the answer")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  cmd->footer("Example: frame-tracking health --url http://127.0.0.1:8006");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("health", frame_tracking::cli::setup);
