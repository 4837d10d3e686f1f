// SPDX-License-Identifier: Apache-2.0
// Analysis report: text, Markdown and JSON renderings of an Analysis.
#include "jaeger/analysis_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace frame_tracking::jaeger {
namespace {

using nlohmann::ordered_json;

std::string fixed3(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string ms(std::int64_t us) { return fixed3(static_cast<double>(us) / 1000.0); }

double round3(double value) { return std::round(value * 1000.0) / 1000.0; }

std::string joined(const std::vector<std::string>& items, const char* separator = ",") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

/// One section of the report: a title with its count, and a table (or a line saying there is nothing).
struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Printed instead of the table when `rows` is empty ("" = omit the section).
  std::string empty_text = "none";
};

void render(const Table& table, ReportFormat format, std::string& out) {
  if (table.rows.empty() && table.empty_text.empty()) return;
  if (format == ReportFormat::kMarkdown) {
    out += "\n## " + table.title + "\n\n";
    if (table.rows.empty()) {
      out += table.empty_text + "\n";
      return;
    }
    out += "| " + joined(table.header, " | ") + " |\n|";
    for (std::size_t i = 0; i < table.header.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& row : table.rows) out += "| " + joined(row, " | ") + " |\n";
    return;
  }
  out += "\n" + table.title + (table.rows.empty() ? ": " + table.empty_text + "\n" : "\n");
  if (table.rows.empty()) return;
  std::vector<std::size_t> widths(table.header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  };
  measure(table.header);
  for (const auto& row : table.rows) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string text = " ";
    for (std::size_t i = 0; i < row.size(); ++i)
      text += (i == 0 ? " " : "  ") + (i + 1 == row.size() ? row[i] : row[i] + std::string(widths[i] - row[i].size(), ' '));
    out += text + "\n";
  };
  line(table.header);
  for (const auto& row : table.rows) line(row);
}

std::string counted(const std::string& title, std::size_t count, std::size_t listed) {
  std::string text = title + " (" + std::to_string(count);
  if (listed < count) text += ", first " + std::to_string(listed) + " listed";
  return text + ")";
}

}  // namespace

std::string render_analysis(const Analysis& a, ReportFormat format) {
  std::string out;
  const std::string coverage = a.coverage_percent ? fixed3(*a.coverage_percent) + " %" : std::string("n/a (no frame to complete)");
  if (format == ReportFormat::kMarkdown) out += "# Trace analysis\n\n";
  const std::string bullet = format == ReportFormat::kMarkdown ? "- " : "";
  out += bullet + "frames: " + std::to_string(a.frames) + " (complete " + std::to_string(a.complete) + ", dropped " +
         std::to_string(a.dropped) + ", incomplete " + std::to_string(a.incomplete) + "), " + std::to_string(a.spans) + " spans\n";
  out += bullet + "coverage: " + coverage + " of the frames not dropped have every stage of " + joined(a.expect) + "\n";

  std::vector<Table> tables;
  Table incomplete{counted("incomplete frames", a.incomplete, a.incomplete_frames.size()), {"FRAME", "MISSING STAGES"}, {}};
  for (const auto& f : a.incomplete_frames) incomplete.rows.push_back({f.frame_id, joined(f.names)});
  tables.push_back(std::move(incomplete));
  Table orphans{counted("orphan spans", a.orphan_count, a.orphans.size()), {"FRAME", "SPAN", "SERVICE", "MISSING PARENT"}, {}};
  for (const auto& s : a.orphans) orphans.rows.push_back({s.frame_id, s.name, s.service, s.detail});
  tables.push_back(std::move(orphans));
  Table roots{counted("traces with several roots", a.multi_root_count, a.multi_root.size()), {"FRAME", "ROOTS"}, {}};
  for (const auto& f : a.multi_root) roots.rows.push_back({f.frame_id, joined(f.names)});
  tables.push_back(std::move(roots));
  Table skew{counted("clock skew", a.skew_count, a.skew_count) + " by host pair", {"PARENT HOST", "CHILD HOST", "SPANS", "MAX SKEW ms"}, {}};
  for (const auto& p : a.skew_by_host_pair) skew.rows.push_back({p.parent_host, p.child_host, std::to_string(p.spans), ms(p.max_skew_us)});
  tables.push_back(std::move(skew));
  Table skewed{counted("skewed spans", a.skew_count, a.skewed.size()), {"FRAME", "SPAN", "PARENT", "SKEW", "BY ms"}, {}, ""};
  for (const auto& s : a.skewed) skewed.rows.push_back({s.frame_id, s.name, s.parent_name, s.detail, ms(s.skew_us)});
  tables.push_back(std::move(skewed));
  Table no_id{counted("spans without frame.id", a.missing_frame_id_count, a.missing_frame_id.size()), {"FRAME", "SPAN", "SERVICE"}, {}};
  for (const auto& s : a.missing_frame_id) no_id.rows.push_back({s.frame_id, s.name, s.service});
  tables.push_back(std::move(no_id));
  Table stages{"per stage (ms)", {"STAGE", "SPANS", "P50", "P95", "P99"}, {}};
  for (const auto& s : a.stages) stages.rows.push_back({s.stage, std::to_string(s.count), fixed3(s.p50_ms), fixed3(s.p95_ms), fixed3(s.p99_ms)});
  tables.push_back(std::move(stages));
  Table slowest{"slowest frames", {"FRAME", "DURATION ms", "SLOWEST STAGE", "SELF ms"}, {}};
  for (const auto& f : a.slowest)
    slowest.rows.push_back({f.frame_id, ms(f.duration_us), f.slowest_stage.empty() ? "-" : f.slowest_stage, ms(f.slowest_stage_self_us)});
  tables.push_back(std::move(slowest));
  Table errors{counted("frames with errors", a.error_frames, a.error_frames) + ", error spans", {"FRAME", "SPAN", "SERVICE", "MESSAGE"}, {}};
  for (const auto& s : a.errors) errors.rows.push_back({s.frame_id, s.name, s.service, s.detail});
  tables.push_back(std::move(errors));
  Table drops{counted("dropped frames", a.dropped, a.dropped) + " by reason", {"REASON", "FRAMES"}, {}};
  for (const auto& [reason, count] : a.drops_by_reason) drops.rows.push_back({reason, std::to_string(count)});
  tables.push_back(std::move(drops));
  if (a.tracer_spans_dropped) {
    Table tracer{"spans the tracers report dropped (frame_tracking_tracer_spans_dropped_total)", {"REASON", "SPANS"}, {}};
    for (const auto& [reason, count] : *a.tracer_spans_dropped) tracer.rows.push_back({reason, fixed3(count)});
    tables.push_back(std::move(tracer));
  }
  Table warnings{"warnings", {"WARNING"}, {}, ""};
  for (const auto& w : a.warnings) warnings.rows.push_back({w});
  tables.push_back(std::move(warnings));
  for (const Table& table : tables) render(table, format, out);
  return out;
}

