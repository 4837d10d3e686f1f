// SPDX-License-Identifier: Apache-2.0
// Fuzz target: W3C traceparent values, parsed directly and through the W3C propagator.
#include "fuzz_check.hpp"

#include "frame_tracking/context.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traceparent.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_traceparent(input);
  if (parsed) {
    // Accepted input never yields an invalid or local context.
    FT_FUZZ_CHECK(parsed->is_valid());
    FT_FUZZ_CHECK(parsed->remote);
    FT_FUZZ_CHECK(parsed->trace_state.empty());
    // parse → format → parse keeps the ids and the known flag bits; formatting is a fixed point.
    const std::string formatted = format_traceparent(*parsed);
    FT_FUZZ_CHECK(formatted.size() == kTraceparentSize);
    auto again = parse_traceparent(formatted);
    FT_FUZZ_CHECK(again.has_value());
    FT_FUZZ_CHECK(again->trace_id == parsed->trace_id);
    FT_FUZZ_CHECK(again->span_id == parsed->span_id);
    FT_FUZZ_CHECK(again->trace_flags.value == (parsed->trace_flags.value & (TraceFlags::kSampled | TraceFlags::kRandom)));
    FT_FUZZ_CHECK(format_traceparent(*again) == formatted);
  } else {
    FT_FUZZ_CHECK(!parsed.error().message.empty());
  }

  // The propagator agrees with the parser and never half-uses a rejected value.
  const W3CTraceContextPropagator propagator;
  const HttpHeaders headers{{"traceparent", std::string(input)}, {"tracestate", "fz=1"}};
  const Context extracted = propagator.extract(HttpHeaderCarrier(headers), Context{});
  FT_FUZZ_CHECK(extracted.span_context.is_valid() == parsed.has_value());
  if (parsed) {
    FT_FUZZ_CHECK(extracted.span_context.trace_id == parsed->trace_id);
    FT_FUZZ_CHECK(extracted.span_context.trace_state.header() == "fz=1");
  } else {
    FT_FUZZ_CHECK(extracted.span_context.trace_state.empty());
  }
  return 0;
}
