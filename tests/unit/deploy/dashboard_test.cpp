// SPDX-License-Identifier: Apache-2.0
// Structural checks of dashboards/frame-tracking.json: identity, variables, panel ids and layout, data source
// references, Jaeger queries our service answers, and data-link URLs.
#include "dashboard_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace frame_tracking::dashboard {
namespace {

const std::string kDashboardPath = std::string(FT_SOURCE_DIR) + "/dashboards/frame-tracking.json";

/// Grafana's built-in variables the dashboard may use.
const std::set<std::string> kBuiltIns{"__rate_interval", "__interval", "__range", "__value", "__url_time_range",
                                      "__data", "__field", "__series"};

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dashboard_ = load_dashboard(kDashboardPath);
    ASSERT_TRUE(dashboard_.is_object()) << kDashboardPath << " is not a JSON object";
    for (const auto& variable : dashboard_["templating"]["list"]) variables_[variable["name"].get<std::string>()] = variable;
  }

  const json* variable(const std::string& name) const {
    auto it = variables_.find(name);
    return it == variables_.end() ? nullptr : &it->second;
  }

  /// A data source reference must be {"type": T, "uid": "${v}"} where v is a datasource variable of plugin T.
  void expect_datasource_variable(const json& ref, const std::string& where) const {
    ASSERT_TRUE(ref.is_object()) << where << ": no datasource reference";
    const std::string type = ref.value("type", "");
    const std::string uid = ref.value("uid", "");
    const auto refs = variable_references(uid);
    ASSERT_EQ(refs.size(), 1U) << where << ": uid '" << uid << "' is not a variable";
    EXPECT_EQ(uid, "${" + refs[0].name + "}") << where;
    const json* declared = variable(refs[0].name);
    ASSERT_NE(declared, nullptr) << where << ": variable '" << refs[0].name << "' is not declared";
    EXPECT_EQ(declared->value("type", ""), "datasource") << where;
    EXPECT_EQ(declared->value("query", ""), type) << where << ": variable " << refs[0].name << " selects another plugin";
  }

  json dashboard_;
  std::map<std::string, json> variables_;
};

TEST_F(DashboardTest, IdentityAndSchema) {
  EXPECT_EQ(dashboard_["uid"], "frame-tracking");
  EXPECT_EQ(dashboard_["title"], "Frame journey");
  EXPECT_EQ(dashboard_["schemaVersion"], 41);
  EXPECT_FALSE(dashboard_.contains("id")) << "a provisioned dashboard carries no database id";
}

TEST_F(DashboardTest, TemplateVariables) {
  std::vector<std::pair<std::string, std::string>> declared;
  for (const auto& v : dashboard_["templating"]["list"]) declared.emplace_back(v["name"], v["type"]);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"prometheus", "datasource"}, {"jaeger", "datasource"},      {"camera", "query"},  {"stage", "query"},
      {"trace_service", "custom"},  {"min_duration", "textbox"}, {"frame_id", "textbox"}};
  EXPECT_EQ(declared, expected);
  EXPECT_EQ((*variable("prometheus"))["query"], "prometheus");
  EXPECT_EQ((*variable("jaeger"))["query"], "jaeger");
  EXPECT_EQ((*variable("camera"))["definition"], "label_values(frames_total, camera_id)");
  EXPECT_EQ((*variable("camera"))["query"]["query"], "label_values(frames_total, camera_id)");
  EXPECT_EQ((*variable("stage"))["definition"], "label_values(frame_processing_duration_seconds_count, stage)");
  for (const char* name : {"camera", "stage"}) {
    expect_datasource_variable((*variable(name))["datasource"], std::string("variable ") + name);
    EXPECT_EQ((*variable(name))["allValue"], ".*") << name << ": All must be a regex for =~";
  }
  // The search's minDuration is a Go duration (the service answers 400 to anything else).
  EXPECT_TRUE(std::regex_match((*variable("min_duration"))["query"].get<std::string>(),
                               std::regex(R"(([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)")));
}

