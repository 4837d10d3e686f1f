// SPDX-License-Identifier: Apache-2.0
// to_timeval, timeval_until: std::chrono durations and deadlines as the POSIX timeval that C clients (hiredis, rabbitmq-c) take.
#pragma once

#include <sys/time.h>

#include <chrono>

namespace frame_tracking {

/// `duration` as seconds + microseconds (tv_usec in 0..999999); a negative duration becomes zero
/// (an expired deadline polls instead of blocking). Milliseconds convert implicitly. Thread-safe (pure).
inline timeval to_timeval(std::chrono::microseconds duration) noexcept {
  timeval tv{};
  if (duration.count() <= 0) return tv;
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>(duration.count() % 1000000);
  return tv;
}

/// The time left until `deadline` as a timeval (zero once it has passed), for a C call's timeout.
/// Thread-safe.
inline timeval timeval_until(std::chrono::steady_clock::time_point deadline) noexcept {
  return to_timeval(std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now()));
}

}  // namespace frame_tracking
