// SPDX-License-Identifier: Apache-2.0
// Wiring of OtlpHttpExporter into the core's OTEL_TRACES_EXPORTER configuration.
#include "frame_tracking/otlp/otlp_tracer_provider.hpp"

#include "frame_tracking/otlp/otlp_http_exporter.hpp"

namespace frame_tracking::otlp {

SpanExporterFactory otlp_exporter_factory() {
  return [](const EnvLookup& env) -> std::unique_ptr<SpanExporter> {
    return std::make_unique<OtlpHttpExporter>(OtlpHttpExporterOptions::from_env(env));
  };
}

void register_otlp_exporter() { register_span_exporter_factory("otlp", otlp_exporter_factory()); }

std::unique_ptr<TracerProvider> create_otlp_tracer_provider_from_env(const EnvLookup& env,
                                                                     std::vector<Attribute> resource_overrides) {
  return create_tracer_provider_from_env(env, {{"otlp", otlp_exporter_factory()}}, std::move(resource_overrides));
}

}  // namespace frame_tracking::otlp
