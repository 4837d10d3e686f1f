// SPDX-License-Identifier: Apache-2.0
// Resource: the attributes of the entity producing spans (service.name, host.name, …) and the
// instrumentation scope (the library or component that recorded a span).
// Spec: https://opentelemetry.io/docs/specs/otel/resource/sdk/
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/environment.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// Immutable set of resource attributes. Thread-safe to read.
class Resource {
 public:
  Resource() = default;
  explicit Resource(std::vector<Attribute> attributes, std::string schema_url = {});

  /// The SDK default resource merged with the environment: telemetry.sdk.{name,language,version},
  /// service.name (OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES, else
  /// `unknown_service:<executable>`), service.instance.id (random UUID), host.name, process.pid,
  /// then `overrides` on top (e.g. a service name given in code). A malformed
  /// OTEL_RESOURCE_ATTRIBUTES is discarded whole with one warning naming the variable.
  /// `env` is where OTEL_* variables are read (default: the process environment); warnings go to
  /// `*warnings` if given, else to the diagnostics log (log_diagnostic).
  /// Attribute order: service.name, service.instance.id, host.name, process.pid,
  /// telemetry.sdk.language, telemetry.sdk.name, telemetry.sdk.version, then new keys from the
  /// environment, then new keys from `overrides`.
  static Resource create(std::vector<Attribute> overrides = {}, const EnvLookup& env = process_environment(),
                         std::vector<std::string>* warnings = nullptr);

  /// A resource holding this one's attributes overwritten by `other`'s where keys collide.
  Resource merge(const Resource& other) const;

  const std::vector<Attribute>& attributes() const noexcept { return attributes_; }
  const std::string& schema_url() const noexcept { return schema_url_; }
  /// The attribute `key`, if present.
  const AttributeValue* find(std::string_view key) const noexcept;
  /// `service.name` as a string ("" if absent).
  std::string service_name() const;

 private:
  std::vector<Attribute> attributes_;
  std::string schema_url_;
};

/// The instrumentation scope (OTel InstrumentationScope): name, version, schema URL, attributes.
struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
  std::vector<Attribute> attributes;
};

}  // namespace frame_tracking
