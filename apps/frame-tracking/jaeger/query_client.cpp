// SPDX-License-Identifier: Apache-2.0
// Query client: Jaeger HTTP query API calls over libcurl.
#include "jaeger/query_client.hpp"

#include "otlp/http_get.hpp"

#include <nlohmann/json.hpp>

namespace frame_tracking::jaeger {
namespace {

using nlohmann::json;

Error failure(std::string message) { return Error{ErrorCode::kInvalidInput, std::move(message)}; }

/// The `data` string array of a services or operations envelope.
Result<std::vector<std::string>> string_list(const std::string& body, const std::string& url) {
  const json root = json::parse(body, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("data"))
    return failure(url + ": expected a JSON object with \"data\"");
  std::vector<std::string> out;
  if (root["data"].is_null()) return out;
  if (!root["data"].is_array()) return failure(url + ": data: expected an array of strings");
  for (const json& item : root["data"]) {
    if (!item.is_string()) return failure(url + ": data: expected an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

QueryClient::QueryClient(std::string base_url, std::string bearer_token, std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)), timeout_(timeout) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (!bearer_token.empty()) headers_.push_back("Authorization: Bearer " + bearer_token);
}

std::string QueryClient::url(const std::string& path_and_query) const { return base_url_ + path_and_query; }

Result<std::string> QueryClient::get(const std::string& path_and_query, bool* not_found) const {
  const std::string target = url(path_and_query);
  cli::HttpResponse response = cli::http_get(target, timeout_, headers_);
  if (!response.error.empty()) return failure("cannot reach " + target + ": " + response.error);
  if (response.status == 401)
    return failure(target + " answered 401 (unauthorized): " +
                   (headers_.empty() ? "the API requires a bearer token; give --auth-token-file or --auth-token"
                                     : "the API refused the bearer token"));
  if (response.status == 404 && not_found != nullptr) {
    *not_found = true;
    return std::string();
  }
  if (response.status != 200) {
    // Jaeger's error envelope: {"data":null,"errors":[{"code":400,"msg":"..."}]}.
    std::string reason = response.body;
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_discarded() && body.is_object() && body.contains("errors") && body["errors"].is_array() &&
        !body["errors"].empty() && body["errors"][0].is_object())
      reason = body["errors"][0].value("msg", response.body);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r')) reason.pop_back();
    return failure(target + " answered " + std::to_string(response.status) + ": " + reason);
  }
  return std::move(response.body);
}

Result<std::vector<std::string>> QueryClient::services() const {
  auto body = get("/api/services");
  if (!body) return body.error();
  return string_list(*body, url("/api/services"));
}

Result<std::vector<std::string>> QueryClient::operations(const std::string& service) const {
  const std::string path = "/api/services/" + url_encode(service) + "/operations";
  auto body = get(path);
  if (!body) return body.error();
  return string_list(*body, url(path));
}

Result<std::vector<Journey>> QueryClient::search(const TraceSearch& search) const {
  std::string path = "/api/traces?service=" + url_encode(search.service) + "&limit=" + std::to_string(search.limit);
  if (!search.operation.empty()) path += "&operation=" + url_encode(search.operation);
  if (search.start_us) path += "&start=" + std::to_string(*search.start_us);
  if (search.end_us) path += "&end=" + std::to_string(*search.end_us);
  if (!search.min_duration.empty()) path += "&minDuration=" + url_encode(search.min_duration);
  if (!search.max_duration.empty()) path += "&maxDuration=" + url_encode(search.max_duration);
  if (!search.tags.empty()) path += "&tags=" + url_encode(json(search.tags).dump());
  auto body = get(path);
  if (!body) return body.error();
  auto traces = parse_jaeger_traces(*body);
  if (!traces) return failure(url(path) + ": " + traces.error().message);
  return traces;
}

Result<std::optional<std::string>> QueryClient::trace_body(const std::string& trace_id) const {
  bool not_found = false;
  auto body = get("/api/traces/" + url_encode(trace_id), &not_found);
  if (!body) return body.error();
  if (not_found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(*body));
}

Result<std::optional<Journey>> QueryClient::trace(const std::string& trace_id) const {
  auto body = trace_body(trace_id);
  if (!body) return body.error();
  if (!body->has_value()) return std::optional<Journey>();
  auto traces = parse_jaeger_traces(**body);
  if (!traces) return failure(url("/api/traces/" + url_encode(trace_id)) + ": " + traces.error().message);
  if (traces->empty()) return std::optional<Journey>();
  return std::optional<Journey>(std::move(traces->front()));
}

}  // namespace frame_tracking::jaeger
