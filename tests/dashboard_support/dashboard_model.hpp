// SPDX-License-Identifier: Apache-2.0
// Reading the Grafana dashboard JSON in tests: panels (rows flattened), targets, template variable references.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace frame_tracking::dashboard {

using nlohmann::json;

/// dashboards/frame-tracking.json of the source tree (FT_SOURCE_DIR), parsed; a discarded value when unreadable.
inline json load_dashboard(const std::string& path) {
  std::ifstream file(path);
  return json::parse(file, nullptr, false);
}

/// Every panel, with the panels nested in collapsed rows after their row. Pointers into `dashboard`, which
/// must outlive them.
inline std::vector<const json*> all_panels(const json& dashboard) {
  std::vector<const json*> out;
  if (!dashboard.contains("panels")) return out;
  for (const auto& panel : dashboard["panels"]) {
    out.push_back(&panel);
    if (panel.contains("panels"))
      for (const auto& nested : panel["panels"]) out.push_back(&nested);
  }
  return out;
}

/// One query of one panel, with the data source reference that applies to it (the target's own, else the panel's).
struct Target {
  int panel_id = 0;
  std::string panel_title;
  const json* target = nullptr;
  json datasource;
};

/// Every target of every panel, in panel order.
inline std::vector<Target> all_targets(const json& dashboard) {
  std::vector<Target> out;
  for (const json* panel : all_panels(dashboard)) {
    if (!panel->contains("targets")) continue;
    for (const auto& target : (*panel)["targets"]) {
      out.push_back({panel->value("id", 0), panel->value("title", ""), &target,
                     target.contains("datasource") ? target["datasource"] : panel->value("datasource", json())});
    }
  }
  return out;
}

/// A variable reference in Grafana's three syntaxes: `$name`, `[[name]]`, `${name}`, `${name.path}`,
/// `${name:format}` (the template service's regex: name is \w+).
struct VariableReference {
  std::string name;
  std::string path;
  std::string format;
};

/// The variable references in `text`, in order.
inline std::vector<VariableReference> variable_references(const std::string& text) {
  static const std::regex pattern(R"(\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:}]+))?(?::([^}]+))?\})");
  std::vector<VariableReference> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    if (m[1].matched) out.push_back({m[1].str(), "", ""});
    else if (m[2].matched) out.push_back({m[2].str(), "", m[3].str()});
    else out.push_back({m[4].str(), m[5].str(), m[6].str()});
  }
  return out;
}

/// `text` with every reference to a variable in `values` replaced by its value (formats ignored);
/// references to other variables are left as they are.
inline std::string substitute(const std::string& text, const std::map<std::string, std::string>& values) {
  static const std::regex pattern(R"(\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:}]+))?(?::([^}]+))?\})");
  std::string out;
  auto last = text.cbegin();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const std::string name = m[1].matched ? m[1].str() : m[2].matched ? m[2].str() : m[4].str();
    out.append(last, m[0].first);
    const auto found = values.find(name);
    out += found == values.end() ? m[0].str() : found->second;
    last = m[0].second;
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace frame_tracking::dashboard
