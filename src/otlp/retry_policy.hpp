// SPDX-License-Identifier: Apache-2.0
// Which OTLP/HTTP failures are retried and how long to wait before the next attempt (private header).
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#retryable-response-codes
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace frame_tracking::otlp::detail {

/// True for the statuses the OTLP spec lets a client retry: 429, 502, 503, 504.
constexpr bool is_retryable_status(long status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/// Parses a `Retry-After` value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date turned into a
/// delay from `now` (a date in the past gives 0). Empty optional when it is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) noexcept;

/// Exponential back-off with jitter: the n-th call returns initial·multiplierⁿ⁻¹ (capped at
/// `max`) scaled by a factor drawn uniformly from [0.5, 1.0]. Not thread-safe.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, double multiplier) noexcept
      : next_(static_cast<double>(initial.count())), max_(static_cast<double>(max.count())), multiplier_(multiplier) {}

  /// The next delay; `unit_random` is the jitter source, a value in [0, 1).
  std::chrono::milliseconds next(double unit_random) noexcept;

 private:
  double next_;
  double max_;
  double multiplier_;
};

}  // namespace frame_tracking::otlp::detail
