// SPDX-License-Identifier: Apache-2.0
// Parsing of Jaeger query API parameters (v2.20 query_parser.go rules, plus frame-tracking extensions).
#include "jaeger_query.hpp"

#include "otlp_text.hpp"

#include "frame_tracking/utf8.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>

namespace frame_tracking::service {
namespace {

Error parse_error(std::string_view param, std::string_view detail) {
  return Error{ErrorCode::kInvalidInput, "unable to parse param '" + std::string(param) + "': " + std::string(detail)};
}

/// strconv.ParseInt(text, 10, bits) with Go's error wording.
Result<std::int64_t> parse_go_int(const std::string& text, int bits) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::int64_t max = bits == 64 ? std::numeric_limits<std::int64_t>::max() : (std::int64_t{1} << (bits - 1)) - 1;
  if (ec == std::errc::result_out_of_range || (ec == std::errc{} && (value > max || value < -max - 1)))
    return Error{ErrorCode::kInvalidInput,
                 "strconv.ParseInt: parsing \"" + sanitize_utf8(text) + "\": value out of range"};
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return Error{ErrorCode::kInvalidInput, "strconv.ParseInt: parsing \"" + sanitize_utf8(text) + "\": invalid syntax"};
  return value;
}

const std::string* first(const std::multimap<std::string, std::string>& params, const std::string& key) {
  auto it = params.find(key);
  return it == params.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

Result<std::int64_t> parse_go_duration(std::string_view text) {
  // Quoted in error messages, which go into JSON: invalid UTF-8 becomes U+FFFD.
  const std::string original = sanitize_utf8(text);
  auto invalid = [&] { return Error{ErrorCode::kInvalidInput, "time: invalid duration \"" + original + "\""}; };
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::int64_t{0};
  if (s.empty()) return invalid();
  long double total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    std::size_t i = 0;
    long double value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') value = value * 10 + (s[i++] - '0');
    bool pre = i > 0;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 1;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        scale /= 10;
        value += (s[i++] - '0') * scale;
        post = true;
      }
    }
    if (!pre && !post) return invalid();
    s.remove_prefix(i);
    std::size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !(s[unit_length] >= '0' && s[unit_length] <= '9'))
      ++unit_length;
    if (unit_length == 0)
      return Error{ErrorCode::kInvalidInput, "time: missing unit in duration \"" + original + "\""};
    std::string_view unit = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    long double ns;
    if (unit == "ns") ns = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") ns = 1e3L;
    else if (unit == "ms") ns = 1e6L;
    else if (unit == "s") ns = 1e9L;
    else if (unit == "m") ns = 60e9L;
    else if (unit == "h") ns = 3600e9L;
    else
      return Error{ErrorCode::kInvalidInput,
                   "time: unknown unit \"" + sanitize_utf8(unit) + "\" in duration \"" + original + "\""};
    total += value * ns;
    if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max())) return invalid();
  }
  auto result = static_cast<std::int64_t>(std::floor(total + 0.5L));
  return negative ? -result : result;
}

