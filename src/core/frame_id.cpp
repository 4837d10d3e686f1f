// SPDX-License-Identifier: Apache-2.0
// FrameId text form, hashing and the lock-free monotonic UUIDv7 generator.
#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/id_generator.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include <time.h>

#include <bit>
#include <cstring>
#include <utility>

namespace frame_tracking {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::size_t kCounterBits = 12;
constexpr std::uint64_t kCounterMask = (std::uint64_t{1} << kCounterBits) - 1;
constexpr std::uint64_t kMsMask = (std::uint64_t{1} << 48) - 1;
// Offsets of the dashes in the canonical form 8-4-4-4-12.
constexpr std::size_t kDashOffsets[] = {8, 13, 18, 23};

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return std::string("'") + c + "'";
  const char hex[] = {'\\', 'x', kHexDigits[u >> 4], kHexDigits[u & 0xF], '\0'};
  return std::string("'") + hex + "'";
}

Error invalid(std::string message) { return Error{ErrorCode::kInvalidInput, "frame id: " + std::move(message)}; }

// Reading the kernel-tick clock costs a few ns, CLOCK_REALTIME ~25 ns on a VM (kvm-clock), which
// alone would exceed the generate() budget. RFC 9562 §6.1 allows a reduced timestamp precision;
// the coarse clock is used only when its tick is at most 4 ms.
const bool g_use_coarse_clock = [] {
  timespec resolution{};
  return clock_getres(CLOCK_REALTIME_COARSE, &resolution) == 0 && resolution.tv_sec == 0 &&
         resolution.tv_nsec <= 4'000'000;
}();

std::uint64_t system_unix_ms() noexcept {
  timespec now{};
  clock_gettime(g_use_coarse_clock ? CLOCK_REALTIME_COARSE : CLOCK_REALTIME, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1000 + static_cast<std::uint64_t>(now.tv_nsec) / 1'000'000;
}

/// Stores `v` at `out` most significant byte first (one byte swap and one store on little-endian targets).
void store_big_endian(std::uint64_t v, std::uint8_t* out) noexcept {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  std::memcpy(out, &v, sizeof v);
}

std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "FrameIdGenerator needs a lock-free 64-bit atomic");

FrameId FrameId::generate() noexcept { return FrameIdGenerator::process_default().generate(); }

Result<FrameId> FrameId::parse(std::string_view text) {
  const bool canonical = text.size() == kStringSize;
  if (!canonical && text.size() != 2 * kSize) {
    return invalid("expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got " +
                   std::to_string(text.size()) + " characters");
  }
  std::array<std::uint8_t, kSize> bytes{};
  std::size_t nibble = 0;
  std::size_t next_dash = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (canonical && next_dash < std::size(kDashOffsets) && i == kDashOffsets[next_dash]) {
      if (text[i] != '-') {
        return invalid("expected '-' at offset " + std::to_string(i) + ", got " + describe_char(text[i]) +
                       " (canonical form is 8-4-4-4-12)");
      }
      ++next_dash;
      continue;
    }
    const int v = hex_digit(text[i]);
    if (v < 0) {
      return invalid("character " + describe_char(text[i]) + " at offset " + std::to_string(i) +
                     " is not a hex digit");
    }
    bytes[nibble / 2] = static_cast<std::uint8_t>(bytes[nibble / 2] | (nibble % 2 == 0 ? v << 4 : v));
    ++nibble;
  }
  FrameId id(bytes);
  if (id.version() != 7) {
    return invalid("version is " + std::to_string(id.version()) + ", expected 7 (UUIDv7, RFC 9562 §5.7)");
  }
  if ((bytes[8] & 0xC0) != 0x80) {
    return invalid(std::string("variant bits are ") + ((bytes[8] & 0x80) ? "1" : "0") + ((bytes[8] & 0x40) ? "1" : "0") +
                   ", expected 10 (RFC 9562 §4.1)");
  }
  return id;
}

void FrameId::write_string(char* out) const noexcept {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < kSize; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
    out[pos++] = kHexDigits[bytes_[i] >> 4];
    out[pos++] = kHexDigits[bytes_[i] & 0xF];
  }
}

std::string FrameId::to_string() const {
  std::string s(kStringSize, '0');
  write_string(s.data());
  return s;
}

std::optional<FrameId> FrameId::from_trace_id(const TraceId& trace_id) noexcept {
  const FrameId id(trace_id.bytes());
  if (!id.is_valid()) return std::nullopt;
  return id;
}

FrameIdGenerator::FrameIdGenerator() noexcept = default;

FrameIdGenerator::FrameIdGenerator(Clock clock_unix_ms) : clock_(std::move(clock_unix_ms)) {}

FrameIdGenerator& FrameIdGenerator::process_default() noexcept {
  static FrameIdGenerator generator;
  return generator;
}

FrameId FrameIdGenerator::generate() noexcept {
  const std::uint64_t now = (clock_ ? clock_() : system_unix_ms()) & kMsMask;
  std::uint64_t old = state_.load(std::memory_order_relaxed);
  std::uint64_t next = 0;
  do {
    // A later millisecond restarts the counter; the same or an earlier one (the clock stepped
    // back) increments it, and a full counter carries into the millisecond (borrowing the next).
    next = now > (old >> kCounterBits) ? now << kCounterBits : old + 1;
  } while (!state_.compare_exchange_weak(old, next, std::memory_order_relaxed, std::memory_order_relaxed));

  // Bytes 0..7: 48-bit ms, version 7, 12-bit counter; bytes 8..15: variant 0b10 and 62 random bits.
  const std::uint64_t ms = (next >> kCounterBits) & kMsMask;
  const std::uint64_t counter = next & kCounterMask;
  const std::uint64_t high = (ms << 16) | (std::uint64_t{0x7} << 12) | counter;
  const std::uint64_t low = (std::uint64_t{1} << 63) | (fast_random_u64() >> 2);
  std::array<std::uint8_t, FrameId::kSize> b;
  store_big_endian(high, b.data());
  store_big_endian(low, b.data() + 8);
  return FrameId(b);
}

}  // namespace frame_tracking

std::size_t std::hash<frame_tracking::FrameId>::operator()(const frame_tracking::FrameId& id) const noexcept {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  std::memcpy(&hi, id.bytes().data(), 8);
  std::memcpy(&lo, id.bytes().data() + 8, 8);
  return static_cast<std::size_t>(frame_tracking::mix64(hi ^ frame_tracking::mix64(lo)));
}
