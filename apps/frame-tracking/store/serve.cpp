// SPDX-License-Identifier: Apache-2.0
// `frame-tracking serve`: run the embedded backend (OTLP receiver, Jaeger query API, admin) until SIGINT/SIGTERM.
#include "auth_token.hpp"
#include "command.hpp"

#include "frame_tracking/store/service.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <pthread.h>

namespace frame_tracking::cli {
namespace {

struct ServeOptions {
  int otlp_port = 4318;
  int query_port = 16686;
  int admin_port = 8006;
  std::string listen = "127.0.0.1";
  std::string data_dir;
  std::string retention = "72h";
  bool force_retention = false;
  std::string max_store_size = "0";
  std::string max_body_size = "64MiB";
  std::string max_header_size = "16KiB";
  std::size_t max_trace_spans = 100000;
  std::size_t max_search_traces = 1500;
  AuthTokenOptions auth;
  std::string forward;
};

/// "72h", "3d", "90m", "3600s" → seconds; empty optional on anything else.
std::optional<std::int64_t> parse_retention(const std::string& text) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  if (value < 0) return std::nullopt;
  if (unit == "s") return value;
  if (unit == "m") return value * 60;
  if (unit == "h") return value * 3600;
  if (unit == "d") return value * 86400;
  return std::nullopt;
}

/// "0", "500MB", "2GiB", "1048576" → bytes (KB/MB/GB/TB are powers of 1000, KiB.. of 1024).
std::optional<std::uint64_t> parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "KB" || unit == "K") scale = 1e3;
  else if (unit == "MB" || unit == "M") scale = 1e6;
  else if (unit == "GB" || unit == "G") scale = 1e9;
  else if (unit == "TB" || unit == "T") scale = 1e12;
  else if (unit == "KiB") scale = 1024.0;
  else if (unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "TiB") scale = 1024.0 * 1024 * 1024 * 1024;
  if (scale == 0 || value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(value * scale);
}

std::string default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0')
    return std::string(xdg) + "/frame-tracking";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.local/share/frame-tracking";
  return ".frame-tracking";
}

