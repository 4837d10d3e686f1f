// SPDX-License-Identifier: Apache-2.0
// Resource: the SDK default resource, OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, merging.
#include "frame_tracking/resource.hpp"
#include "frame_tracking/percent_encoding.hpp"

#include "frame_tracking/diagnostics.hpp"
#include "frame_tracking/id_generator.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <optional>

#ifndef FRAME_TRACKING_VERSION
#define FRAME_TRACKING_VERSION "0.0.0"
#endif

namespace frame_tracking {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses OTEL_RESOURCE_ATTRIBUTES ("k1=v1,k2=v2", percent-encoded); on error returns the rule broken.
std::optional<std::vector<Attribute>> parse_resource_attributes(std::string_view text, std::string& error) {
  std::vector<Attribute> out;
  std::size_t member = 0;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    ++member;
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      error = "member " + std::to_string(member) + " has no '='";
      return std::nullopt;
    }
    auto key = percent_decode(trim(item.substr(0, eq)));
    auto value = percent_decode(trim(item.substr(eq + 1)));
    if (!key || !value) {
      error = "member " + std::to_string(member) + " has an invalid percent-encoding";
      return std::nullopt;
    }
    if (key->empty()) {
      error = "member " + std::to_string(member) + " has an empty key";
      return std::nullopt;
    }
    out.push_back({std::move(*key), std::move(*value)});
  }
  return out;
}

std::string random_uuid_v4() {
  unsigned char b[16];
  secure_random_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

std::string executable_name() {
  const char* name = program_invocation_short_name;
  return name != nullptr ? name : "";
}

void set_or_append(std::vector<Attribute>& attributes, Attribute attribute) {
  for (auto& a : attributes) {
    if (a.key == attribute.key) {
      a.value = std::move(attribute.value);
      return;
    }
  }
  attributes.push_back(std::move(attribute));
}

}  // namespace

Resource::Resource(std::vector<Attribute> attributes, std::string schema_url)
    : attributes_(std::move(attributes)), schema_url_(std::move(schema_url)) {}

Resource Resource::create(std::vector<Attribute> overrides, const EnvLookup& env, std::vector<std::string>* warnings) {
  auto warn = [warnings](std::string message) {
    if (warnings != nullptr) warnings->push_back(std::move(message));
    else log_diagnostic(LogLevel::kWarning, message);
  };
  std::string exe = executable_name();
  std::vector<Attribute> attributes{
      {"service.name", exe.empty() ? std::string("unknown_service") : "unknown_service:" + exe},
      {"service.instance.id", random_uuid_v4()},
      {"host.name", host_name()},
      {"process.pid", static_cast<std::int64_t>(getpid())},
      {"telemetry.sdk.language", std::string("cpp")},
      {"telemetry.sdk.name", std::string("frame-tracking")},
      {"telemetry.sdk.version", std::string(FRAME_TRACKING_VERSION)},
  };
  if (auto text = env("OTEL_RESOURCE_ATTRIBUTES"); text && !text->empty()) {
    std::string error;
    if (auto parsed = parse_resource_attributes(*text, error)) {
      for (auto& a : *parsed) set_or_append(attributes, std::move(a));
    } else {
      warn("OTEL_RESOURCE_ATTRIBUTES=\"" + *text + "\" is malformed (" + error + "); ignoring the whole variable");
    }
  }
  if (auto name = env("OTEL_SERVICE_NAME"); name && !name->empty()) {
    set_or_append(attributes, {"service.name", *name});
  }
  for (auto& a : overrides) set_or_append(attributes, std::move(a));
  return Resource(std::move(attributes));
}

Resource Resource::merge(const Resource& other) const {
  std::vector<Attribute> attributes = attributes_;
  for (const auto& a : other.attributes_) set_or_append(attributes, a);
  return Resource(std::move(attributes), other.schema_url_.empty() ? schema_url_ : other.schema_url_);
}

const AttributeValue* Resource::find(std::string_view key) const noexcept {
  for (const auto& a : attributes_) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

std::string Resource::service_name() const {
  const AttributeValue* v = find("service.name");
  if (v == nullptr) return {};
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return {};
}

}  // namespace frame_tracking
