// SPDX-License-Identifier: Apache-2.0
// TraceState: validation, lookup and mutation of the W3C tracestate list (Trace Context Level 2 §3.3).
#include "frame_tracking/trace_context.hpp"

#include <array>
#include <utility>

namespace frame_tracking {
namespace {

constexpr std::size_t kMaxKeySize = 256;
constexpr std::size_t kMaxValueSize = 256;

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool is_lcalpha_or_digit(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Level 2 key: (lcalpha / DIGIT) 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@").
const char* key_error(std::string_view key) noexcept {
  if (key.empty()) return "is empty";
  if (key.size() > kMaxKeySize) return "is longer than 256 characters";
  if (!is_lcalpha_or_digit(key.front())) return "must start with a lowercase letter or a digit";
  for (char c : key.substr(1)) {
    if (!is_lcalpha_or_digit(c) && c != '_' && c != '-' && c != '*' && c != '/' && c != '@') {
      return "may contain only a-z 0-9 _ - * / @";
    }
  }
  return nullptr;
}

// value: 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
const char* value_error(std::string_view value) noexcept {
  if (value.empty()) return "is empty";
  if (value.size() > kMaxValueSize) return "is longer than 256 characters";
  for (char c : value) {
    if (c < 0x20 || c > 0x7E || c == ',' || c == '=') return "may contain only printable ASCII except ',' and '='";
  }
  if (value.back() == ' ') return "must not end with a space";
  return nullptr;
}

struct Member {
  std::string_view key;
  std::string_view value;
};

// Splits a validated header (members joined by ',' without OWS) into its members.
template <typename Fn>
void for_each_member(std::string_view header, Fn&& fn) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view member = header.substr(0, comma);
    const std::size_t eq = member.find('=');
    if (!fn(Member{member.substr(0, eq), member.substr(eq + 1)})) return;
    if (comma == std::string_view::npos) return;
    header.remove_prefix(comma + 1);
  }
}

}  // namespace

std::optional<TraceState> TraceState::parse(std::string_view header, std::string* error) {
  auto fail = [error](std::string message) -> std::optional<TraceState> {
    if (error != nullptr) *error = "tracestate: " + std::move(message);
    return std::nullopt;
  };
  std::array<Member, kMaxMembers> members{};
  std::size_t count = 0;
  std::size_t total = 0;
  std::string_view rest = header;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view member = trim_ows(rest.substr(0, comma));
    if (!member.empty()) {
      const std::size_t eq = member.find('=');
      if (eq == std::string_view::npos) return fail("list-member '" + std::string(member) + "' has no '='");
      const Member m{member.substr(0, eq), member.substr(eq + 1)};
      if (const char* why = key_error(m.key)) return fail("key '" + std::string(m.key) + "' " + why);
      if (const char* why = value_error(m.value)) return fail("value of key '" + std::string(m.key) + "' " + why);
      for (std::size_t i = 0; i < count; ++i) {
        if (members[i].key == m.key) return fail("key '" + std::string(m.key) + "' appears more than once");
      }
      if (count == kMaxMembers) return fail("more than 32 list-members");
      members[count++] = m;
      total += member.size() + 1;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::string normalized;
  normalized.reserve(total);
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) normalized += ',';
    normalized.append(members[i].key).append("=").append(members[i].value);
  }
  return TraceState(std::move(normalized));
}

std::optional<std::string_view> TraceState::get(std::string_view key) const noexcept {
  std::optional<std::string_view> found;
  for_each_member(header_, [&](const Member& m) {
    if (m.key != key) return true;
    found = m.value;
    return false;
  });
  return found;
}

std::optional<TraceState> TraceState::with(std::string_view key, std::string_view value) const {
  if (key_error(key) != nullptr || value_error(value) != nullptr) return std::nullopt;
  std::string out;
  out.reserve(header_.size() + key.size() + value.size() + 2);
  out.append(key).append("=").append(value);
  std::size_t count = 1;
  for_each_member(header_, [&](const Member& m) {
    if (m.key == key) return true;
    if (count == kMaxMembers) return false;  // the rightmost members give way to the new one
    out.append(",").append(m.key).append("=").append(m.value);
    ++count;
    return true;
  });
  return TraceState(std::move(out));
}

}  // namespace frame_tracking
