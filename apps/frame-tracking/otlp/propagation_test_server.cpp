// SPDX-License-Identifier: Apache-2.0
// `frame-tracking propagation-test-server`: the W3C Trace Context conformance service (POSTs a list of
// {url, arguments} calls onward inside a span that continues the incoming context).
#include "command.hpp"

#include "frame_tracking/config.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/tracer.hpp"

#include <curl/curl.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

namespace frame_tracking::cli {
namespace {

struct PropagationServerOptions {
  std::string listen = "127.0.0.1";
  int port = 0;
  long call_timeout_ms = 10000;
};

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int) { g_stop_requested.store(true); }

/// POSTs `body` (JSON) to `url` with `headers`; returns "" or the error.
std::string post(const std::string& url, const std::string& body, const HttpHeaders& headers, long timeout_ms) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return "curl_easy_init failed";
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? std::string() : std::string(curl_easy_strerror(rc));
}

int run(const PropagationServerOptions& options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto propagator = propagator_from_env();
  if (!propagator) {
    std::cerr << "propagation-test-server: " << propagator.error().message << "\n";
    return 2;
  }
  std::map<std::string, SpanExporterFactory> factories{
      {"otlp", [](const EnvLookup& env) -> std::unique_ptr<SpanExporter> {
         return std::make_unique<otlp::OtlpHttpExporter>(otlp::OtlpHttpExporterOptions::from_env(env));
       }}};
  auto provider = create_tracer_provider_from_env(process_environment(), factories,
                                                  {Attribute{"service.name", std::string("propagation-test-server")}});
  const Tracer tracer = provider->get_tracer("frame_tracking.propagation_test_server");

  httplib::Server server;
  server.Post(".*", [&](const httplib::Request& request, httplib::Response& response) {
    HttpHeaders incoming;
    for (const auto& [name, value] : request.headers) incoming.emplace_back(name, value);
    const Context parent = (*propagator)->extract(HttpHeaderCarrier(std::as_const(incoming)), Context{});
    nlohmann::json calls = nlohmann::json::parse(request.body, nullptr, false);
    if (!calls.is_array()) {
      response.status = 400;
      response.set_content("body: expected a JSON array of {\"url\": ..., \"arguments\": ...}\n", "text/plain");
      return;
    }
    StartSpanOptions server_options;
    server_options.kind = SpanKind::kServer;
    server_options.parent = &parent;
    server_options.new_root = !parent.span_context.is_valid();
    Span span = tracer.start_span("POST " + request.path, server_options);
    span.set_attribute("http.request.method", "POST");
    span.set_attribute("url.path", request.path);
    Context current = parent;
    current.span_context = span.context();
    for (const auto& call : calls) {
      if (!call.is_object() || !call.contains("url") || !call["url"].is_string()) {
        response.status = 400;
        response.set_content("body: every element needs a string \"url\"\n", "text/plain");
        span.set_status(StatusCode::kError, "bad request body");
        return;
      }
      const std::string url = call["url"].get<std::string>();
      StartSpanOptions client_options;
      client_options.kind = SpanKind::kClient;
      client_options.parent = &current;
      Span client = tracer.start_span("POST", client_options);
      client.set_attribute("url.full", url);
      Context outgoing_context = current;
      outgoing_context.span_context = client.context();
      HttpHeaders outgoing;
      HttpHeaderCarrier carrier(outgoing);
      (*propagator)->inject(outgoing_context, carrier);
      const std::string body = call.contains("arguments") ? call["arguments"].dump() : std::string("null");
      if (std::string error = post(url, body, outgoing, options.call_timeout_ms); !error.empty()) {
        client.set_attribute("error.type", "transport");
        client.set_status(StatusCode::kError, error);
      }
    }
    response.status = 200;
  });

  // SIGINT/SIGTERM only set a flag; a watcher stops the server once it is running, so a signal
  // that arrives before the accept loop has started is not lost.
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.listen);
  } else if (!server.bind_to_port(options.listen, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "propagation-test-server: cannot listen on " << options.listen << ":" << options.port
              << " (change --port or --listen)\n";
    return 1;
  }
  std::cout << "listening on " << options.listen << ":" << port << std::endl;
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished.load()) {
      if (g_stop_requested.load() && server.is_running()) server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  server.listen_after_bind();
  finished.store(true);
  watcher.join();
  provider->shutdown(std::chrono::seconds(5));
  curl_global_cleanup();
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PropagationServerOptions>();
  CLI::App* cmd = app.add_subcommand(
      "propagation-test-server",
      "Serve the W3C Trace Context test protocol: each POSTed JSON array of {\"url\", \"arguments\"} is "
      "called in order (POST, body = arguments) inside a span continuing the incoming traceparent");
  cmd->add_option("--port", options->port, "TCP port (0 = any free port; the chosen one is printed)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--listen", options->listen, "Address to listen on")->capture_default_str();
  cmd->add_option("--call-timeout-ms", options->call_timeout_ms, "Timeout of each onward call, ms")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

FT_REGISTER_COMMAND("propagation-test-server", setup);

}  // namespace
}  // namespace frame_tracking::cli
