// SPDX-License-Identifier: Apache-2.0
// RedisEndpoint URL parsing and formatting.
#include "frame_tracking/redis/redis_endpoint.hpp"

#include "frame_tracking/host_port.hpp"
#include "frame_tracking/url_parts.hpp"

#include <charconv>

namespace frame_tracking::redis {
namespace {

Error url_error(std::string message) { return Error{ErrorCode::kInvalidInput, "redis url: " + std::move(message)}; }

}  // namespace

Result<RedisEndpoint> RedisEndpoint::from_url(std::string_view url) {
  auto parts = split_url(url, "redis://");
  if (!parts) return url_error(parts.error().message);
  if (parts->userinfo) return url_error("credentials are not supported");
  auto host_port = parse_host_port(parts->host_port);
  if (!host_port) return url_error(host_port.error().message);
  RedisEndpoint endpoint;
  endpoint.host = std::move(host_port->host);
  endpoint.port = host_port->port.value_or(endpoint.port);
  if (const std::string_view path = parts->path.value_or(""); !path.empty()) {
    int db = 0;
    auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), db);
    if (ec != std::errc{} || end != path.data() + path.size() || db < 0)
      return url_error("database '" + std::string(path) + "' is not a non-negative integer");
    endpoint.database = db;
  }
  return endpoint;
}

std::string RedisEndpoint::to_url() const {
  return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(database);
}

}  // namespace frame_tracking::redis
