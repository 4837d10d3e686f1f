// SPDX-License-Identifier: Apache-2.0
// Self-diagnostics: a process-wide, replaceable log handler with a level threshold.
#include "frame_tracking/diagnostics.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace frame_tracking {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

struct HandlerSlot {
  std::mutex mutex;
  LogHandler handler;
};

HandlerSlot& slot() {
  static HandlerSlot* s = new HandlerSlot;  // never destroyed: usable from static destructors
  return *s;
}

const char* level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
    case LogLevel::kNone: break;
  }
  return "none";
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  if (iequals(text, "debug")) return LogLevel::kDebug;
  if (iequals(text, "info")) return LogLevel::kInfo;
  if (iequals(text, "warn") || iequals(text, "warning")) return LogLevel::kWarning;
  if (iequals(text, "error")) return LogLevel::kError;
  if (iequals(text, "none")) return LogLevel::kNone;
  return std::nullopt;
}

void set_log_handler(LogHandler handler) {
  auto& s = slot();
  std::lock_guard lock(s.mutex);
  s.handler = std::move(handler);
}

void set_log_level(LogLevel level) noexcept { g_level.store(level, std::memory_order_relaxed); }

LogLevel log_level() noexcept { return g_level.load(std::memory_order_relaxed); }

void log_diagnostic(LogLevel level, std::string_view message) noexcept {
  if (level == LogLevel::kNone || level < log_level()) return;
  auto& s = slot();
  std::lock_guard lock(s.mutex);
  if (s.handler) {
    try {
      s.handler(level, message);
    } catch (...) {
      // A throwing handler must not take the SDK down; the message is lost on purpose.
    }
    return;
  }
  std::fprintf(stderr, "frame-tracking %s: %.*s\n", level_name(level), static_cast<int>(message.size()),
               message.data());
}

}  // namespace frame_tracking
