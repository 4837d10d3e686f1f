// SPDX-License-Identifier: Apache-2.0
// W3C Trace Context identifiers: TraceId, SpanId, TraceFlags, TraceState and SpanContext.
// Spec: https://www.w3.org/TR/trace-context-2/#traceparent-header-field-values
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace frame_tracking {

/// 16-byte trace id (W3C trace-id). All-zero is invalid. Value type; thread-compatible.
class TraceId {
 public:
  static constexpr std::size_t kSize = 16;
  constexpr TraceId() noexcept = default;
  constexpr explicit TraceId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}

  /// Parses exactly 32 lowercase or uppercase hex characters (OTLP/JSON is case-insensitive; the
  /// traceparent parser applies the stricter W3C lowercase rule itself). Empty optional otherwise.
  static std::optional<TraceId> from_hex(std::string_view hex) noexcept;
  /// 32 lowercase hex characters.
  std::string to_hex() const;
  /// Writes 32 lowercase hex characters to `out` (no allocation).
  void write_hex(char* out) const noexcept;

  constexpr bool is_valid() const noexcept {
    if (std::is_constant_evaluated()) {
      for (auto b : bytes_) if (b != 0) return true;
      return false;
    }
    // Two word loads instead of a 16-step byte loop (on every span start).
    std::uint64_t w[2];
    std::memcpy(w, bytes_.data(), sizeof w);
    return (w[0] | w[1]) != 0;
  }
  constexpr const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  /// The rightmost 56 bits (bytes 9..15) as an integer: the W3C Level 2 random part read by samplers.
  constexpr std::uint64_t random_part() const noexcept {
    std::uint64_t r = 0;
    for (std::size_t i = 9; i < kSize; ++i) r = (r << 8) | bytes_[i];
    return r;
  }
  constexpr auto operator<=>(const TraceId&) const noexcept = default;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

/// 8-byte span id (W3C parent-id). All-zero is invalid. Value type; thread-compatible.
class SpanId {
 public:
  static constexpr std::size_t kSize = 8;
  constexpr SpanId() noexcept = default;
  constexpr explicit SpanId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}

  /// Parses exactly 16 hex characters, any case. Empty optional otherwise.
  static std::optional<SpanId> from_hex(std::string_view hex) noexcept;
  /// 16 lowercase hex characters.
  std::string to_hex() const;
  /// Writes 16 lowercase hex characters to `out` (no allocation).
  void write_hex(char* out) const noexcept;

  constexpr bool is_valid() const noexcept {
    if (std::is_constant_evaluated()) {
      for (auto b : bytes_) if (b != 0) return true;
      return false;
    }
    std::uint64_t w;
    std::memcpy(&w, bytes_.data(), sizeof w);
    return w != 0;
  }
  constexpr const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  constexpr auto operator<=>(const SpanId&) const noexcept = default;

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

/// W3C trace-flags (8 bits). Bit 0 `sampled`, bit 1 `random` (Trace Context Level 2).
struct TraceFlags {
  static constexpr std::uint8_t kSampled = 0x01;
  static constexpr std::uint8_t kRandom = 0x02;
  std::uint8_t value = 0;

  constexpr bool sampled() const noexcept { return (value & kSampled) != 0; }
  constexpr bool random() const noexcept { return (value & kRandom) != 0; }
  constexpr auto operator<=>(const TraceFlags&) const noexcept = default;
};

/// W3C tracestate: an ordered list of at most 32 `key=value` members, kept in its validated
/// header form. Immutable value type; thread-compatible. An invalid header yields an empty state
/// (the spec drops tracestate whole). Spec: https://www.w3.org/TR/trace-context-2/#tracestate-header
class TraceState {
 public:
  static constexpr std::size_t kMaxMembers = 32;
  TraceState() = default;

  /// Parses one or more combined tracestate header values (comma-joined, as HTTP combines repeated
  /// headers). Spaces/tabs around members and empty members are skipped. Level 2 grammar: key =
  /// (a-z / 0-9) then up to 255 of a-z 0-9 _ - * / @; value = 1..256 printable ASCII except ','
  /// and '=', not ending in a space. Returns an empty optional, with the broken rule in `error` if
  /// given ("tracestate: key 'FOO' must start with ..."), when any member violates the grammar, a
  /// key repeats, or there are more than 32 members.
  static std::optional<TraceState> parse(std::string_view header, std::string* error = nullptr);

  /// The header form: members joined by ',' with no optional whitespace. Empty when there are none.
  const std::string& header() const noexcept { return header_; }
  bool empty() const noexcept { return header_.empty(); }
  /// The value of `key`, if present.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  /// A copy with `key=value` moved to the front (W3C mutation rule); empty optional if key or value
  /// break the grammar. The oldest member is dropped when 32 would be exceeded.
  std::optional<TraceState> with(std::string_view key, std::string_view value) const;
  bool operator==(const TraceState&) const = default;

 private:
  explicit TraceState(std::string header) : header_(std::move(header)) {}
  std::string header_;
};

/// The identity of a span as it propagates: trace id, span id, flags, tracestate and whether it came
/// from another process. Value type; thread-compatible.
/// Spec: https://opentelemetry.io/docs/specs/otel/trace/api/#spancontext
struct SpanContext {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags trace_flags;
  TraceState trace_state;
  bool remote = false;

  /// True when both ids are valid (non-zero).
  bool is_valid() const noexcept { return trace_id.is_valid() && span_id.is_valid(); }
  bool is_remote() const noexcept { return remote; }
  bool is_sampled() const noexcept { return trace_flags.sampled(); }
  bool operator==(const SpanContext&) const = default;
};

}  // namespace frame_tracking
