// SPDX-License-Identifier: Apache-2.0
// ProcessRuntime: what every pipeline process shares — its OpenTelemetry service, broker, stop signal,
// counters (published as a JSON stats file), Prometheus metrics and the traced consumer loop.
#pragma once

#include "otlp/cli_tracing.hpp"
#include "pipeline/broker.hpp"

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/metrics/frame_metrics.hpp"
#include "frame_tracking/metrics/messaging_metrics.hpp"
#include "frame_tracking/metrics/metrics_exposer.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/span.hpp"
#include "frame_tracking/tracer.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace frame_tracking::pipeline {

/// Flags every pipeline process takes.
struct ProcessOptions {
  std::string broker = "redis://127.0.0.1:6379";
  /// OTLP/HTTP endpoint; "" = OTEL_EXPORTER_OTLP_ENDPOINT (or http://localhost:4318).
  std::string otlp_endpoint;
  /// service.instance.id; "" = <service.name>-<host>-<pid>.
  std::string instance_id;
  /// Where the counters are written as JSON (atomically, a few times a second); "" = nowhere.
  std::string stats_file;
  /// Port of GET /metrics: "0" = no endpoint (the default), "auto" = a free port, else 1..65535.
  std::string metrics_port = "0";
  /// Address the metrics endpoint binds.
  std::string metrics_host = "127.0.0.1";
};

/// The camera_id label of a frame whose metadata could not be read.
inline constexpr std::string_view kUnknownCamera = "unknown";

/// Seconds from `start` to now (steady clock), for the stage-duration histograms.
inline double seconds_since(std::chrono::steady_clock::time_point start) noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Adds --broker, --otlp-endpoint, --instance-id, --stats-file, --metrics-port and --metrics-host to `cmd`.
void add_process_options(CLI::App& cmd, ProcessOptions& options);

/// One pipeline process's runtime. Construct once in the process's command; not copyable.
/// Counters are thread-safe; everything else is used from the process's main thread.
///
/// Stats file JSON: {"service": S, "instance": I, "pid": P, "metrics_port": M (0 = none),
/// "counters": {name: n, …}, "dropped": {reason: n, …}, "done": bool} — "done" once finish() ran.
///
/// Metrics (docs/metrics.md) are always counted; with --metrics-port they are served on
/// GET http://<metrics-host>:<port>/metrics (with the tracer's self-metrics read at each scrape)
/// and the process logs "metrics listening on HOST:PORT".
class ProcessRuntime {
 public:
  /// Sets up tracing for `service_name` (resource service.name, service.instance.id), checks the
  /// broker URL, starts the metrics endpoint and installs SIGTERM/SIGINT handlers that request a
  /// stop. Errors name the flag.
  static Result<std::unique_ptr<ProcessRuntime>> start(std::string service_name, const ProcessOptions& options);
  ~ProcessRuntime();
  ProcessRuntime(const ProcessRuntime&) = delete;
  ProcessRuntime& operator=(const ProcessRuntime&) = delete;

  const std::string& service_name() const noexcept { return service_name_; }
  const std::string& instance_id() const noexcept { return instance_id_; }
  const Broker& broker() const noexcept { return broker_; }
  const Tracer& tracer() const noexcept { return tracer_; }
  const TextMapPropagator& propagator() const noexcept { return *propagator_; }

  /// True once SIGTERM or SIGINT arrived (or request_stop() was called). Async-signal-safe flag.
  static bool stop_requested() noexcept;
  static void request_stop() noexcept;

  /// Adds `n` to counter `name`.
  void count(std::string_view name, std::uint64_t n = 1);
  /// Counts one frame dropped for `reason` (counter "dropped" and the per-reason table).
  void count_drop(std::string_view reason);
  /// Ends a frame's journey in `stage`: count_drop(reason), frames_total{outcome="dropped"} and
  /// frames_dropped_total{reason} of `stage`, and record_drop on `span` (the span carrying the
  /// frame.dropped event, whose pipeline.stage `stage` is).
  void drop_frame(Span& span, metrics::FrameStage& stage, std::string_view reason);
  /// Counts one send of `producer` to `destination` in messaging_client_sent_messages_total
  /// (error_type = the failure's TransportStatus name).
  void count_send(const MessageProducer& producer, std::string_view destination, const SendResult& result);

  /// The frame metric families (stage handles: frame_metrics().stage(stage, camera)).
  metrics::FrameMetrics& frame_metrics() noexcept { return *frame_metrics_; }
  metrics::MessagingMetrics& messaging_metrics() noexcept { return *messaging_metrics_; }
  /// The bound metrics port, 0 when there is no endpoint.
  int metrics_port() const noexcept { return exposer_ ? exposer_->port() : 0; }
  std::uint64_t counter(std::string_view name) const;
  /// Writes the stats file if the last write is older than 200 ms (or `force`).
  void publish_stats(bool force = false);

  /// Writes the final stats ("done": true), flushes and shuts the tracer provider down (at most
  /// 10 s), prints a one-line summary on stderr and returns `exit_code` (1 if the flush failed
  /// and exit_code was 0).
  int finish(int exit_code);

  /// Prints "<service>: <line>" on stderr.
  void log(std::string_view line) const;

 private:
  ProcessRuntime() = default;
  void write_stats(bool done);

  std::string service_name_;
  std::string instance_id_;
  std::string stats_file_;
  Broker broker_;
  cli::CliTracing tracing_;
  Tracer tracer_;
  std::unique_ptr<TextMapPropagator> propagator_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> counters_;
  std::map<std::string, std::uint64_t, std::less<>> drops_;
  std::chrono::steady_clock::time_point last_write_{};
  // Declared after tracing_: destroyed first, so no scrape reads a destroyed provider.
  std::unique_ptr<prometheus::Registry> unserved_registry_;  // when there is no endpoint
  std::unique_ptr<metrics::MetricsExposer> exposer_;
  std::unique_ptr<metrics::FrameMetrics> frame_metrics_;
  std::unique_ptr<metrics::MessagingMetrics> messaging_metrics_;
};

/// Handles one message inside its `process <destination>` span (a child of the message's
/// context); returns normally when the message may be acked (a frame that had to be dropped
/// was recorded on the span and counted).
using MessageHandler = std::function<void(const ReceivedMessage& message, Span& process_span)>;

/// The consumer loop of frame-buffer, frame-processor and metadata-storage: polls `consumer` of
/// `destination` in consumer group `group` (up to 32 messages, 200 ms), runs `handler` inside a
/// CONSUMER span per message, acks it and ends the span; until a stop is requested. Counts
/// "received", "acked" and "poll_errors" (stats file) and messaging_client_consumed_messages_total;
/// about once a second sets frame_queue_consumer_lag_messages from the broker (Broker::consumer_lag;
/// failed reads are counted as "lag_errors"). Publishes stats. Returns the process exit code (0
/// on a requested stop).
int run_consumer_loop(ProcessRuntime& runtime, MessageConsumer& consumer, const std::string& destination,
                      const std::string& group, const MessageHandler& handler);

}  // namespace frame_tracking::pipeline
