// SPDX-License-Identifier: Apache-2.0
// parse_host_port: splits a URL authority into host and checked port (see host_port.hpp).
#include "frame_tracking/host_port.hpp"

#include <charconv>

namespace frame_tracking {

Result<HostPort> parse_host_port(std::string_view authority) {
  HostPort out;
  std::string_view host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    const std::string_view text = authority.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535)
      return Error{ErrorCode::kInvalidInput, "port '" + std::string(text) + "' is not in 1..65535"};
    out.port = static_cast<std::uint16_t>(port);
  }
  if (host.empty()) return Error{ErrorCode::kInvalidInput, "host is empty"};
  out.host = std::string(host);
  return out;
}

}  // namespace frame_tracking
