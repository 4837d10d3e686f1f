// SPDX-License-Identifier: Apache-2.0
// CliTracing: the TracerProvider of a CLI process that exports its own spans as OTLP (generate, pipeline).
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::cli {

/// A provider configured from the OTEL_* environment (sampler, limits, batch settings,
/// OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER) with a BatchSpanProcessor over an OtlpHttpExporter.
/// Move-only. `exporter` points into `provider` (null when OTLP is not among the exporters) and
/// is valid while `provider` lives.
struct CliTracing {
  std::unique_ptr<TracerProvider> provider;
  const otlp::OtlpHttpExporter* exporter = nullptr;
  /// The traces URL spans are POSTed to.
  std::string endpoint;
};

/// The OTLP traces URL for `endpoint`: a URL with an empty path or "/" gets "/v1/traces" (like
/// OTEL_EXPORTER_OTLP_ENDPOINT); any other path is used as given. Empty `endpoint`: what the
/// OTEL_EXPORTER_OTLP_{TRACES_,}ENDPOINT variables say, else http://localhost:4318/v1/traces.
std::string otlp_traces_url(std::string_view endpoint);

/// Builds the provider of service `service_name` (resource attributes `extra_resource` on top,
/// e.g. service.instance.id). The batch schedule delay defaults to `schedule_delay` unless
/// OTEL_BSP_SCHEDULE_DELAY is set, so a short-lived process's spans reach the backend quickly.
/// Configuration warnings go to the diagnostics log (stderr). Never throws on bad OTEL_* values.
CliTracing make_cli_tracing(const std::string& service_name, std::string_view endpoint,
                            std::vector<Attribute> extra_resource = {},
                            std::chrono::milliseconds schedule_delay = std::chrono::milliseconds(200));

}  // namespace frame_tracking::cli
