// SPDX-License-Identifier: Apache-2.0
// check_receive: one OTLP/HTTP body through the service's receiver, store and Jaeger rendering, with invariants.
#pragma once

#include "fuzz_check.hpp"
#include "store_harness.hpp"

#include "jaeger_json.hpp"
#include "otlp_receiver.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace frame_tracking::fuzz {

/// Sends `body` (already decoded as `request` when it decodes, else nullptr) through
/// service::receive_traces as the OTLP endpoint does, then reads back up to four of its traces
/// and renders them as the Jaeger API does. Invariants: the reply is 200 or 400; a 400 stores
/// nothing; a 200 accounts for every span (accepted + rejected + duplicate == spans in the request); the
/// stored traces render to JSON text without throwing.
inline void check_receive(service::OtlpEncoding encoding, std::string_view body,
                          const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest* request) {
  store::SpanStore& store = StoreHarness::instance().store();
  service::ReceiveOutcome outcome;
  const service::HttpReply reply = service::receive_traces(store, encoding, body, outcome);
  FT_FUZZ_CHECK(reply.status == 200 || reply.status == 400);
  FT_FUZZ_CHECK((reply.status == 200) == (request != nullptr));
  if (request == nullptr) {
    FT_FUZZ_CHECK(outcome.accepted_spans == 0 && outcome.rejected_spans == 0 && outcome.failed_spans == 0);
    FT_FUZZ_CHECK(!reply.body.empty());
    return;
  }
  std::uint64_t spans = 0;
  std::set<std::string> trace_ids;
  for (const auto& rs : request->resource_spans())
    for (const auto& ss : rs.scope_spans())
      for (const auto& span : ss.spans()) {
        ++spans;
        if (span.trace_id().size() == TraceId::kSize && trace_ids.size() < 4) trace_ids.insert(span.trace_id());
      }
  FT_FUZZ_CHECK(outcome.accepted_spans + outcome.rejected_spans + outcome.duplicate_spans == spans);
  FT_FUZZ_CHECK(outcome.failed_spans == 0);
  for (const std::string& bytes : trace_ids) {
    std::array<std::uint8_t, TraceId::kSize> raw{};
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(bytes[i]);
    auto found = store.find_trace(TraceId(raw));
    FT_FUZZ_CHECK(found.has_value());
    if (!found->has_value()) continue;
    FT_FUZZ_CHECK((*found)->span_count > 0);
    const std::string json = service::jaeger_trace(**found).dump();
    FT_FUZZ_CHECK(!json.empty());
  }
}

}  // namespace frame_tracking::fuzz
