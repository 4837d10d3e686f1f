// SPDX-License-Identifier: Apache-2.0
// Fuzz target: FrameId text (canonical UUIDv7 form or 32 hex digits).
#include "fuzz_check.hpp"

#include "frame_tracking/frame_id.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto id = FrameId::parse(input);
  if (!id) {
    FT_FUZZ_CHECK(!id.error().message.empty());
    return 0;
  }
  // Accepted text is a valid UUIDv7 whose canonical form is the lowercase input (with dashes).
  FT_FUZZ_CHECK(id->is_valid());
  const std::string text = id->to_string();
  FT_FUZZ_CHECK(text.size() == FrameId::kStringSize);
  std::string normalized;
  for (char c : input)
    if (c != '-') normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string text_digits;
  for (char c : text)
    if (c != '-') text_digits += c;
  FT_FUZZ_CHECK(normalized == text_digits);
  auto again = FrameId::parse(text);
  FT_FUZZ_CHECK(again.has_value() && *again == *id);
  // The trace id form keeps the bytes and maps back.
  auto back = FrameId::from_trace_id(id->to_trace_id());
  FT_FUZZ_CHECK(back.has_value() && *back == *id);
  return 0;
}
