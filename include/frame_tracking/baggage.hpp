// SPDX-License-Identifier: Apache-2.0
// W3C Baggage: application key/value pairs that travel with a trace, and the `baggage` header.
// Spec: https://www.w3.org/TR/baggage/#header-content
#pragma once

#include "frame_tracking/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// One baggage entry: a key (an RFC 7230 token), a decoded UTF-8 value and its properties
/// (the opaque OTel "metadata": the `;`-separated properties as received, OWS removed,
/// e.g. "p1;p2=v2"; empty when none).
struct BaggageEntry {
  std::string key;
  std::string value;
  std::string properties;
  bool operator==(const BaggageEntry&) const = default;
};

/// An ordered set of baggage entries with unique keys. Value type; thread-compatible.
class Baggage {
 public:
  /// The W3C limits a propagator must honour: whatever fits is always propagated.
  static constexpr std::size_t kMaxMembers = 64;
  static constexpr std::size_t kMaxHeaderBytes = 8192;

  Baggage() = default;

  /// Parses one or more combined `baggage` header values (comma-joined, as HTTP combines repeated
  /// headers). Grammar: list-member = key OWS "=" OWS value *(OWS ";" OWS property); empty
  /// list-members are skipped; values are percent-decoded (invalid UTF-8 becomes U+FFFD).
  /// A repeated key keeps the position of its first occurrence and the value of its last.
  /// Members past the limits (64 members, 8192 bytes of re-encoded header) are dropped whole and
  /// counted in `*dropped_members` if given. Errors: kInvalidInput, message "baggage: <rule>" for a
  /// member that breaks the grammar (the whole header is then rejected). Never throws on bad input.
  static Result<Baggage> parse(std::string_view header, std::size_t* dropped_members = nullptr);

  /// The header form: members joined by ',' without OWS, values percent-encoded where the
  /// baggage-octet set requires (and '%' always). Empty when there are no entries.
  std::string to_header() const;

  /// The value of `key`, if present.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  /// The entry of `key`, if present.
  const BaggageEntry* find(std::string_view key) const noexcept;
  /// Sets `key` (replacing its value and properties in place, or appending). Returns false, and
  /// changes nothing, when `key` is not a token or `properties` do not parse.
  bool set(std::string_view key, std::string_view value, std::string_view properties = {});
  /// Removes `key`; returns whether it was present.
  bool remove(std::string_view key);

  const std::vector<BaggageEntry>& entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  bool operator==(const Baggage&) const = default;

 private:
  std::vector<BaggageEntry> entries_;
};

}  // namespace frame_tracking
