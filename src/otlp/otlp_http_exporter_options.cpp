// SPDX-License-Identifier: Apache-2.0
// Reading OtlpHttpExporterOptions from the OTEL_EXPORTER_OTLP_* environment variables.
#include "frame_tracking/otlp/otlp_http_exporter_options.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "frame_tracking/diagnostics.hpp"

#include <charconv>
#include <optional>
#include <string_view>

namespace frame_tracking::otlp {
namespace {

constexpr std::string_view kPrefix = "OTEL_EXPORTER_OTLP_";

// One setting's value and the variable it came from (the _TRACES_ variant wins; empty = unset).
struct EnvValue {
  std::string name;
  std::string value;
};

std::optional<EnvValue> lookup(const EnvLookup& env, std::string_view setting) {
  for (const std::string_view infix : {std::string_view("TRACES_"), std::string_view()}) {
    std::string name = std::string(kPrefix).append(infix).append(setting);
    if (auto v = env(name); v && !v->empty()) return EnvValue{std::move(name), std::move(*v)};
  }
  return std::nullopt;
}

void warn(const EnvValue& v, std::string_view rule, std::string_view fallback) {
  std::string message = v.name;
  message.append("=\"").append(v.value).append("\" ignored: ").append(rule).append("; using ").append(fallback);
  log_diagnostic(LogLevel::kWarning, message);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool has_http_scheme(std::string_view url) {
  const std::string l = lower(url.substr(0, 8));
  return l.starts_with("http://") || l.starts_with("https://");
}

// "scheme://authority" with no path gets "/" (the spec: an empty path is "/").
std::string with_root_path(std::string url) {
  const std::size_t authority = url.find("://") + 3;
  if (url.find_first_of("/?#", authority) == std::string::npos) url.push_back('/');
  return url;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Parses `k1=v1,k2=v2`; on error returns the broken rule in `error`.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_headers(std::string_view text,
                                                                             std::string& error) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view member = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (member.empty()) continue;
    const std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) {
      error = "member \"" + std::string(member) + "\" has no '='";
      return std::nullopt;
    }
    auto key = percent_decode(trim(member.substr(0, eq)));
    auto value = percent_decode(trim(member.substr(eq + 1)));
    if (!key || !value) {
      error = "bad percent-encoding in member \"" + std::string(member) + "\"";
      return std::nullopt;
    }
    if (!is_token(*key)) {
      error = "header name \"" + *key + "\" is not an HTTP token";
      return std::nullopt;
    }
    if (value->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      error = "the value of \"" + *key + "\" holds CR, LF or NUL";
      return std::nullopt;
    }
    headers.emplace_back(std::move(*key), std::move(*value));
  }
  return headers;
}

}  // namespace

OtlpHttpExporterOptions OtlpHttpExporterOptions::from_env(const EnvLookup& env) {
  OtlpHttpExporterOptions o;
  const std::string default_endpoint = o.endpoint;

  if (auto v = lookup(env, "ENDPOINT")) {
    if (!has_http_scheme(v->value)) {
      warn(*v, "not an http:// or https:// URL", default_endpoint);
    } else if (v->name.find("_TRACES_") != std::string::npos) {
      o.endpoint = with_root_path(v->value);
    } else {
      std::string base = v->value;
      while (!base.empty() && base.back() == '/') base.pop_back();
      o.endpoint = base + "/v1/traces";
    }
  }
  if (auto v = lookup(env, "PROTOCOL")) {
    const std::string p = lower(v->value);
    if (p == "http/protobuf") o.protocol = OtlpProtocol::kHttpProtobuf;
    else if (p == "http/json") o.protocol = OtlpProtocol::kHttpJson;
    else warn(*v, "the OTLP/HTTP exporter supports \"http/protobuf\" and \"http/json\"", "http/protobuf");
  }
  if (auto v = lookup(env, "HEADERS")) {
    std::string error;
    if (auto headers = parse_headers(v->value, error)) o.headers = std::move(*headers);
    else warn(*v, error, "no extra headers");
  }
  if (auto v = lookup(env, "TIMEOUT")) {
    std::int64_t ms = -1;
    const std::string_view s = trim(v->value);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), ms);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || ms < 0) {
      warn(*v, "expected an integer number of milliseconds >= 0", "10000");
    } else {
      o.timeout = std::chrono::milliseconds(ms);
    }
  }
  if (auto v = lookup(env, "COMPRESSION")) {
    const std::string c = lower(v->value);
    if (c == "gzip") o.compression = OtlpCompression::kGzip;
    else if (c == "none") o.compression = OtlpCompression::kNone;
    else warn(*v, "expected \"gzip\" or \"none\"", "none");
  }
  return o;
}

OtlpHttpExporterOptions OtlpHttpExporterOptions::from_env() { return from_env(process_environment()); }

}  // namespace frame_tracking::otlp
