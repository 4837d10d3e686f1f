// SPDX-License-Identifier: Apache-2.0
// CLI options shared by `journey` and `analyze`.
#include "jaeger/cli_options.hpp"

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/trace_context.hpp"

#include <cstdlib>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

namespace frame_tracking::jaeger {
namespace {

Error usage(std::string_view flag, std::string_view text, std::string_view rule) {
  return Error{ErrorCode::kInvalidInput, std::string(flag) + " '" + std::string(text) + "': " + std::string(rule)};
}

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::size_t output_width(std::size_t requested) {
  if (requested != 0) return requested;
  winsize size{};
  if (isatty(STDOUT_FILENO) != 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    const long value = std::strtol(columns, nullptr, 10);
    if (value > 0) return static_cast<std::size_t>(value);
  }
  return 120;
}

Result<std::chrono::seconds> parse_lookback(std::string_view text, std::string_view flag) {
  std::size_t i = 0;
  long long value = 0;
  while (i < text.size() && digit(text[i]) && value < 1'000'000'000) value = value * 10 + (text[i++] - '0');
  const std::string_view unit = text.substr(i);
  const long long scale = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
  if (i == 0 || scale == 0 || value == 0) return usage(flag, text, "expected a positive integer and a unit s, m, h or d (e.g. 1h)");
  return std::chrono::seconds(value * scale);
}

Result<std::string> check_go_duration(std::string_view text, std::string_view flag) {
  static const std::vector<std::string_view> kUnits = {"ns", "us", "\xC2\xB5s", "ms", "s", "m", "h"};
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && digit(text[i])) ++i;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && digit(text[i])) ++i;
    }
    if (i == start || (i == start + 1 && text[start] == '.')) break;
    std::string_view matched;
    for (std::string_view unit : kUnits)  // longest first where it matters: "ms" before "m", "ns" before "s"
      if (text.substr(i).starts_with(unit) && unit.size() > matched.size()) matched = unit;
    if (matched.empty()) break;
    i += matched.size();
    if (i == text.size()) return std::string(text);
  }
  return usage(flag, text, "expected a duration like 1s, 250ms, 1.5m or 1h30m (units ns, us, ms, s, m, h)");
}

Result<std::string> trace_id_argument(std::string_view text) {
  if (text.size() == FrameId::kStringSize) {
    auto id = FrameId::parse(text);
    if (!id) return Error{ErrorCode::kInvalidInput, "FRAME_ID '" + std::string(text) + "': " + id.error().message};
    std::string hex;
    for (char c : id->to_string())
      if (c != '-') hex += c;
    return hex;
  }
  if (auto trace = TraceId::from_hex(text); text.size() == 32 && trace && trace->is_valid()) return trace->to_hex();
  return usage("FRAME_ID", text,
               "expected a FrameId (8-4-4-4-12 hex digits, e.g. 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4001) or a non-zero 32-hex-digit trace id");
}

Result<std::map<std::string, std::string>> parse_tags(const std::vector<std::string>& items) {
  std::map<std::string, std::string> tags;
  for (const std::string& item : items) {
    const std::size_t equals = item.find('=');
    if (equals == 0 || equals == std::string::npos) return usage("--tag", item, "expected KEY=VALUE (e.g. camera.id=cam-1)");
    tags[item.substr(0, equals)] = item.substr(equals + 1);
  }
  return tags;
}

}  // namespace frame_tracking::jaeger
