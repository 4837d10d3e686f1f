// SPDX-License-Identifier: Apache-2.0
// Fuzz target: W3C baggage header values, parsed directly and through the baggage propagator.
#include "fuzz_check.hpp"

#include "frame_tracking/baggage.hpp"
#include "frame_tracking/context.hpp"
#include "frame_tracking/propagation.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t dropped = 0;
  auto baggage = Baggage::parse(input, &dropped);
  if (baggage) {
    // Within the W3C limits, and the header form parses back to the same entries.
    FT_FUZZ_CHECK(baggage->size() <= Baggage::kMaxMembers);
    const std::string header = baggage->to_header();
    FT_FUZZ_CHECK(header.size() <= Baggage::kMaxHeaderBytes);
    std::size_t dropped_again = 0;
    auto again = Baggage::parse(header, &dropped_again);
    FT_FUZZ_CHECK(again.has_value());
    FT_FUZZ_CHECK(dropped_again == 0);
    FT_FUZZ_CHECK(*again == *baggage);
    FT_FUZZ_CHECK(again->to_header() == header);
    for (const auto& entry : baggage->entries()) FT_FUZZ_CHECK(baggage->get(entry.key) == std::string_view(entry.value));
  } else {
    FT_FUZZ_CHECK(baggage.error().message.rfind("baggage: ", 0) == 0);
  }

  // The propagator replaces the context's baggage only with a valid header.
  const W3CBaggagePropagator propagator;
  Context before;
  before.baggage.set("kept", "1");
  const HttpHeaders headers{{"baggage", std::string(input)}};
  const Context extracted = propagator.extract(HttpHeaderCarrier(headers), before);
  FT_FUZZ_CHECK(extracted.baggage == (baggage ? *baggage : before.baggage));
  return 0;
}
