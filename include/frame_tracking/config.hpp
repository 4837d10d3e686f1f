// SPDX-License-Identifier: Apache-2.0
// TracingConfig: the tracing core's OTEL_* environment variables, and a TracerProvider built from them.
// Spec: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
#pragma once

#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/diagnostics.hpp"
#include "frame_tracking/environment.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/sampler.hpp"
#include "frame_tracking/span_exporter.hpp"
#include "frame_tracking/span_limits.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace frame_tracking {

/// The samplers OTEL_TRACES_SAMPLER can name (jaeger_remote and xray are not supported).
enum class SamplerKind : std::uint8_t {
  kAlwaysOn,
  kAlwaysOff,
  kTraceIdRatio,
  kParentBasedAlwaysOn,
  kParentBasedAlwaysOff,
  kParentBasedTraceIdRatio,
};

/// The tracing core's configuration read from OTEL_* variables. Every value that does not parse
/// or is out of range produces exactly one line in `warnings` naming the variable and the value,
/// and the spec default is used instead; nothing throws.
///
/// Variables: OTEL_SDK_DISABLED (only case-insensitive "true" disables), OTEL_SERVICE_NAME and
/// OTEL_RESOURCE_ATTRIBUTES (see Resource::create), OTEL_TRACES_SAMPLER (default
/// parentbased_always_on) and OTEL_TRACES_SAMPLER_ARG (ratio in [0, 1], default 1.0, read only for
/// the ratio samplers), OTEL_BSP_SCHEDULE_DELAY (ms, ≥ 0, default 5000), OTEL_BSP_EXPORT_TIMEOUT
/// (ms, ≥ 0, 0 = no limit, default 30000), OTEL_BSP_MAX_QUEUE_SIZE (> 0, default 2048),
/// OTEL_BSP_MAX_EXPORT_BATCH_SIZE (> 0 and ≤ the queue size, default 512),
/// OTEL_ATTRIBUTE_COUNT_LIMIT / OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (≥ 0, default 128; the SPAN_ one
/// wins), OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT / OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (> 0, default
/// no limit), OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT,
/// OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT, OTEL_LINK_ATTRIBUTE_COUNT_LIMIT (≥ 0, default 128),
/// OTEL_TRACES_EXPORTER (comma list of otlp, console, logging (= console), none; default otlp),
/// OTEL_LOG_LEVEL (debug, info, warn, error, none; default info). Integers are decimal digits up to
/// 2^31 − 1; empty values count as unset. OTEL_CONFIG_FILE is not supported (warned, ignored).
/// Value type.
struct TracingConfig {
  bool sdk_disabled = false;
  Resource resource;
  SamplerKind sampler = SamplerKind::kParentBasedAlwaysOn;
  double sampler_ratio = 1.0;
  BatchSpanProcessorOptions batch;
  SpanLimits limits;
  /// Exporter names in order, deduplicated; empty means none.
  std::vector<std::string> exporters{"otlp"};
  LogLevel log_level = LogLevel::kInfo;
  /// One line per rejected value, e.g.
  /// `OTEL_BSP_MAX_QUEUE_SIZE="abc" is not a positive integer; using the default 2048`.
  std::vector<std::string> warnings;

  /// Reads the configuration from `env` (the resource too: `resource_overrides` on top).
  static TracingConfig from_env(const EnvLookup& env = process_environment(),
                                std::vector<Attribute> resource_overrides = {});

  /// A new sampler as configured.
  std::unique_ptr<Sampler> make_sampler() const;
};

/// Makes a SpanExporter for one OTEL_TRACES_EXPORTER name, reading its own settings from `env`.
/// May return null (then that exporter is skipped with a warning).
using SpanExporterFactory = std::function<std::unique_ptr<SpanExporter>(const EnvLookup& env)>;

/// Registers a process-wide factory for exporter `name` (e.g. the otlp component registers
/// "otlp"), replacing an earlier one. Thread-safe.
void register_span_exporter_factory(std::string name, SpanExporterFactory factory);

/// Builds a TracerProvider from `config`: disabled → TracerProvider::create_disabled(); else one
/// processor per exporter: `console` → SimpleSpanProcessor(ConsoleSpanExporter on stdout), others
/// → BatchSpanProcessor(config.batch) over the factory found in `factories`, else in the
/// registered ones. A name without a factory is reported once ("... not available ...") and
/// skipped, so with no exporter spans are recorded and counted but not exported. Also applies
/// config.log_level and reports config.warnings through log_diagnostic.
std::unique_ptr<TracerProvider> create_tracer_provider(const TracingConfig& config, const EnvLookup& env,
                                                       const std::map<std::string, SpanExporterFactory>& factories = {});

/// TracingConfig::from_env(env, resource_overrides) then create_tracer_provider.
std::unique_ptr<TracerProvider> create_tracer_provider_from_env(
    const EnvLookup& env = process_environment(), const std::map<std::string, SpanExporterFactory>& factories = {},
    std::vector<Attribute> resource_overrides = {});

}  // namespace frame_tracking
