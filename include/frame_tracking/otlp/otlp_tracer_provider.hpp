// SPDX-License-Identifier: Apache-2.0
// The "otlp" value of OTEL_TRACES_EXPORTER: an exporter factory for the core's configuration, and a
// one-call TracerProvider configured from OTEL_* with OtlpHttpExporter behind a BatchSpanProcessor.
// Spec: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#exporter-selection
#pragma once

#include "frame_tracking/config.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <memory>
#include <vector>

namespace frame_tracking::otlp {

/// Makes an OtlpHttpExporter from OtlpHttpExporterOptions::from_env(env) (bad values are warned
/// about there). Never returns null.
SpanExporterFactory otlp_exporter_factory();

/// Registers otlp_exporter_factory() process-wide under "otlp" (register_span_exporter_factory),
/// so create_tracer_provider_from_env() exports over OTLP/HTTP. Thread-safe; repeating it is harmless.
void register_otlp_exporter();

/// create_tracer_provider_from_env(env, {{"otlp", otlp_exporter_factory()}}, resource_overrides):
/// every OTEL_* variable applies (OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER with `otlp` as default,
/// OTEL_BSP_*, OTEL_EXPORTER_OTLP_*, resource, sampler, limits). The provider owns the exporter;
/// its shutdown(timeout) returns by the timeout even if the collector never answers.
std::unique_ptr<TracerProvider> create_otlp_tracer_provider_from_env(const EnvLookup& env = process_environment(),
                                                                     std::vector<Attribute> resource_overrides = {});

}  // namespace frame_tracking::otlp
