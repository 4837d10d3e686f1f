// SPDX-License-Identifier: Apache-2.0
// Hex encoding and decoding of TraceId and SpanId.
#include "frame_tracking/trace_context.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "frame_tracking/span_data.hpp"

namespace frame_tracking {
namespace {
constexpr char kHexDigits[] = "0123456789abcdef";

template <std::size_t N>
bool decode_hex(std::string_view hex, std::array<std::uint8_t, N>& out) noexcept {
  if (hex.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    int hi = hex_digit(hex[2 * i]);
    int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

template <std::size_t N>
void encode_hex(const std::array<std::uint8_t, N>& bytes, char* out) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0xF];
  }
}
}  // namespace

std::optional<TraceId> TraceId::from_hex(std::string_view hex) noexcept {
  std::array<std::uint8_t, kSize> bytes{};
  if (!decode_hex(hex, bytes)) return std::nullopt;
  return TraceId(bytes);
}

void TraceId::write_hex(char* out) const noexcept { encode_hex(bytes_, out); }

std::string TraceId::to_hex() const {
  std::string s(2 * kSize, '0');
  write_hex(s.data());
  return s;
}

std::optional<SpanId> SpanId::from_hex(std::string_view hex) noexcept {
  std::array<std::uint8_t, kSize> bytes{};
  if (!decode_hex(hex, bytes)) return std::nullopt;
  return SpanId(bytes);
}

void SpanId::write_hex(char* out) const noexcept { encode_hex(bytes_, out); }

std::string SpanId::to_hex() const {
  std::string s(2 * kSize, '0');
  write_hex(s.data());
  return s;
}

SpanContext LinkView::context() const {
  SpanContext c;
  c.trace_id = trace_id;
  c.span_id = span_id;
  c.trace_flags = trace_flags;
  c.remote = remote;
  if (!trace_state.empty()) {
    if (auto state = TraceState::parse(trace_state)) c.trace_state = std::move(*state);
  }
  return c;
}

}  // namespace frame_tracking
