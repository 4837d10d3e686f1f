// SPDX-License-Identifier: Apache-2.0
// RouteRule: frame-buffer's routing rules — which processor a frame goes to, by camera or a metadata field.
#pragma once

#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::pipeline {

/// One `--route PROCESSOR=MATCH[,MATCH…]` rule. A MATCH is `*` (every frame), `FIELD:VALUE`
/// (FIELD is camera_id, format, or a key of the metadata's attributes, e.g. key_frame:true), or a
/// bare camera id. A rule matches a frame when any of its MATCHes does. Value type.
struct RouteRule {
  struct Match {
    std::string field;  ///< "" = any frame; else the field compared
    std::string value;
  };
  std::string processor;
  std::vector<Match> matches;

  /// Parses one rule. Errors (kInvalidInput) name the flag and the rule, e.g.
  /// "--route 'motion': expected PROCESSOR=MATCH[,MATCH...]".
  static Result<RouteRule> parse(std::string_view text);
  bool matches_frame(const FrameMetadata& metadata) const;
};

/// The processor of the first rule matching `metadata` (rules are tried in order), or empty when
/// none does (the frame is dropped with reason `no_route`).
std::optional<std::string> route(const std::vector<RouteRule>& rules, const FrameMetadata& metadata);

}  // namespace frame_tracking::pipeline