TEST_F(DashboardTest, PanelsInOrderWithUniqueIds) {
  std::vector<std::string> titles;
  std::set<int> ids;
  for (const json* panel : all_panels(dashboard_)) {
    ASSERT_TRUE(panel->contains("id")) << panel->value("title", "");
    EXPECT_TRUE(ids.insert((*panel)["id"].get<int>()).second) << "duplicate panel id " << (*panel)["id"];
    titles.push_back((*panel)["type"].get<std::string>() + ": " + (*panel)["title"].get<std::string>());
  }
  const std::vector<std::string> expected{
      "row: Frames",
      "stat: Frames stored per second",
      "stat: Frame loss (5 min)",
      "stat: End-to-end p95",
      "stat: Largest queue backlog",
      "timeseries: Throughput by camera",
      "timeseries: Drops by reason",
      "timeseries: Stage latency p50 / p95 / p99",
      "timeseries: End-to-end latency p50 / p95 / p99",
      "row: Queues",
      "timeseries: Consumer lag",
      "timeseries: Messages sent and received",
      "row: Tracing health",
      "timeseries: Spans started, exported and dropped",
      "timeseries: Export failures",
      "timeseries: Span queue fill ratio",
      "row: Span metrics (derived by the service from the spans it receives)",
      "timeseries: Span rate by service and operation",
      "timeseries: Span duration p95 by service and operation",
      "row: Traces",
      "table: Slowest frames",
      "traces: Frame journey",
  };
  EXPECT_EQ(titles, expected);
}

TEST_F(DashboardTest, EveryDatasourceReferenceIsAVariable) {
  for (const json* panel : all_panels(dashboard_)) {
    const std::string where = "panel " + std::to_string((*panel)["id"].get<int>());
    if ((*panel)["type"] == "row") {
      EXPECT_FALSE(panel->contains("datasource")) << where;
      EXPECT_FALSE(panel->contains("targets")) << where;
      continue;
    }
    expect_datasource_variable(panel->value("datasource", json()), where);
    EXPECT_FALSE(panel->value("targets", json::array()).empty()) << where << " has no query";
  }
  for (const Target& t : all_targets(dashboard_)) {
    ASSERT_TRUE(t.target->contains("datasource")) << "panel " << t.panel_id << " target " << (*t.target)["refId"];
    expect_datasource_variable(t.datasource, "panel " + std::to_string(t.panel_id) + " target " +
                                                 t.target->value("refId", ""));
  }
  // Variables that query Prometheus use the variable too.
  for (const auto& [name, v] : variables_)
    if (v.contains("datasource")) expect_datasource_variable(v["datasource"], "variable " + name);
}

TEST_F(DashboardTest, JaegerQueriesUseEndpointsTheServiceServes) {
  // src/service/service.cpp serves GET /api/traces (search), GET /api/traces/{id} (trace id; a FrameId is
  // accepted as id) and GET /api/dependencies (dependencyGraph). "upload" never reaches a server.
  std::vector<std::string> kinds;
  for (const Target& t : all_targets(dashboard_)) {
    if (t.datasource.value("type", "") != "jaeger") continue;
    const json& q = *t.target;
    const std::string type = q.value("queryType", "");
    if (type == "search") {
      kinds.push_back("search service=" + q.value("service", "") + " minDuration=" + q.value("minDuration", "") +
                      " limit=" + std::to_string(q.value("limit", 0)));
    } else if (type.empty()) {
      kinds.push_back("trace id " + q.value("query", ""));
    } else {
      EXPECT_EQ(type, "dependencyGraph") << "panel " << t.panel_id << ": the service does not serve " << type;
      kinds.push_back(type);
    }
  }
  const std::vector<std::string> expected{"search service=$trace_service minDuration=$min_duration limit=20",
                                          "trace id $frame_id"};
  EXPECT_EQ(kinds, expected);
  EXPECT_EQ((*variable("frame_id"))["type"], "textbox");
}

TEST_F(DashboardTest, EveryReferencedVariableIsDeclared) {
  const std::string text = dashboard_["panels"].dump();
  std::set<std::string> used;
  for (const auto& ref : variable_references(text)) used.insert(ref.name);
  for (const auto& name : used)
    EXPECT_TRUE(kBuiltIns.count(name) || variables_.count(name)) << "$" << name << " is neither declared nor built in";
  // Every declared variable is used by some panel.
  for (const auto& [name, v] : variables_) EXPECT_TRUE(used.count(name)) << "variable " << name << " is unused";
}

