// SPDX-License-Identifier: Apache-2.0
// W3C Baggage header parsing (grammar, percent-decoding, limits) and formatting.
#include "frame_tracking/baggage.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "frame_tracking/utf8.hpp"

#include <algorithm>
#include <utility>

namespace frame_tracking {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 7230 tchar.
bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) noexcept { return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar); }

// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool is_baggage_octet(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) || (u >= 0x3C && u <= 0x5B) ||
         (u >= 0x5D && u <= 0x7E);
}

// Checks that `raw` is *baggage-octet with every '%' starting a %XX escape; on failure returns
// the reason.
std::optional<std::string> encoded_value_error(std::string_view raw) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!is_baggage_octet(raw[i])) {
      return "contains a character that must be percent-encoded at offset " + std::to_string(i);
    }
    if (raw[i] == '%' && (i + 2 >= raw.size() || hex_digit(raw[i + 1]) < 0 || hex_digit(raw[i + 2]) < 0)) {
      return "has an invalid percent-encoding at offset " + std::to_string(i);
    }
  }
  return std::nullopt;
}

void append_encoded(std::string& out, std::string_view value) {
  for (char c : value) {
    if (is_baggage_octet(c) && c != '%') {
      out.push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHexUpper[u >> 4]);
      out.push_back(kHexUpper[u & 0xF]);
    }
  }
}

std::size_t encoded_size(const BaggageEntry& e) {
  std::size_t n = e.key.size() + 1 + (e.properties.empty() ? 0 : 1 + e.properties.size());
  for (char c : e.value) n += (is_baggage_octet(c) && c != '%') ? 1 : 3;
  return n;
}

// Validates and normalises the properties part (after the first ';'): "p1;p2=v2", OWS removed.
std::optional<std::string> normalize_properties(std::string_view raw, std::string& out) {
  out.clear();
  while (true) {
    const std::size_t semi = raw.find(';');
    const std::string_view property = trim_ows(raw.substr(0, semi));
    const std::size_t eq = property.find('=');
    const std::string_view key = trim_ows(property.substr(0, eq));
    if (!is_token(key)) return "property '" + std::string(property) + "' has a key that is not a token";
    if (!out.empty()) out.push_back(';');
    out.append(key);
    if (eq != std::string_view::npos) {
      const std::string_view value = trim_ows(property.substr(eq + 1));
      if (auto why = encoded_value_error(value)) return "value of property '" + std::string(key) + "' " + *why;
      out.append("=").append(value);
    }
    if (semi == std::string_view::npos) return std::nullopt;
    raw.remove_prefix(semi + 1);
  }
}

Error invalid(std::string message) { return Error{ErrorCode::kInvalidInput, "baggage: " + std::move(message)}; }

}  // namespace

Result<Baggage> Baggage::parse(std::string_view header, std::size_t* dropped_members) {
  Baggage baggage;
  std::string_view rest = header;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view member = trim_ows(rest.substr(0, comma));
    if (!member.empty()) {
      const std::size_t semi = member.find(';');
      const std::string_view pair = member.substr(0, semi);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) return invalid("list-member '" + std::string(member) + "' has no '='");
      const std::string_view key = trim_ows(pair.substr(0, eq));
      if (!is_token(key)) return invalid("key '" + std::string(key) + "' is not a token (RFC 7230 tchar)");
      const std::string_view raw_value = trim_ows(pair.substr(eq + 1));
      if (auto why = encoded_value_error(raw_value)) return invalid("value of key '" + std::string(key) + "' " + *why);
      BaggageEntry entry{std::string(key), sanitize_utf8(percent_decode(raw_value).value_or(std::string{})), {}};
      if (semi != std::string_view::npos) {
        if (auto why = normalize_properties(member.substr(semi + 1), entry.properties)) {
          return invalid("key '" + std::string(key) + "': " + *why);
        }
      }
      auto it = std::find_if(baggage.entries_.begin(), baggage.entries_.end(),
                             [&](const BaggageEntry& e) { return e.key == entry.key; });
      if (it != baggage.entries_.end()) {
        *it = std::move(entry);
      } else {
        baggage.entries_.push_back(std::move(entry));
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Keep whole members while they fit the W3C limits; drop the rest.
  std::size_t kept = 0;
  std::size_t bytes = 0;
  for (const auto& e : baggage.entries_) {
    const std::size_t size = encoded_size(e) + (kept == 0 ? 0 : 1);
    if (kept == kMaxMembers || bytes + size > kMaxHeaderBytes) break;
    bytes += size;
    ++kept;
  }
  if (dropped_members != nullptr) *dropped_members = baggage.entries_.size() - kept;
  baggage.entries_.resize(kept);
  return baggage;
}

std::string Baggage::to_header() const {
  std::string out;
  for (const auto& e : entries_) {
    if (!out.empty()) out.push_back(',');
    out.append(e.key).push_back('=');
    append_encoded(out, e.value);
    if (!e.properties.empty()) out.append(";").append(e.properties);
  }
  return out;
}

const BaggageEntry* Baggage::find(std::string_view key) const noexcept {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::optional<std::string_view> Baggage::get(std::string_view key) const noexcept {
  if (const BaggageEntry* e = find(key)) return std::string_view(e->value);
  return std::nullopt;
}

bool Baggage::set(std::string_view key, std::string_view value, std::string_view properties) {
  if (!is_token(key)) return false;
  std::string normalized;
  if (!properties.empty() && normalize_properties(properties, normalized)) return false;
  for (auto& e : entries_) {
    if (e.key == key) {
      e.value = std::string(value);
      e.properties = std::move(normalized);
      return true;
    }
  }
  entries_.push_back(BaggageEntry{std::string(key), std::string(value), std::move(normalized)});
  return true;
}

bool Baggage::remove(std::string_view key) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const BaggageEntry& e) { return e.key == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

}  // namespace frame_tracking
