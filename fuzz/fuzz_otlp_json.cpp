// SPDX-License-Identifier: Apache-2.0
// Fuzz target: OTLP/HTTP JSON request bodies as the service's receiver decodes, stores and serves them.
#include "otlp_receive_check.hpp"

#include "otlp_json.hpp"

#include <cstddef>
#include <cstdint>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  auto decoded = service::parse_otlp_json(body, request);
  if (!decoded) FT_FUZZ_CHECK(!decoded.error().message.empty());
  fuzz::check_receive(service::OtlpEncoding::kJson, body, decoded ? &request : nullptr);
  return 0;
}
