// SPDX-License-Identifier: Apache-2.0
// RedisEndpoint URL parsing and formatting.
#include "frame_tracking/redis/redis_endpoint.hpp"

#include <charconv>

namespace frame_tracking::redis {
namespace {

Error url_error(std::string message) { return Error{ErrorCode::kInvalidInput, "redis url: " + std::move(message)}; }

}  // namespace

Result<RedisEndpoint> RedisEndpoint::from_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return url_error("'" + std::string(url) + "' does not start with redis://");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint endpoint;
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = authority.size() < rest.size() ? rest.substr(authority.size() + 1) : std::string_view{};
  if (authority.find('@') != std::string_view::npos) return url_error("credentials are not supported");
  std::string_view host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    std::string_view port_text = authority.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return url_error("port '" + std::string(port_text) + "' is not in 1..65535");
    endpoint.port = static_cast<std::uint16_t>(port);
  }
  if (host.empty()) return url_error("host is empty");
  endpoint.host = std::string(host);
  if (!path.empty()) {
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
