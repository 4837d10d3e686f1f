// SPDX-License-Identifier: Apache-2.0
// Journey tree: tree order and critical path of a trace's spans.
#include "jaeger/journey_tree.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace frame_tracking::jaeger {
namespace {

bool by_start(const JourneySpan* a, const JourneySpan* b) {
  return std::tie(a->start_us, a->span_id) < std::tie(b->start_us, b->span_id);
}

/// parent span id → children by start; the top level under "".
std::map<std::string, std::vector<const JourneySpan*>> children_of(const Journey& journey) {
  std::map<std::string, std::vector<const JourneySpan*>> children;
  for (const auto& span : journey.spans) {
    const bool top = span.parent_id.empty() || journey.find(span.parent_id) == nullptr;
    children[top ? std::string() : span.parent_id].push_back(&span);
  }
  for (auto& [parent, list] : children) std::sort(list.begin(), list.end(), by_start);
  return children;
}

}  // namespace

std::vector<TreeRow> tree_rows(const Journey& journey) {
  const auto children = children_of(journey);
  std::vector<TreeRow> rows;
  std::set<const JourneySpan*> seen;
  // Depth-first with an explicit stack (no recursion depth limit on long chains).
  auto walk = [&](const JourneySpan* top) {
    std::vector<std::pair<const JourneySpan*, std::size_t>> stack{{top, 0}};
    while (!stack.empty()) {
      auto [span, depth] = stack.back();
      stack.pop_back();
      if (!seen.insert(span).second) continue;
      rows.push_back({span, depth, depth == 0 && !span->parent_id.empty()});
      auto found = children.find(span->span_id);
      if (found == children.end()) continue;
      for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) stack.emplace_back(*it, depth + 1);
    }
  };
  if (auto top = children.find(std::string()); top != children.end())
    for (const JourneySpan* span : top->second) walk(span);
  // Spans only reachable through a loop of parent references: show each loop from its earliest span.
  std::vector<const JourneySpan*> rest;
  for (const auto& span : journey.spans)
    if (seen.count(&span) == 0) rest.push_back(&span);
  std::sort(rest.begin(), rest.end(), by_start);
  for (const JourneySpan* span : rest) walk(span);
  return rows;
}

std::vector<std::string> critical_path(const Journey& journey) {
  const auto rows = tree_rows(journey);
  if (rows.empty()) return {};
  const JourneySpan* current = nullptr;
  for (const TreeRow& row : rows)
    if (row.depth == 0 && row.span->parent_id.empty() && (current == nullptr || by_start(row.span, current))) current = row.span;
  if (current == nullptr) current = rows.front().span;
  const auto children = children_of(journey);
  std::vector<std::string> path;
  std::set<const JourneySpan*> on_path;
  while (current != nullptr && on_path.insert(current).second) {
    path.push_back(current->span_id);
    auto found = children.find(current->span_id);
    if (found == children.end()) break;
    const JourneySpan* next = nullptr;
    for (const JourneySpan* child : found->second)  // by start, so the first of equal ends wins
      if (next == nullptr || child->end_us() > next->end_us()) next = child;
    current = next;
  }
  return path;
}

}  // namespace frame_tracking::jaeger
