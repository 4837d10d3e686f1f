// SPDX-License-Identifier: Apache-2.0
// Prometheus text: sample lines of the text exposition format.
#include "jaeger/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace frame_tracking::jaeger {
namespace {

bool name_char(char c, bool first) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  return letter || (!first && c >= '0' && c <= '9');
}

Error bad(std::size_t line, const std::string& rule) {
  return Error{ErrorCode::kInvalidInput, "line " + std::to_string(line) + ": " + rule};
}

}  // namespace

Result<std::vector<MetricSample>> parse_prometheus_text(std::string_view text) {
  std::vector<MetricSample> out;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++number;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    MetricSample sample;
    std::size_t i = 0;
    while (i < line.size() && name_char(line[i], i == 0)) ++i;
    if (i == 0) return bad(number, "expected a metric name");
    sample.name = std::string(line.substr(0, i));
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == ',')) ++i;
        if (i < line.size() && line[i] == '}') {
          ++i;
          break;
        }
        const std::size_t key_start = i;
        while (i < line.size() && name_char(line[i], i == key_start)) ++i;
        if (i == key_start || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
          return bad(number, "expected label=\"value\" in the braces");
        std::string key(line.substr(key_start, i - key_start)), value;
        i += 2;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            value += line[i] == 'n' ? '\n' : line[i];
          } else {
            value += line[i];
          }
          ++i;
        }
        if (i >= line.size()) return bad(number, "unterminated label value");
        ++i;
        sample.labels[std::move(key)] = std::move(value);
      }
    }
    if (i >= line.size() || (line[i] != ' ' && line[i] != '\t')) return bad(number, "expected a value after the name and labels");
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t end = line.find_first_of(" \t", i);
    const std::string value(line.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    if (value == "+Inf" || value == "Inf") sample.value = std::numeric_limits<double>::infinity();
    else if (value == "-Inf") sample.value = -std::numeric_limits<double>::infinity();
    else if (value == "NaN") sample.value = std::numeric_limits<double>::quiet_NaN();
    else {
      char* parsed_end = nullptr;
      sample.value = std::strtod(value.c_str(), &parsed_end);
      if (value.empty() || parsed_end != value.c_str() + value.size()) return bad(number, "value '" + value + "' is not a number");
    }
    out.push_back(std::move(sample));
  }
  return out;
}

}  // namespace frame_tracking::jaeger
