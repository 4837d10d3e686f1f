// SPDX-License-Identifier: Apache-2.0
// ProcessRuntime: the OpenTelemetry service, broker, stop signal, counters and consumer loop of a pipeline process.
#include "pipeline/process_runtime.hpp"

#include "frame_tracking/metrics/tracer_stats_collector.hpp"
#include "frame_tracking/traced_messaging.hpp"
#include "pipeline/frame_message.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <unistd.h>

namespace frame_tracking::pipeline {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true, std::memory_order_relaxed); }

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return "host";
  return buffer;
}

}  // namespace

void add_process_options(CLI::App& cmd, ProcessOptions& options) {
  cmd.add_option("--broker", options.broker, "Broker URL: redis://HOST:PORT or amqp://USER:PASSWORD@HOST:PORT")
      ->envname("FRAME_TRACKING_BROKER")
      ->capture_default_str();
  cmd.add_option("--otlp-endpoint", options.otlp_endpoint,
                 "OTLP/HTTP endpoint for this process's spans (default OTEL_EXPORTER_OTLP_ENDPOINT or http://localhost:4318)");
  cmd.add_option("--instance-id", options.instance_id, "service.instance.id (default SERVICE-HOST-PID)");
  cmd.add_option("--stats-file", options.stats_file, "Write the counters here as JSON, a few times a second");
  cmd.add_option("--metrics-port", options.metrics_port,
                 "Serve Prometheus metrics on GET /metrics at this port; auto = a free port (logged), 0 = off")
      ->check(CLI::IsMember({"auto"}) | CLI::Range(0, 65535))
      ->capture_default_str();
  cmd.add_option("--metrics-host", options.metrics_host, "Address the metrics endpoint listens on")->capture_default_str();
}

Result<std::unique_ptr<ProcessRuntime>> ProcessRuntime::start(std::string service_name, const ProcessOptions& options) {
  auto broker = Broker::from_url(options.broker);
  if (!broker) return broker.error();
  auto propagator = propagator_from_env();
  if (!propagator) return propagator.error();

  std::unique_ptr<ProcessRuntime> runtime(new ProcessRuntime());
  runtime->service_name_ = std::move(service_name);
  runtime->instance_id_ = options.instance_id.empty()
                              ? runtime->service_name_ + "-" + host_name() + "-" + std::to_string(getpid())
                              : options.instance_id;
  runtime->stats_file_ = options.stats_file;
  runtime->broker_ = std::move(*broker);
  runtime->propagator_ = std::move(*propagator);
  runtime->tracing_ = cli::make_cli_tracing(runtime->service_name_, options.otlp_endpoint,
                                            {Attribute{"service.instance.id", runtime->instance_id_},
                                             Attribute{"service.namespace", std::string("frame-tracking-pipeline")}});
  runtime->tracer_ = runtime->tracing_.provider->get_tracer("frame_tracking.pipeline", FRAME_TRACKING_VERSION);

  prometheus::Registry* registry = nullptr;
  if (options.metrics_port != "0") {
    auto exposer = metrics::MetricsExposer::start(options.metrics_host,
                                                  options.metrics_port == "auto" ? 0 : std::stoi(options.metrics_port));
    if (!exposer) return exposer.error();
    runtime->exposer_ = std::move(*exposer);
    const TracerProvider* provider = runtime->tracing_.provider.get();
    runtime->exposer_->add(std::make_shared<metrics::TracerStatsCollector>([provider] { return provider->collect(); }));
    registry = &runtime->exposer_->registry();
    runtime->log("metrics listening on " + options.metrics_host + ":" + std::to_string(runtime->exposer_->port()));
  } else {
    runtime->unserved_registry_ = std::make_unique<prometheus::Registry>();
    registry = runtime->unserved_registry_.get();
  }
  runtime->frame_metrics_ = std::make_unique<metrics::FrameMetrics>(*registry);
  runtime->messaging_metrics_ = std::make_unique<metrics::MessagingMetrics>(*registry);

  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  runtime->publish_stats(true);
  return runtime;
}

ProcessRuntime::~ProcessRuntime() = default;

bool ProcessRuntime::stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }
void ProcessRuntime::request_stop() noexcept { g_stop.store(true, std::memory_order_relaxed); }

void ProcessRuntime::count(std::string_view name, std::uint64_t n) {
  std::lock_guard lock(mutex_);
  auto it = counters_.find(name);
  if (it == counters_.end()) it = counters_.emplace(std::string(name), 0).first;
  it->second += n;
}

void ProcessRuntime::count_drop(std::string_view reason) {
  std::lock_guard lock(mutex_);
  auto it = drops_.find(reason);
  if (it == drops_.end()) it = drops_.emplace(std::string(reason), 0).first;
  ++it->second;
  auto total = counters_.find(std::string_view("dropped"));
  if (total == counters_.end()) total = counters_.emplace("dropped", 0).first;
  ++total->second;
}