int run(const ServeOptions& options) {
  auto retention = parse_retention(options.retention);
  if (!retention) {
    std::cerr << "frame-tracking serve: --retention '" << options.retention
              << "': expected a number with unit s, m, h or d (e.g. 72h)\n";
    return 2;
  }
  if (*retention < 24 * 3600 && !options.force_retention) {
    std::cerr << "frame-tracking serve: --retention " << options.retention
              << " is below 24h; add --force-retention if you really want traces deleted that early\n";
    return 2;
  }
  auto max_store = parse_size(options.max_store_size);
  auto max_body = parse_size(options.max_body_size);
  auto max_header = parse_size(options.max_header_size);
  if (!max_store || !max_body || *max_body == 0 || !max_header || *max_header == 0) {
    std::cerr << "frame-tracking serve: "
              << (!max_store                      ? "--max-store-size '" + options.max_store_size
                  : !max_body || *max_body == 0 ? "--max-body-size '" + options.max_body_size
                                                  : "--max-header-size '" + options.max_header_size)
              << "': expected bytes with an optional unit (KB, MB, GB, KiB, MiB, GiB)\n";
    return 2;
  }
  auto auth_token = options.auth.resolve();
  if (!auth_token) {
    std::cerr << "frame-tracking serve: " << auth_token.error().message << "\n";
    return 2;
  }

  store::ServiceOptions service_options;
  service_options.listen = options.listen;
  service_options.otlp_port = options.otlp_port;
  service_options.query_port = options.query_port;
  service_options.admin_port = options.admin_port;
  std::string data_dir = options.data_dir.empty() ? default_data_dir() : options.data_dir;
  service_options.store.path = std::filesystem::path(data_dir) / "spans.db";
  service_options.store.retention = std::chrono::seconds(*retention);
  service_options.store.max_store_bytes = *max_store;
  service_options.store.max_spans_per_trace = options.max_trace_spans;
  service_options.max_search_traces = options.max_search_traces;
  service_options.max_body_bytes = static_cast<std::size_t>(*max_body);
  service_options.max_header_bytes = static_cast<std::size_t>(*max_header);
  service_options.auth_token = std::move(*auth_token);
  service_options.forward_url = options.forward;

  // Block the stop signals in every thread (the servers inherit the mask); this thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = store::Service::start(service_options);
  if (!service) {
    std::cerr << "frame-tracking serve: " << service.error().message << "\n";
    return 1;
  }
  std::cout << "store " << service_options.store.path.string() << " (retention " << options.retention
            << (*max_store > 0 ? ", max size " + options.max_store_size : std::string()) << ")" << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cout << "received " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down" << std::endl;
  (*service)->stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the embedded backend: OTLP/HTTP receiver, SQLite trace store, Jaeger query API, health and metrics");
  cmd->add_option("--otlp-port", options->otlp_port, "OTLP/HTTP receiver port (POST /v1/traces); 0 = a free port")
      ->envname("FRAME_TRACKING_OTLP_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--query-port", options->query_port, "Jaeger query API port (/api/...); 0 = a free port")
      ->envname("FRAME_TRACKING_QUERY_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--admin-port", options->admin_port, "Admin port (/health, /metrics); 0 = a free port")
      ->envname("FRAME_TRACKING_ADMIN_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--listen", options->listen, "Address to bind (0.0.0.0 exposes the service)")
      ->envname("FRAME_TRACKING_LISTEN")
      ->capture_default_str();
  cmd->add_option("--data-dir", options->data_dir,
                  "Directory of the store (spans.db); default $XDG_DATA_HOME/frame-tracking or "
                  "~/.local/share/frame-tracking")
      ->envname("FRAME_TRACKING_DATA_DIR");
  cmd->add_option("--retention", options->retention, "Delete whole traces older than this (s, m, h, d); minimum 24h")
      ->envname("FRAME_TRACKING_RETENTION")
      ->capture_default_str();
  cmd->add_flag("--force-retention", options->force_retention, "Allow --retention below 24h");
  cmd->add_option("--max-store-size", options->max_store_size,
                  "Evict oldest traces while the store is larger than this (e.g. 10GB); 0 = no limit")
      ->envname("FRAME_TRACKING_MAX_STORE_SIZE")
      ->capture_default_str();
  cmd->add_option("--max-body-size", options->max_body_size, "Largest OTLP request after decompression (413 above)")
      ->capture_default_str();
  cmd->add_option("--max-header-size", options->max_header_size,
                  "Largest request header section (431 above); a single header line is limited to 8192 bytes")
      ->capture_default_str();
  cmd->add_option("--max-search-traces", options->max_search_traces,
                  "Largest 'limit' of a trace search, and most traceID parameters per request (400 above)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--max-trace-spans", options->max_trace_spans,
                  "Spans returned per trace; longer traces are cut with a warning")
      ->capture_default_str();
  add_auth_token_options(*cmd, options->auth,
                         "Require 'Authorization: Bearer TOKEN' on the OTLP and query ports (visible in the process "
                         "list: prefer --auth-token-file or the variable)");
  cmd->add_option("--forward", options->forward,
                  "Also send every accepted OTLP request to this OTLP/HTTP traces URL (retried, never blocks ingest)")
      ->envname("FRAME_TRACKING_FORWARD");
  cmd->footer(
      "Once listening, serve prints exactly these lines on standard output (one each, in this order):\n"
      "  otlp listening on HOST:PORT\n"
      "  query listening on HOST:PORT\n"
      "  admin listening on HOST:PORT\n"
      "With port 0 the PORT shown is the one chosen. SIGINT or SIGTERM stop it cleanly (exit 0).\n"
      "Example: frame-tracking serve --otlp-port 0 --query-port 0 --admin-port 0 --data-dir /tmp/ft");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("serve", frame_tracking::cli::setup);
