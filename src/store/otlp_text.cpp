// SPDX-License-Identifier: Apache-2.0
// Text forms of OTLP values shared by the store and the service.
#include "otlp_text.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "opentelemetry/proto/common/v1/common.pb.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace frame_tracking::store::detail {
namespace {

using opentelemetry::proto::common::v1::AnyValue;

nlohmann::json to_json(const AnyValue& value, int depth) {
  if (depth > 64) return nullptr;
  switch (value.value_case()) {
    case AnyValue::kStringValue: return value.string_value();
    case AnyValue::kBoolValue: return value.bool_value();
    case AnyValue::kIntValue: return value.int_value();
    case AnyValue::kDoubleValue: return value.double_value();
    case AnyValue::kBytesValue: return base64_encode(value.bytes_value());
    case AnyValue::kArrayValue: {
      auto array = nlohmann::json::array();
      for (const auto& v : value.array_value().values()) array.push_back(to_json(v, depth + 1));
      return array;
    }
    case AnyValue::kKvlistValue: {
      auto object = nlohmann::json::object();
      for (const auto& kv : value.kvlist_value().values()) object[kv.key()] = to_json(kv.value(), depth + 1);
      return object;
    }
    case AnyValue::VALUE_NOT_SET: break;
  }
  return nullptr;
}

}  // namespace

std::string any_value_as_string(const AnyValue& value) {
  switch (value.value_case()) {
    case AnyValue::kStringValue: return value.string_value();
    case AnyValue::kBoolValue: return value.bool_value() ? "true" : "false";
    case AnyValue::kIntValue: return std::to_string(value.int_value());
    case AnyValue::kDoubleValue: {
      double d = value.double_value();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
      std::array<char, 400> buf{};
      auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed);
      if (ec != std::errc{}) return std::to_string(d);
      return std::string(buf.data(), end);
    }
    case AnyValue::kBytesValue: return base64_encode(value.bytes_value());
    case AnyValue::kArrayValue:
    case AnyValue::kKvlistValue: return to_json(value, 0).dump();
    case AnyValue::VALUE_NOT_SET: break;
  }
  return {};
}

std::optional<TraceId> parse_trace_id_text(std::string_view text) noexcept {
  std::array<std::uint8_t, TraceId::kSize> bytes{};
  std::size_t nibble = 0;
  if (text.size() == 36) {
    for (std::size_t pos : {8U, 13U, 18U, 23U})
      if (text[pos] != '-') return std::nullopt;
  } else if (text.size() != 32) {
    return std::nullopt;
  }
  for (char c : text) {
    if (c == '-' && text.size() == 36) continue;
    int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    bytes[nibble / 2] = static_cast<std::uint8_t>(bytes[nibble / 2] | (nibble % 2 == 0 ? d << 4 : d));
    ++nibble;
  }
  TraceId id(bytes);
  if (!id.is_valid()) return std::nullopt;
  return id;
}

std::string canonical_frame_id(const TraceId& id) {
  std::string hex = id.to_hex();
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20);
}

std::string normalize_frame_id(std::string_view text) {
  auto id = parse_trace_id_text(text);
  return id ? canonical_frame_id(*id) : std::string(text);
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string_view jaeger_span_kind(int kind) noexcept {
  switch (kind) {
    case 1: return "internal";
    case 2: return "server";
    case 3: return "client";
    case 4: return "producer";
    case 5: return "consumer";
    default: return {};
  }
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    out += kDigits[(static_cast<unsigned char>(c) >> 4) & 0xF];
    out += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

}  // namespace frame_tracking::store::detail
