// SPDX-License-Identifier: Apache-2.0
// Conversion of non-owning attribute views to owning values.
#include "frame_tracking/attribute.hpp"

#include <type_traits>

namespace frame_tracking {

AttributeValue to_owned(const AttributeValueView& view) {
  return std::visit(
      [](const auto& v) -> AttributeValue {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          return std::string(v);
        } else if constexpr (std::is_same_v<T, std::span<const std::string_view>>) {
          return std::vector<std::string>(v.begin(), v.end());
        } else if constexpr (std::is_same_v<T, std::span<const bool>>) {
          return std::vector<bool>(v.begin(), v.end());
        } else if constexpr (std::is_same_v<T, std::span<const std::int64_t>>) {
          return std::vector<std::int64_t>(v.begin(), v.end());
        } else if constexpr (std::is_same_v<T, std::span<const double>>) {
          return std::vector<double>(v.begin(), v.end());
        } else {
          return v;
        }
      },
      view);
}

}  // namespace frame_tracking
