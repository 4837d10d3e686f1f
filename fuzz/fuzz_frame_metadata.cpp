// SPDX-License-Identifier: Apache-2.0
// Fuzz target: FrameMetadata JSON records (the kFrameMetadataHeader of every message).
#include "fuzz_check.hpp"

#include "frame_tracking/frame_metadata.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto metadata = FrameMetadata::from_json(input);
  if (!metadata) {
    FT_FUZZ_CHECK(!metadata.error().message.empty());
    return 0;
  }
  // An accepted record has a valid id and round-trips through its JSON form, deterministically.
  FT_FUZZ_CHECK(metadata->frame_id.is_valid());
  FT_FUZZ_CHECK(metadata->schema_version <= FrameMetadata::kSchemaVersion);
  const std::string json = metadata->to_json();
  auto again = FrameMetadata::from_json(json);
  FT_FUZZ_CHECK(again.has_value());
  FT_FUZZ_CHECK(*again == *metadata);
  FT_FUZZ_CHECK(again->to_json() == json);
  return 0;
}
