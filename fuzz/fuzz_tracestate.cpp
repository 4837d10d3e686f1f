// SPDX-License-Identifier: Apache-2.0
// Fuzz target: W3C tracestate header values, parsed directly, mutated, and through the W3C propagator.
#include "fuzz_check.hpp"

#include "frame_tracking/context.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/trace_context.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto state = TraceState::parse(input, &error);
  if (state) {
    // The normalized header form is itself valid, parses to the same state, and has ≤ 32 members.
    const std::string& header = state->header();
    auto again = TraceState::parse(header);
    FT_FUZZ_CHECK(again.has_value());
    FT_FUZZ_CHECK(*again == *state);
    const auto members = header.empty() ? 0 : std::count(header.begin(), header.end(), ',') + 1;
    FT_FUZZ_CHECK(members <= static_cast<std::ptrdiff_t>(TraceState::kMaxMembers));
    // The W3C mutation rule: a valid key/value moves to the front and is readable.
    auto updated = state->with("fz", "v");
    FT_FUZZ_CHECK(updated.has_value());
    FT_FUZZ_CHECK(updated->get("fz") == std::string_view("v"));
    FT_FUZZ_CHECK(updated->header().rfind("fz=v", 0) == 0);
  } else {
    FT_FUZZ_CHECK(error.rfind("tracestate: ", 0) == 0);
  }

  // Through the propagator: a valid traceparent is kept whatever the tracestate is.
  const W3CTraceContextPropagator propagator;
  const HttpHeaders headers{{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
                            {"tracestate", std::string(input)}};
  const Context extracted = propagator.extract(HttpHeaderCarrier(headers), Context{});
  FT_FUZZ_CHECK(extracted.span_context.is_valid());
  FT_FUZZ_CHECK(extracted.span_context.trace_state == (state ? *state : TraceState{}));
  return 0;
}
