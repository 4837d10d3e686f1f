// SPDX-License-Identifier: Apache-2.0
// RouteRule: frame-buffer's routing rules.
#include "pipeline/route_rule.hpp"

#include <cctype>

namespace frame_tracking::pipeline {
namespace {

bool valid_processor_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

}  // namespace

Result<RouteRule> RouteRule::parse(std::string_view text) {
  const std::string quoted = "--route '" + std::string(text) + "'";
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals + 1 == text.size())
    return Error{ErrorCode::kInvalidInput, quoted + ": expected PROCESSOR=MATCH[,MATCH...] (e.g. motion=cam-1,cam-2 or thumbnail=*)"};
  RouteRule rule;
  rule.processor = std::string(text.substr(0, equals));
  if (!valid_processor_name(rule.processor))
    return Error{ErrorCode::kInvalidInput, quoted + ": the processor name must be letters, digits, '-', '_' or '.'"};
  std::string_view rest = text.substr(equals + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.empty()) return Error{ErrorCode::kInvalidInput, quoted + ": empty MATCH between commas"};
    Match match;
    if (item == "*") {
      // any frame: field and value stay empty
    } else if (const std::size_t colon = item.find(':'); colon != std::string_view::npos) {
      match.field = std::string(item.substr(0, colon));
      match.value = std::string(item.substr(colon + 1));
      if (match.field.empty()) return Error{ErrorCode::kInvalidInput, quoted + ": FIELD:VALUE needs a field name"};
    } else {
      match.field = "camera_id";
      match.value = std::string(item);
    }
    rule.matches.push_back(std::move(match));
  }
  return rule;
}

bool RouteRule::matches_frame(const FrameMetadata& metadata) const {
  for (const Match& match : matches) {
    if (match.field.empty()) return true;
    if (match.field == "camera_id") {
      if (metadata.camera_id == match.value) return true;
    } else if (match.field == "format") {
      if (metadata.format == match.value) return true;
    } else if (auto it = metadata.attributes.find(match.field); it != metadata.attributes.end() && it->second == match.value) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> route(const std::vector<RouteRule>& rules, const FrameMetadata& metadata) {
  for (const RouteRule& rule : rules)
    if (rule.matches_frame(metadata)) return rule.processor;
  return std::nullopt;
}

}  // namespace frame_tracking::pipeline