Result<SearchRequest> parse_search_params(const std::multimap<std::string, std::string>& params, std::int64_t now_ns,
                                          std::size_t max_limit) {
  SearchRequest request;
  auto& query = request.query;
  auto [ids_begin, ids_end] = params.equal_range("traceID");
  for (auto it = ids_begin; it != ids_end; ++it) request.trace_ids.push_back(it->second);
  if (request.trace_ids.size() > max_limit)
    return parse_error("traceID", "more than " + std::to_string(max_limit) + " trace ids in one request");

  if (const auto* v = first(params, "service")) query.service = *v;
  if (const auto* v = first(params, "operation")) query.operation = *v;

  std::map<std::string, std::string> tags;
  auto [tag_begin, tag_end] = params.equal_range("tag");
  for (auto it = tag_begin; it != tag_end; ++it) {
    auto colon = it->second.find(':');
    if (colon == std::string::npos)
      return Error{ErrorCode::kInvalidInput,
                   "malformed 'tag' parameter, expecting key:value, received: " + sanitize_utf8(it->second)};
    tags[it->second.substr(0, colon)] = it->second.substr(colon + 1);
  }
  auto [tags_begin, tags_end] = params.equal_range("tags");
  for (auto it = tags_begin; it != tags_end; ++it) {
    auto parsed = nlohmann::json::parse(it->second, nullptr, false);
    if (parsed.is_object()) {
      for (const auto& [key, value] : parsed.items()) {
        if (!value.is_string())
          return Error{ErrorCode::kInvalidInput,
                       "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal " +
                           std::string(value.type_name()) + " into Go value of type string"};
        tags[key] = value.get<std::string>();
      }
      continue;
    }
    // Extension: the short form `key:value` that operators type by hand.
    auto colon = it->second.find(':');
    if (parsed.is_discarded() && colon != std::string::npos && colon > 0 && it->second.front() != '{') {
      tags[it->second.substr(0, colon)] = it->second.substr(colon + 1);
      continue;
    }
    return Error{ErrorCode::kInvalidInput,
                 "malformed 'tags' parameter, cannot unmarshal JSON: expected a JSON object of strings or key:value"};
  }
  query.tags.assign(tags.begin(), tags.end());

  bool has_window = false;
  for (const char* name : {"start", "end"}) {
    const auto* v = first(params, name);
    if (v == nullptr) continue;
    has_window = true;
    auto us = parse_go_int(*v, 64);
    if (!us) return parse_error(name, us.error().message);
    std::int64_t ns = *us > std::numeric_limits<std::int64_t>::max() / 1000 ? std::numeric_limits<std::int64_t>::max()
                                                                            : *us * 1000;
    if (std::string_view(name) == "start") query.start_min_ns = ns;
    else query.start_max_ns = ns;
  }
  if (!has_window && tags.count("frame.id") == 0) {
    query.start_min_ns = now_ns - kDefaultLookbackNs;
    query.start_max_ns = now_ns;
  } else if (has_window) {
    if (!query.start_min_ns) query.start_min_ns = now_ns - kDefaultLookbackNs;
    if (!query.start_max_ns) query.start_max_ns = now_ns;
  }

  for (const char* name : {"minDuration", "maxDuration"}) {
    const auto* v = first(params, name);
    if (v == nullptr) continue;
    auto ns = parse_go_duration(*v);
    if (!ns) return parse_error(name, ns.error().message);
    if (*ns == 0) continue;
    if (std::string_view(name) == "minDuration") query.duration_min_ns = *ns;
    else query.duration_max_ns = *ns;
  }
  if (query.duration_min_ns && query.duration_max_ns && *query.duration_max_ns < *query.duration_min_ns)
    return Error{ErrorCode::kInvalidInput, "'maxDuration' should be greater than 'minDuration'"};

  query.limit = kDefaultSearchLimit;
  if (const auto* v = first(params, "limit")) {
    auto limit = parse_go_int(*v, 32);
    if (!limit) return parse_error("limit", limit.error().message);
    if (*limit > 0 && static_cast<std::uint64_t>(*limit) > max_limit)
      return parse_error("limit", std::to_string(*limit) + " is larger than the maximum " + std::to_string(max_limit) +
                                      " (--max-search-traces)");
    if (*limit > 0) query.limit = static_cast<std::size_t>(*limit);
  }
  return request;
}

std::optional<TraceId> parse_trace_id_param(std::string_view text) noexcept {
  if (text.size() == 36) return store::detail::parse_trace_id_text(text);
  if (text.empty() || text.size() > 32) return std::nullopt;
  char padded[32];
  std::size_t pad = 32 - text.size();
  for (std::size_t i = 0; i < pad; ++i) padded[i] = '0';
  for (std::size_t i = 0; i < text.size(); ++i) padded[pad + i] = text[i];
  return store::detail::parse_trace_id_text(std::string_view(padded, 32));
}

}  // namespace frame_tracking::service
