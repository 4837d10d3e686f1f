// SPDX-License-Identifier: Apache-2.0
// Retry-After parsing and exponential back-off with jitter for the OTLP/HTTP exporter.
#include "retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace frame_tracking::otlp::detail {

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::uint32_t seconds = 0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Absurdly large values saturate; the caller caps the wait by its deadline anyway.
    if (r.ec == std::errc::result_out_of_range) return std::chrono::milliseconds(std::chrono::hours(24 * 365));
    return std::chrono::seconds(seconds);
  }
  try {
    // curl_getdate understands the three HTTP-date forms (IMF-fixdate, RFC 850, asctime).
    const std::string text(value);
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    const auto delay = std::chrono::system_clock::from_time_t(when) - now;
    return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(delay));
  } catch (...) {
    return std::nullopt;
  }
}

std::chrono::milliseconds Backoff::next(double unit_random) noexcept {
  const double base = std::min(next_, max_);
  next_ = std::min(next_ * multiplier_, max_);
  const double jittered = base * (0.5 + 0.5 * std::clamp(unit_random, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(jittered));
}

}  // namespace frame_tracking::otlp::detail
