// SPDX-License-Identifier: Apache-2.0
// FrameId: a unique, time-sortable 128-bit frame identifier in the UUIDv7 layout, and its generator.
// Spec: RFC 9562 §5.7 (UUIDv7 layout), §6.2 method 1 (fixed-length dedicated counter).
#pragma once

#include "frame_tracking/result.hpp"
#include "frame_tracking/trace_context.hpp"

#include <array>
#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace frame_tracking {

/// A frame's identity: 128 bits in the UUIDv7 layout (RFC 9562 §5.7), big-endian:
///   bits 0..47   Unix time in milliseconds
///   bits 48..51  version 0b0111
///   bits 52..63  12-bit monotonic counter (rand_a, RFC 9562 §6.2 method 1)
///   bits 64..65  variant 0b10
///   bits 66..127 62 random bits (the rightmost 7 bytes are all random, as W3C Trace Context
///                Level 2 asks of a trace id with the `random` flag)
/// Ids from one process are strictly increasing in generation order, so byte order, numeric
/// order and text order are all time order. When a frame starts its own trace its trace id IS its
/// FrameId (DESIGN.md decision 1): to_trace_id() keeps the bytes identical.
/// Value type, 16 bytes, trivially copyable; thread-compatible. The default value is the nil id
/// (all zero), which is_valid() rejects.
class FrameId {
 public:
  static constexpr std::size_t kSize = 16;
  /// Length of the canonical text form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
  static constexpr std::size_t kStringSize = 36;
  /// Largest counter value (12 bits); the next id in the same millisecond borrows the next one.
  static constexpr std::uint16_t kMaxCounter = 0xFFF;

  constexpr FrameId() noexcept = default;
  constexpr explicit FrameId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}

  /// A new id from the process-wide default generator (system clock). Thread-safe and lock-free;
  /// strictly greater than every id generated before it in this process (see FrameIdGenerator).
  static FrameId generate() noexcept;

  /// Parses the canonical form (8-4-4-4-12 hex digits with dashes) or 32 hex digits without
  /// dashes, in any letter case. The id must have version 7 and variant 0b10.
  /// Errors: kInvalidInput with a message naming the rule (length, dash position, non-hex
  /// character at an index, version, variant). Never throws on bad input.
  static Result<FrameId> parse(std::string_view text);

  /// The lowercase canonical text form (36 characters); sorts like the time.
  std::string to_string() const;
  /// Writes the 36-character canonical form to `out` (no allocation, no terminator).
  void write_string(char* out) const noexcept;

  /// Unix time in milliseconds (bits 0..47).
  constexpr std::uint64_t unix_ms() const noexcept {
    std::uint64_t ms = 0;
    for (std::size_t i = 0; i < 6; ++i) ms = (ms << 8) | bytes_[i];
    return ms;
  }
  /// The 4-bit version field (7 for ids made here).
  constexpr std::uint8_t version() const noexcept { return static_cast<std::uint8_t>(bytes_[6] >> 4); }
  /// The 12-bit monotonic counter within unix_ms() (0 for the first id of a millisecond).
  constexpr std::uint16_t counter() const noexcept {
    return static_cast<std::uint16_t>(((bytes_[6] & 0x0F) << 8) | bytes_[7]);
  }
  /// The 62 random bits (bits 66..127) as an integer.
  constexpr std::uint64_t random_bits() const noexcept {
    std::uint64_t r = bytes_[8] & 0x3F;
    for (std::size_t i = 9; i < kSize; ++i) r = (r << 8) | bytes_[i];
    return r;
  }
  /// True for a UUIDv7 with the RFC 9562 variant (never for the nil id).
  constexpr bool is_valid() const noexcept { return version() == 7 && (bytes_[8] & 0xC0) == 0x80; }

  constexpr const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }

  /// The frame's trace id: the same 16 bytes.
  TraceId to_trace_id() const noexcept { return TraceId(bytes_); }
  /// The FrameId whose trace id this is; empty when the trace id is not a UUIDv7 (a trace not
  /// started by a frame).
  static std::optional<FrameId> from_trace_id(const TraceId& trace_id) noexcept;

  constexpr auto operator<=>(const FrameId&) const noexcept = default;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

/// Makes FrameIds (RFC 9562 §6.2 method 1). The state is one atomic 64-bit word
/// `unix_ms << 12 | counter`, advanced by compare-and-swap, so generate() is lock-free and the
/// ids it returns are strictly increasing in the order the CAS succeeds, across threads:
///  - a clock reading later than the state's millisecond starts that millisecond at counter 0;
///  - otherwise (same millisecond, or the wall clock stepped back) the counter is incremented,
///    and after 4095 it carries into the millisecond field (the next millisecond is borrowed
///    until the clock catches up).
/// Random bits come from a per-thread xoshiro256** generator seeded from the OS CSPRNG
/// (getrandom); after fork() the child reseeds before its next id, so it never repeats the
/// parent's ids. Thread-safe; not copyable or movable.
class FrameIdGenerator {
 public:
  /// Returns the current Unix time in milliseconds.
  using Clock = std::function<std::uint64_t()>;

  /// A generator reading the wall clock: CLOCK_REALTIME_COARSE when its tick is at most 4 ms
  /// (a few ns to read; the id's time is then exact to one kernel tick, which RFC 9562 §6.1
  /// allows), CLOCK_REALTIME otherwise.
  FrameIdGenerator() noexcept;
  /// A generator reading `clock_unix_ms` (for tests: step it back, freeze it). The clock must be
  /// thread-safe if generate() is called from several threads.
  explicit FrameIdGenerator(Clock clock_unix_ms);
  FrameIdGenerator(const FrameIdGenerator&) = delete;
  FrameIdGenerator& operator=(const FrameIdGenerator&) = delete;

  /// A new id, strictly greater than every id this generator returned before. Thread-safe,
  /// lock-free, no heap allocation (the injected clock aside).
  FrameId generate() noexcept;

  /// The generator behind FrameId::generate(): system clock, one per process.
  static FrameIdGenerator& process_default() noexcept;

 private:
  Clock clock_;  // empty: system clock, read directly
  std::atomic<std::uint64_t> state_{0};
};

}  // namespace frame_tracking

/// Hash of a FrameId (mixes its 16 bytes); for unordered containers.
template <>
struct std::hash<frame_tracking::FrameId> {
  std::size_t operator()(const frame_tracking::FrameId& id) const noexcept;
};
