// SPDX-License-Identifier: Apache-2.0
// Grouping of a span batch by resource and scope for the OTLP encoders.
#include "frame_tracking/otlp_layout.hpp"

namespace frame_tracking {

std::vector<OtlpResourceGroup> group_for_otlp(std::span<const SpanData* const> spans) {
  std::vector<OtlpResourceGroup> groups;
  // Batches usually hold one resource and a few scopes: a linear search with a last-hit shortcut
  // beats hashing here.
  OtlpScopeGroup* last = nullptr;
  const Resource* last_resource = nullptr;
  for (const SpanData* span : spans) {
    if (span == nullptr) continue;
    if (last != nullptr && last_resource == span->resource && last->scope == span->scope) {
      last->spans.push_back(span);
      continue;
    }
    OtlpResourceGroup* resource_group = nullptr;
    for (auto& g : groups) {
      if (g.resource == span->resource) {
        resource_group = &g;
        break;
      }
    }
    if (resource_group == nullptr) resource_group = &groups.emplace_back(OtlpResourceGroup{span->resource, {}});
    OtlpScopeGroup* scope_group = nullptr;
    for (auto& s : resource_group->scopes) {
      if (s.scope == span->scope) {
        scope_group = &s;
        break;
      }
    }
    if (scope_group == nullptr) scope_group = &resource_group->scopes.emplace_back(OtlpScopeGroup{span->scope, {}});
    scope_group->spans.push_back(span);
    last = scope_group;
    last_resource = span->resource;
  }
  return groups;
}

}  // namespace frame_tracking
