// SPDX-License-Identifier: Apache-2.0
// AmqpEndpoint URL parsing and formatting, and semantic-conventions destination names.
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "frame_tracking/rabbitmq/amqp_producer.hpp"

#include <charconv>
#include <optional>

namespace frame_tracking::rabbitmq {
namespace {

Error url_error(std::string message) { return Error{ErrorCode::kInvalidInput, "amqp url: " + std::move(message)}; }

}  // namespace

Result<AmqpEndpoint> AmqpEndpoint::from_url(std::string_view url) {
  constexpr std::string_view kScheme = "amqp://";
  if (url.substr(0, kScheme.size()) != kScheme) return url_error("'" + std::string(url) + "' does not start with amqp://");
  std::string_view rest = url.substr(kScheme.size());
  AmqpEndpoint endpoint;
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.size() < rest.size()) {
    auto vhost = percent_decode(rest.substr(authority.size() + 1));
    if (!vhost) return url_error("vhost '" + std::string(rest.substr(authority.size() + 1)) + "' has a bad %-escape");
    if (!vhost->empty()) endpoint.vhost = *vhost;
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = credentials.find(':');
    auto user = percent_decode(credentials.substr(0, colon));
    auto password = colon == std::string_view::npos ? std::optional<std::string>(std::string())
                                                    : percent_decode(credentials.substr(colon + 1));
    if (!user || !password) return url_error("credentials have a bad %-escape");
    endpoint.user = *user;
    if (colon != std::string_view::npos) endpoint.password = *password;
  }
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
  return endpoint;
}

std::string AmqpEndpoint::to_url() const {
  std::string v;
  for (char c : vhost) {
    if (c == '/' || c == '%' || c == '@' || c == ':') {
      static constexpr char kHex[] = "0123456789abcdef";
      v += '%';
      v += kHex[static_cast<unsigned char>(c) >> 4];
      v += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      v += c;
    }
  }
  return "amqp://" + host + ":" + std::to_string(port) + "/" + v;
}

std::string producer_destination_name(std::string_view exchange, std::string_view routing_key) {
  if (exchange.empty() && routing_key.empty()) return "amq.default";
  if (exchange.empty()) return std::string(routing_key);
  if (routing_key.empty()) return std::string(exchange);
  return std::string(exchange) + ":" + std::string(routing_key);
}

std::string consumer_destination_name(std::string_view exchange, std::string_view routing_key, std::string_view queue) {
  std::string out;
  auto append = [&out](std::string_view part) {
    if (part.empty()) return;
    if (!out.empty()) out += ':';
    out += part;
  };
  append(exchange);
  append(routing_key);
  if (queue != routing_key) append(queue);
  return out;
}

}  // namespace frame_tracking::rabbitmq