void ProcessRuntime::drop_frame(Span& span, metrics::FrameStage& stage, std::string_view reason) {
  count_drop(reason);
  stage.dropped(reason);
  record_drop(span, reason);
}

void ProcessRuntime::count_send(const MessageProducer& producer, std::string_view destination, const SendResult& result) {
  messaging_metrics_->sent(producer.system(), producer.destination_name(destination),
                           result.ok() ? std::string_view() : to_string(result.status))
      .Increment();
}

std::uint64_t ProcessRuntime::counter(std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

void ProcessRuntime::publish_stats(bool force) {
  if (stats_file_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (!force && now - last_write_ < std::chrono::milliseconds(200)) return;
    last_write_ = now;
  }
  write_stats(false);
}

void ProcessRuntime::write_stats(bool done) {
  if (stats_file_.empty()) return;
  nlohmann::ordered_json out;
  out["service"] = service_name_;
  out["instance"] = instance_id_;
  out["pid"] = getpid();
  out["metrics_port"] = metrics_port();
  {
    std::lock_guard lock(mutex_);
    out["counters"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : counters_) out["counters"][name] = value;
    out["dropped"] = nlohmann::ordered_json::object();
    for (const auto& [reason, value] : drops_) out["dropped"][reason] = value;
  }
  out["done"] = done;
  // Write a sibling file and rename it over the old one, so a reader never sees half a file.
  const std::string temporary = stats_file_ + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << out.dump() << "\n";
    if (!file) {
      log("cannot write --stats-file " + temporary);
      return;
    }
  }
  std::rename(temporary.c_str(), stats_file_.c_str());
}

int ProcessRuntime::finish(int exit_code) {
  write_stats(true);
  const bool flushed = tracing_.provider->shutdown(std::chrono::seconds(10));
  std::string summary = "stopped;";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, value] : counters_) summary += " " + name + "=" + std::to_string(value);
    for (const auto& [reason, value] : drops_) summary += " dropped." + reason + "=" + std::to_string(value);
  }
  if (tracing_.exporter != nullptr) {
    const auto stats = tracing_.exporter->stats();
    summary += "; spans exported=" + std::to_string(stats.exported_spans) + " failed=" + std::to_string(stats.failed_spans);
  }
  if (!flushed) summary += "; span flush timed out";
  log(summary);
  return exit_code == 0 && !flushed ? 1 : exit_code;
}

void ProcessRuntime::log(std::string_view line) const { std::cerr << service_name_ << ": " << line << std::endl; }

int run_consumer_loop(ProcessRuntime& runtime, MessageConsumer& consumer, const std::string& destination,
                      const std::string& group, const MessageHandler& handler) {
  TracedConsumer traced(consumer, runtime.tracer(), runtime.propagator());
  prometheus::Counter& consumed = runtime.messaging_metrics().consumed(consumer.system(), destination, group);
  prometheus::Gauge& lag = runtime.messaging_metrics().consumer_lag(consumer.system(), destination, group);
  const std::function<Result<std::uint64_t>()> read_lag = runtime.broker().consumer_lag(destination, group);
  // The first read waits a second: the first poll creates the Redis consumer group.
  std::chrono::steady_clock::time_point last_lag_read = std::chrono::steady_clock::now();
  std::uint64_t failures_in_a_row = 0;
  while (!ProcessRuntime::stop_requested()) {
    if (std::chrono::steady_clock::now() - last_lag_read >= std::chrono::seconds(1)) {
      last_lag_read = std::chrono::steady_clock::now();
      if (auto value = read_lag()) {
        lag.Set(static_cast<double>(*value));
      } else if (runtime.counter("lag_errors") == 0) {
        runtime.log("consumer lag: " + value.error().message);
        runtime.count("lag_errors");
      } else {
        runtime.count("lag_errors");
      }
    }
    PollResult polled = consumer.poll(32, std::chrono::milliseconds(200));
    if (!polled.ok()) {
      runtime.count("poll_errors");
      if (++failures_in_a_row == 1 || failures_in_a_row % 50 == 0)
        runtime.log("poll failed (" + std::string(to_string(polled.status)) + "): " + polled.error);
      runtime.publish_stats();
      continue;
    }
    failures_in_a_row = 0;
    for (const ReceivedMessage& message : polled.messages) {
      runtime.count("received");
      consumed.Increment();
      Span span = traced.start_process(message);
      handler(message, span);
      if (traced.settle(message, span, true)) runtime.count("acked");
      else runtime.count("ack_errors");
    }
    runtime.publish_stats();
  }
  return 0;
}

}  // namespace frame_tracking::pipeline
