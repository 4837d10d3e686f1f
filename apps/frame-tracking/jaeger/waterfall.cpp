// SPDX-License-Identifier: Apache-2.0
// Waterfall: a journey as terminal text and as JSON.
#include "jaeger/waterfall.hpp"

#include "jaeger/journey_tree.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace frame_tracking::jaeger {
namespace {

std::string milliseconds(std::int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1000.0);
  return text;
}

std::string pad(std::string text, std::size_t width, bool right = false) {
  if (text.size() >= width) return text;
  return right ? std::string(width - text.size(), ' ') + text : text + std::string(width - text.size(), ' ');
}

/// The cell of time `offset_us` on a bar of `cells` cells covering `total_us`.
std::size_t cell_of(double offset_us, double total_us, std::size_t cells) {
  const double at = std::floor(offset_us / total_us * static_cast<double>(cells));
  return static_cast<std::size_t>(std::clamp(at, 0.0, static_cast<double>(cells - 1)));
}

std::string root_frame_id(const Journey& journey) {
  for (const TreeRow& row : tree_rows(journey))
    if (row.depth == 0 && row.span->parent_id.empty()) {
      auto id = row.span->tags.find("frame.id");
      return id == row.span->tags.end() ? std::string() : id->second;
    }
  return {};
}

}  // namespace

std::string render_waterfall(const Journey& journey, std::size_t width) {
  if (journey.spans.empty()) return "";
  const auto rows = tree_rows(journey);
  const auto path = critical_path(journey);
  const std::set<std::string> critical(path.begin(), path.end());
  const std::int64_t origin = journey_start_us(journey);
  const double total = std::max<double>(1.0, static_cast<double>(journey_duration_us(journey)));

  std::size_t service_width = 7, name_width = 4;
  for (const TreeRow& row : rows) {
    service_width = std::max(service_width, row.span->service.size());
    name_width = std::max(name_width, 2 * row.depth + row.span->name.size());
  }
  const std::size_t fixed = 2 + service_width + 1 + name_width + 1 + 10 + 1 + 10 + 2 + 2;
  const std::size_t cells = width > fixed + 10 ? width - fixed : 10;

  std::string out = "  " + pad("SERVICE", service_width) + " " + pad("SPAN", name_width) + " " + pad("START ms", 10, true) +
                    " " + pad("DUR ms", 10, true) + "  TIMELINE\n";
  for (const TreeRow& row : rows) {
    const JourneySpan& span = *row.span;
    const bool on_path = critical.count(span.span_id) != 0;
    const double offset = static_cast<double>(span.start_us - origin);
    const std::size_t from = cell_of(offset, total, cells);
    const double end = std::ceil((offset + static_cast<double>(span.duration_us)) / total * static_cast<double>(cells));
    const std::size_t to = std::clamp(static_cast<std::size_t>(std::max(end, 0.0)), from + 1, cells);
    std::string bar(cells, ' ');
    std::fill(bar.begin() + static_cast<std::ptrdiff_t>(from), bar.begin() + static_cast<std::ptrdiff_t>(to), on_path ? '#' : '=');
    for (const SpanEvent& event : span.events)
      if (event.name == kDroppedEvent) bar[cell_of(static_cast<double>(event.timestamp_us - origin), total, cells)] = 'X';
    std::string line = std::string(on_path ? "* " : "  ") + pad(span.service, service_width) + " " +
                       pad(std::string(2 * row.depth, ' ') + span.name, name_width) + " " +
                       pad(milliseconds(span.start_us - origin), 10, true) + " " + pad(milliseconds(span.duration_us), 10, true) +
                       "  |" + bar + "|";
    if (span.error && !span.dropped) line += " ERROR: " + (span.status_message.empty() ? std::string("(no message)") : span.status_message);
    if (span.dropped) line += " DROPPED: " + span.drop_reason;
    if (row.orphan) line += " ORPHAN: parent " + span.parent_id + " not in trace";
    out += line + "\n";
    const std::string indent(2 + service_width + 1 + 2 * row.depth + 2, ' ');
    for (const SpanEvent& event : span.events) {
      std::string text = indent + "- " + (event.name.empty() ? std::string("(log)") : event.name) + " +" +
                         milliseconds(event.timestamp_us - origin) + " ms";
      for (const auto& [key, value] : event.fields) text += " " + key + "=" + value;
      out += text + "\n";
    }
  }
  return out;
}

nlohmann::ordered_json journey_json(const Journey& journey) {
  using nlohmann::ordered_json;
  const auto rows = tree_rows(journey);
  const auto path = critical_path(journey);
  const std::set<std::string> critical(path.begin(), path.end());
  const std::int64_t origin = journey_start_us(journey);
  std::set<std::string> services;
  ordered_json errors = ordered_json::array(), drops = ordered_json::array(), spans = ordered_json::array();
  for (const TreeRow& row : rows) {
    const JourneySpan& span = *row.span;
    services.insert(span.service);
    if (span.error && !span.dropped)
      errors.push_back({{"span_id", span.span_id}, {"name", span.name}, {"service", span.service}, {"message", span.status_message}});
    if (span.dropped)
      drops.push_back({{"span_id", span.span_id}, {"name", span.name}, {"service", span.service}, {"reason", span.drop_reason}});
    ordered_json events = ordered_json::array();
    for (const SpanEvent& event : span.events)
      events.push_back({{"offset_us", event.timestamp_us - origin}, {"name", event.name}, {"fields", event.fields}});
    spans.push_back({{"span_id", span.span_id},
                     {"parent_id", span.parent_id},
                     {"depth", row.depth},
                     {"orphan", row.orphan},
                     {"critical", critical.count(span.span_id) != 0},
                     {"service", span.service},
                     {"host", span.host},
                     {"name", span.name},
                     {"kind", span.kind},
                     {"start_offset_us", span.start_us - origin},
                     {"duration_us", span.duration_us},
                     {"error", span.error},
                     {"status_message", span.status_message},
                     {"dropped", span.dropped},
                     {"drop_reason", span.drop_reason},
                     {"tags", span.tags},
                     {"events", std::move(events)}});
  }
  return {{"trace_id", journey.trace_id},
          {"frame_id", root_frame_id(journey)},
          {"start_us", origin},
          {"duration_us", journey_duration_us(journey)},
          {"span_count", journey.spans.size()},
          {"services", services},
          {"critical_path", path},
          {"errors", std::move(errors)},
          {"drops", std::move(drops)},
          {"spans", std::move(spans)}};
}

}  // namespace frame_tracking::jaeger
