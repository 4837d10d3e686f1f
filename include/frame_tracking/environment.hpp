// SPDX-License-Identifier: Apache-2.0
// Environment lookup: how configuration code reads OTEL_* variables, injectable for tests.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace frame_tracking {

/// Returns the value of one environment variable, or an empty optional when it is unset.
/// Must be callable from the thread that builds the configuration (not used on the hot path).
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment (getenv). Thread-safe as far as getenv is (no concurrent setenv).
EnvLookup process_environment();

/// A fixed environment (for tests): `vars` is copied; names not in it are unset.
EnvLookup fixed_environment(std::map<std::string, std::string, std::less<>> vars);

}  // namespace frame_tracking
