// SPDX-License-Identifier: Apache-2.0
// Result<T>: the value of a parser or factory, or an Error naming the field and the rule broken.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace frame_tracking {

/// The kind of defect an Error reports; the message says which field and which rule.
enum class ErrorCode : std::uint8_t {
  kInvalidInput,        ///< Text or value breaks the grammar or a range rule.
  kMissingField,        ///< A required field is absent.
  kWrongType,           ///< A field has the wrong JSON type.
  kUnsupportedVersion,  ///< A newer, incompatible version than this reader understands.
  kLimitExceeded,       ///< A size or count limit is exceeded.
};

/// An error value: a code and a human-readable message that names the field and the rule
/// (e.g. "traceparent: trace-id is all zeros"). Value type; thread-compatible.
struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;
  bool operator==(const Error&) const = default;
};

/// Either a T or an Error; the members mirror std::expected so this can become an alias later.
/// Accessing value() on an error (or error() on a value) is a programming error and throws
/// std::bad_variant_access. Value type; thread-compatible. T may be move-only.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace frame_tracking
