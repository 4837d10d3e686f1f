// SPDX-License-Identifier: Apache-2.0
// Fuzz target: Jaeger query API parameters (a URL query string, decoded as the service's HTTP server does).
#include "fuzz_check.hpp"
#include "store_harness.hpp"

#include "frame_tracking/utf8.hpp"
#include "jaeger_json.hpp"
#include "jaeger_query.hpp"
#include "otlp_receiver.hpp"

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

namespace {

// 2026-11-30T12:00:00Z, inside the window of the stored spans below.
constexpr std::int64_t kNowNs = 1'796'040'000'000'000'000;

/// Two spans of one frame's trace, so searches have something to match and render.
constexpr std::string_view kStoredSpans = R"({"resourceSpans":[{"resource":{"attributes":[
 {"key":"service.name","value":{"stringValue":"capture"}}]},"scopeSpans":[{"scope":{"name":"frame_tracking"},"spans":[
 {"traceId":"01a22c535af07000812345678abcdef0","spanId":"00f067aa0ba902b7","name":"capture_frame","kind":1,
  "startTimeUnixNano":"1796039990000000000","endTimeUnixNano":"1796039990002000000",
  "attributes":[{"key":"frame.id","value":{"stringValue":"01a22c53-5af0-7000-8123-45678abcdef0"}},
                {"key":"camera.id","value":{"stringValue":"cam-1"}},{"key":"frame.size_bytes","value":{"intValue":"4096"}}]},
 {"traceId":"01a22c535af07000812345678abcdef0","spanId":"b7ad6b7169203331","parentSpanId":"00f067aa0ba902b7",
  "name":"send frames","kind":4,"startTimeUnixNano":"1796039990001000000","endTimeUnixNano":"1796039990001500000",
  "status":{"code":2,"message":"broker down"}}]}]}]})";

store::SpanStore& seeded_store() {
  static store::SpanStore& store = [] () -> store::SpanStore& {
    store::SpanStore& s = fuzz::StoreHarness::instance().store();
    service::ReceiveOutcome outcome;
    FT_FUZZ_CHECK(service::receive_traces(s, service::OtlpEncoding::kJson, kStoredSpans, outcome).status == 200);
    FT_FUZZ_CHECK(outcome.accepted_spans == 2);
    return s;
  }();
  return store;
}

void render(const store::StoredTrace& trace) { FT_FUZZ_CHECK(!service::jaeger_trace(trace).dump().empty()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  store::SpanStore& store = seeded_store();

  // The whole input as the path segment of /api/traces/{id} and as a duration value.
  if (auto id = service::parse_trace_id_param(text)) FT_FUZZ_CHECK(id->is_valid());
  if (auto duration = service::parse_go_duration(text); !duration)
    FT_FUZZ_CHECK(duration.error().message.rfind("time: ", 0) == 0);

  // The whole input as the query string of GET /api/traces.
  httplib::Params params;
  httplib::detail::parse_query_text(text, params);
  auto request = service::parse_search_params(params, kNowNs);
  if (!request) {
    // The message goes back in a JSON envelope, so it must be valid UTF-8 text.
    FT_FUZZ_CHECK(!request.error().message.empty());
    FT_FUZZ_CHECK(is_valid_utf8(request.error().message));
    return 0;
  }
  FT_FUZZ_CHECK(request->query.limit >= 1);
  if (!request->trace_ids.empty()) {
    for (const std::string& value : request->trace_ids) {
      auto id = service::parse_trace_id_param(value);
      if (!id) continue;
      auto found = store.find_trace(*id);
      FT_FUZZ_CHECK(found.has_value());
      if (found->has_value()) render(**found);
    }
    return 0;
  }
  auto traces = store.search(request->query);
  FT_FUZZ_CHECK(traces.has_value());
  FT_FUZZ_CHECK(traces->size() <= request->query.limit);
  for (const auto& trace : *traces) render(trace);
  return 0;
}