ordered_json analysis_json(const Analysis& a) {
  auto span_list = [](const std::vector<SpanFinding>& spans, const char* detail) {
    ordered_json list = ordered_json::array();
    for (const auto& s : spans) {
      ordered_json item{{"trace_id", s.trace_id}, {"frame_id", s.frame_id}, {"span_id", s.span_id}, {"name", s.name}, {"service", s.service}};
      if (detail != nullptr) item[detail] = s.detail;
      list.push_back(std::move(item));
    }
    return list;
  };
  ordered_json incomplete = ordered_json::array(), multi_root = ordered_json::array(), pairs = ordered_json::array(),
               skewed = ordered_json::array(), stages = ordered_json::array(), slowest = ordered_json::array();
  for (const auto& f : a.incomplete_frames) incomplete.push_back({{"trace_id", f.trace_id}, {"frame_id", f.frame_id}, {"missing", f.names}});
  for (const auto& f : a.multi_root) multi_root.push_back({{"trace_id", f.trace_id}, {"frame_id", f.frame_id}, {"roots", f.names}});
  for (const auto& p : a.skew_by_host_pair)
    pairs.push_back({{"parent_host", p.parent_host}, {"child_host", p.child_host}, {"spans", p.spans}, {"max_skew_us", p.max_skew_us}});
  for (const auto& s : a.skewed)
    skewed.push_back({{"trace_id", s.trace_id}, {"frame_id", s.frame_id}, {"span_id", s.span_id}, {"name", s.name},
                      {"parent_name", s.parent_name}, {"parent_host", s.parent_host}, {"child_host", s.child_host},
                      {"kind", s.detail}, {"skew_us", s.skew_us}});
  for (const auto& s : a.stages)
    stages.push_back({{"stage", s.stage}, {"count", s.count}, {"p50_ms", s.p50_ms}, {"p95_ms", s.p95_ms}, {"p99_ms", s.p99_ms}});
  for (const auto& f : a.slowest)
    slowest.push_back({{"trace_id", f.trace_id}, {"frame_id", f.frame_id}, {"duration_us", f.duration_us},
                       {"slowest_stage", f.slowest_stage}, {"slowest_stage_self_us", f.slowest_stage_self_us}});
  ordered_json tracer = nullptr;
  if (a.tracer_spans_dropped) tracer = *a.tracer_spans_dropped;
  return {{"expect", a.expect},
          {"frames",
           {{"total", a.frames},
            {"complete", a.complete},
            {"dropped", a.dropped},
            {"incomplete", a.incomplete},
            {"coverage_percent", a.coverage_percent ? ordered_json(round3(*a.coverage_percent)) : ordered_json(nullptr)}}},
          {"spans", a.spans},
          {"incomplete", {{"count", a.incomplete}, {"frames", std::move(incomplete)}}},
          {"orphans", {{"count", a.orphan_count}, {"spans", span_list(a.orphans, "parent_id")}}},
          {"multi_root", {{"count", a.multi_root_count}, {"traces", std::move(multi_root)}}},
          {"clock_skew", {{"count", a.skew_count}, {"host_pairs", std::move(pairs)}, {"spans", std::move(skewed)}}},
          {"missing_frame_id", {{"count", a.missing_frame_id_count}, {"spans", span_list(a.missing_frame_id, nullptr)}}},
          {"stages", std::move(stages)},
          {"slowest", std::move(slowest)},
          {"errors", {{"frames", a.error_frames}, {"spans", span_list(a.errors, "message")}}},
          {"drops", {{"frames", a.dropped}, {"by_reason", a.drops_by_reason}, {"spans", span_list(a.drops, "reason")}}},
          {"tracer_spans_dropped", std::move(tracer)},
          {"warnings", a.warnings}};
}

}  // namespace frame_tracking::jaeger
