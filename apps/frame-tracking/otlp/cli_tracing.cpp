// SPDX-License-Identifier: Apache-2.0
// CliTracing: the TracerProvider of a CLI process that exports its own spans as OTLP.
#include "otlp/cli_tracing.hpp"

#include "frame_tracking/config.hpp"
#include "frame_tracking/environment.hpp"

#include <map>

namespace frame_tracking::cli {

std::string otlp_traces_url(std::string_view endpoint) {
  if (endpoint.empty()) return otlp::OtlpHttpExporterOptions::from_env().endpoint;
  std::string url(endpoint);
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return url + "/v1/traces";
  if (path == url.size() - 1) return url + "v1/traces";
  return url;
}

CliTracing make_cli_tracing(const std::string& service_name, std::string_view endpoint,
                            std::vector<Attribute> extra_resource, std::chrono::milliseconds schedule_delay) {
  const EnvLookup env = process_environment();
  std::vector<Attribute> overrides{Attribute{"service.name", service_name}};
  for (auto& attribute : extra_resource) overrides.push_back(std::move(attribute));
  TracingConfig config = TracingConfig::from_env(env, std::move(overrides));
  const auto delay_set = env("OTEL_BSP_SCHEDULE_DELAY");
  if (!delay_set || delay_set->empty()) config.batch.schedule_delay = schedule_delay;

  CliTracing out;
  out.endpoint = otlp_traces_url(endpoint);
  const otlp::OtlpHttpExporter** exporter_slot = &out.exporter;
  const std::string url = out.endpoint;
  std::map<std::string, SpanExporterFactory> factories{
      {"otlp", [exporter_slot, url](const EnvLookup& lookup) -> std::unique_ptr<SpanExporter> {
         otlp::OtlpHttpExporterOptions options = otlp::OtlpHttpExporterOptions::from_env(lookup);
         options.endpoint = url;
         auto exporter = std::make_unique<otlp::OtlpHttpExporter>(std::move(options));
         *exporter_slot = exporter.get();
         return exporter;
       }}};
  out.provider = create_tracer_provider(config, env, factories);
  return out;
}

}  // namespace frame_tracking::cli
