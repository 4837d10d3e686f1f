// SPDX-License-Identifier: Apache-2.0
// Test helper: a TracerProvider whose BatchSpanProcessor exports over OTLP/HTTP, with a view of its exporter.
#pragma once

#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/resource.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <memory>
#include <string>

namespace frame_tracking::testing {

/// A provider for `service_name` with one BatchSpanProcessor (`batch`) over an OtlpHttpExporter
/// (`exporter_options`). `*exporter` is set to that exporter, owned by the provider: read its stats
/// while the provider lives.
inline std::unique_ptr<TracerProvider> exporting_provider(const otlp::OtlpHttpExporterOptions& exporter_options,
                                                          const BatchSpanProcessorOptions& batch,
                                                          const std::string& service_name, otlp::OtlpHttpExporter** exporter) {
  auto owned = std::make_unique<otlp::OtlpHttpExporter>(exporter_options);
  *exporter = owned.get();
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", service_name}});
  options.processors.push_back(std::make_unique<BatchSpanProcessor>(std::move(owned), batch));
  return std::make_unique<TracerProvider>(std::move(options));
}

}  // namespace frame_tracking::testing
