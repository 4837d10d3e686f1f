// SPDX-License-Identifier: Apache-2.0
// traceparent parsing (fixed widths, lowercase hex, version rules) and allocation-free formatting.
#include "frame_tracking/traceparent.hpp"

#include <array>

namespace frame_tracking {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kTraceIdOffset = 3;
constexpr std::size_t kParentIdOffset = 36;
constexpr std::size_t kFlagsOffset = 53;

// Lowercase hex digit values; -1 for every other byte (uppercase included, as W3C's HEXDIGLC).
constexpr std::array<std::int8_t, 256> make_hex_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return t;
}
constexpr std::array<std::int8_t, 256> kHexLower = make_hex_table();

int hex_lower(char c) noexcept { return kHexLower[static_cast<unsigned char>(c)]; }

bool has_uppercase_hex(std::string_view s) noexcept {
  for (char c : s) {
    if (c >= 'A' && c <= 'F') return true;
  }
  return false;
}

// Decodes 2*N lowercase hex digits; false on any other character.
template <std::size_t N>
bool decode(const char* in, std::array<std::uint8_t, N>& out) noexcept {
  int bad = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = hex_lower(in[2 * i]);
    const int lo = hex_lower(in[2 * i + 1]);
    bad |= hi | lo;  // any -1 sets the sign bit
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return bad >= 0;
}

Error invalid(std::string message) { return Error{ErrorCode::kInvalidInput, "traceparent: " + std::move(message)}; }

Error bad_hex(std::string_view field, std::string_view text, std::size_t digits) {
  if (has_uppercase_hex(text)) {
    return invalid(std::string(field) + " contains uppercase hex digits (W3C requires lowercase)");
  }
  return invalid(std::string(field) + " must be " + std::to_string(digits) + " lowercase hex digits");
}

}  // namespace

Result<SpanContext> parse_traceparent(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);

  if (value.size() < 3 || hex_lower(value[0]) < 0 || hex_lower(value[1]) < 0 || value[2] != '-') {
    return invalid("version must be 2 lowercase hex digits followed by '-'");
  }
  const int version = hex_lower(value[0]) << 4 | hex_lower(value[1]);
  if (version == 0xFF) return invalid("version ff is invalid");
  if (version == 0 && value.size() != kTraceparentSize) {
    return invalid("version 00 must be exactly 55 characters, got " + std::to_string(value.size()));
  }
  if (value.size() < kTraceparentSize) {
    return invalid("must be at least 55 characters, got " + std::to_string(value.size()));
  }
  if (value.size() > kTraceparentSize && value[kTraceparentSize] != '-') {
    return invalid("trace-flags of a future version must be followed by '-' or the end");
  }
  if (value[kParentIdOffset - 1] != '-') return invalid("trace-id must be 32 hex digits followed by '-'");
  if (value[kFlagsOffset - 1] != '-') return invalid("parent-id must be 16 hex digits followed by '-'");

  std::array<std::uint8_t, TraceId::kSize> trace_id{};
  if (!decode(value.data() + kTraceIdOffset, trace_id)) {
    return bad_hex("trace-id", value.substr(kTraceIdOffset, 32), 32);
  }
  std::array<std::uint8_t, SpanId::kSize> parent_id{};
  if (!decode(value.data() + kParentIdOffset, parent_id)) {
    return bad_hex("parent-id", value.substr(kParentIdOffset, 16), 16);
  }
  std::array<std::uint8_t, 1> flags{};
  if (!decode(value.data() + kFlagsOffset, flags)) return bad_hex("trace-flags", value.substr(kFlagsOffset, 2), 2);

  SpanContext context;
  context.trace_id = TraceId(trace_id);
  context.span_id = SpanId(parent_id);
  context.trace_flags = TraceFlags{flags[0]};
  context.remote = true;
  if (!context.trace_id.is_valid()) return invalid("trace-id is all zeros");
  if (!context.span_id.is_valid()) return invalid("parent-id is all zeros");
  return context;
}

void format_traceparent(const SpanContext& context, char* out) noexcept {
  out[0] = '0';
  out[1] = '0';
  out[2] = '-';
  context.trace_id.write_hex(out + kTraceIdOffset);
  out[kParentIdOffset - 1] = '-';
  context.span_id.write_hex(out + kParentIdOffset);
  out[kFlagsOffset - 1] = '-';
  // Only the flags this version defines are sent; W3C: other bits MUST be zero when sending.
  const auto flags = static_cast<std::uint8_t>(context.trace_flags.value & (TraceFlags::kSampled | TraceFlags::kRandom));
  out[kFlagsOffset] = kHexDigits[flags >> 4];
  out[kFlagsOffset + 1] = kHexDigits[flags & 0xF];
}

std::string format_traceparent(const SpanContext& context) {
  std::string s(kTraceparentSize, '0');
  format_traceparent(context, s.data());
  return s;
}

}  // namespace frame_tracking