TEST_F(DashboardTest, GridPositionsInsideTheGridAndNonOverlapping) {
  struct Box {
    int id, x, y, w, h;
  };
  std::vector<Box> boxes;
  for (const auto& panel : dashboard_["panels"]) {
    const int id = panel["id"];
    ASSERT_TRUE(panel.contains("gridPos")) << "panel " << id;
    const json& g = panel["gridPos"];
    Box b{id, g.value("x", -1), g.value("y", -1), g.value("w", 0), g.value("h", 0)};
    EXPECT_GE(b.x, 0) << "panel " << id;
    EXPECT_GE(b.y, 0) << "panel " << id;
    EXPECT_GE(b.w, 1) << "panel " << id;
    EXPECT_GE(b.h, 1) << "panel " << id;
    EXPECT_LE(b.x + b.w, 24) << "panel " << id;
    if (panel["type"] == "row") {
      EXPECT_EQ(b.w, 24) << "row " << id;
      EXPECT_EQ(b.h, 1) << "row " << id;
    }
    boxes.push_back(b);
  }
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      const Box& a = boxes[i];
      const Box& b = boxes[j];
      const bool apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      EXPECT_TRUE(apart) << "panels " << a.id << " and " << b.id << " overlap";
    }
  }
}

/// Every `links` array below `node` (data links of fields, overrides and panels).
void collect_links(const json& node, std::vector<json>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "links" && value.is_array()) {
        for (const auto& link : value) out.push_back(link);
      } else if (key == "value" && node.value("id", "") == "links" && value.is_array()) {
        for (const auto& link : value) out.push_back(link);
      } else {
        collect_links(value, out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_links(item, out);
  }
}

TEST_F(DashboardTest, DataLinksAreWellFormed) {
  std::vector<json> links;
  collect_links(dashboard_["panels"], links);
  ASSERT_EQ(links.size(), 1U);
  for (const json& link : links) {
    const std::string url = link.value("url", "");
    EXPECT_FALSE(link.value("title", "").empty()) << url;
    // A path on this Grafana or an absolute http(s) URL; no spaces; every ${ closed.
    EXPECT_TRUE(std::regex_match(url, std::regex(R"((/|https?://)[^\s]*)"))) << url;
    EXPECT_EQ(std::count(url.begin(), url.end(), '{'), std::count(url.begin(), url.end(), '}')) << url;
    for (const auto& ref : variable_references(url)) {
      EXPECT_TRUE(kBuiltIns.count(ref.name) || variables_.count(ref.name)) << url << ": $" << ref.name;
      EXPECT_TRUE(ref.format.empty() || ref.format == "queryparam" || ref.format == "raw") << url << ": " << ref.format;
    }
  }
  // The slowest-frames link opens this dashboard on the clicked trace (a trace id is a frame id).
  EXPECT_EQ(links[0]["url"],
            "/d/frame-tracking/frame-journey?${__url_time_range}&${prometheus:queryparam}&${jaeger:queryparam}"
            "&var-frame_id=${__value.raw}");
}

TEST_F(DashboardTest, PrometheusExpressionsUseOnlyKnownVariables) {
  std::size_t count = 0;
  for (const Target& t : all_targets(dashboard_)) {
    if (t.datasource.value("type", "") != "prometheus") continue;
    ++count;
    const std::string expr = t.target->value("expr", "");
    EXPECT_FALSE(expr.empty()) << "panel " << t.panel_id;
    const std::string substituted =
        substitute(expr, {{"camera", "cam-1"}, {"stage", "decode"}, {"__rate_interval", "1m"}});
    EXPECT_EQ(substituted.find('$'), std::string::npos) << "panel " << t.panel_id << ": " << substituted;
  }
  EXPECT_EQ(count, 23U);
}

TEST(DashboardModel, VariableReferencesInAllThreeSyntaxes) {
  const auto refs = variable_references("a $camera [[stage:csv]] ${prometheus:queryparam} ${__value.raw} ${x}");
  ASSERT_EQ(refs.size(), 5U);
  EXPECT_EQ(refs[0].name, "camera");
  EXPECT_EQ(refs[1].name, "stage");
  EXPECT_EQ(refs[1].format, "csv");
  EXPECT_EQ(refs[2].name, "prometheus");
  EXPECT_EQ(refs[2].format, "queryparam");
  EXPECT_EQ(refs[3].name, "__value");
  EXPECT_EQ(refs[3].path, "raw");
  EXPECT_EQ(refs[4].name, "x");
  EXPECT_EQ(substitute(R"(rate(x{camera_id=~"$camera"}[$__rate_interval]) ${other})", {{"camera", "c1"}, {"__rate_interval", "1m"}}),
            R"(rate(x{camera_id=~"c1"}[1m]) ${other})");
}

}  // namespace
}  // namespace frame_tracking::dashboard
