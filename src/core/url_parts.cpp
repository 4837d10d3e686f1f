// SPDX-License-Identifier: Apache-2.0
// split_url: scheme check, then the authority up to the first '/', its userinfo up to the last '@' (see url_parts.hpp).
#include "frame_tracking/url_parts.hpp"

#include <string>

namespace frame_tracking {

Result<UrlParts> split_url(std::string_view url, std::string_view scheme) {
  if (!url.starts_with(scheme))
    return Error{ErrorCode::kInvalidInput, "'" + std::string(url) + "' does not start with " + std::string(scheme)};
  const std::string_view rest = url.substr(scheme.size());
  UrlParts parts;
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) parts.path = rest.substr(slash + 1);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  parts.host_port = authority;
  return parts;
}

}  // namespace frame_tracking
