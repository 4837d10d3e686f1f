// SPDX-License-Identifier: Apache-2.0
// AmqpEndpoint URL parsing and formatting, and semantic-conventions destination names.
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"

#include "frame_tracking/host_port.hpp"
#include "frame_tracking/percent_encoding.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "frame_tracking/url_parts.hpp"

#include <optional>

namespace frame_tracking::rabbitmq {
namespace {

Error url_error(std::string message) { return Error{ErrorCode::kInvalidInput, "amqp url: " + std::move(message)}; }

}  // namespace

Result<AmqpEndpoint> AmqpEndpoint::from_url(std::string_view url) {
  auto parts = split_url(url, "amqp://");
  if (!parts) return url_error(parts.error().message);
  AmqpEndpoint endpoint;
  if (parts->path) {
    auto vhost = percent_decode(*parts->path);
    if (!vhost) return url_error("vhost '" + std::string(*parts->path) + "' has a bad %-escape");
    if (!vhost->empty()) endpoint.vhost = *vhost;
  }
  if (parts->userinfo) {
    const std::string_view credentials = *parts->userinfo;
    auto colon = credentials.find(':');
    auto user = percent_decode(credentials.substr(0, colon));
    auto password = colon == std::string_view::npos ? std::optional<std::string>(std::string())
                                                    : percent_decode(credentials.substr(colon + 1));
    if (!user || !password) return url_error("credentials have a bad %-escape");
    endpoint.user = *user;
    if (colon != std::string_view::npos) endpoint.password = *password;
  }
  auto host_port = parse_host_port(parts->host_port);
  if (!host_port) return url_error(host_port.error().message);
  endpoint.host = std::move(host_port->host);
  endpoint.port = host_port->port.value_or(endpoint.port);
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
