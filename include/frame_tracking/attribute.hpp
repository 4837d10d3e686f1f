// SPDX-License-Identifier: Apache-2.0
// Attribute values of the OpenTelemetry common model: bool, int64, double, string and arrays of those.
// Spec: https://opentelemetry.io/docs/specs/otel/common/#attribute
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace frame_tracking {

/// A non-owning attribute value: what span records hold (the bytes live in the record's arena) and
/// what callers pass in. Trivially copyable; valid only as long as the memory it points to.
/// Arrays are homogeneous, as the OTel attribute model requires.
using AttributeValueView =
    std::variant<bool, std::int64_t, double, std::string_view, std::span<const bool>,
                 std::span<const std::int64_t>, std::span<const double>, std::span<const std::string_view>>;

/// A non-owning key/value pair.
struct AttributeView {
  std::string_view key;
  AttributeValueView value;
};

/// An owning attribute value, for long-lived data (Resource, InstrumentationScope, test fixtures).
using AttributeValue = std::variant<bool, std::int64_t, double, std::string, std::vector<bool>,
                                    std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>>;

/// An owning key/value pair.
struct Attribute {
  std::string key;
  AttributeValue value;
  bool operator==(const Attribute&) const = default;
};

/// The owning form of a view (deep copy).
AttributeValue to_owned(const AttributeValueView& view);

}  // namespace frame_tracking
