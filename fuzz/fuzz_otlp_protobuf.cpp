// SPDX-License-Identifier: Apache-2.0
// Fuzz target: OTLP/HTTP protobuf request bodies as the service's receiver decodes, stores and serves them.
#include "otlp_receive_check.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) return 0;
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  const bool decodes = request.ParseFromArray(data, static_cast<int>(size));
  fuzz::check_receive(service::OtlpEncoding::kProtobuf,
                      std::string_view(reinterpret_cast<const char*>(data), size), decodes ? &request : nullptr);
  return 0;
}
