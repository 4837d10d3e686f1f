// SPDX-License-Identifier: Apache-2.0
// Conversion of attribute values between Python objects and the core's AttributeView.
#include "bindings.hpp"

#include <pybind11/stl.h>

#include <type_traits>

namespace frame_tracking::python {
namespace {

std::string type_name(const py::handle& value) {
  return py::str(py::type::of(value).attr("__name__")).cast<std::string>();
}

std::int64_t to_int64(const std::string& key, const py::handle& value) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow != 0) throw py::value_error("attribute '" + key + "': integer does not fit in int64");
  if (v == -1 && PyErr_Occurred() != nullptr) throw py::error_already_set();
  return static_cast<std::int64_t>(v);
}

enum class Kind { kBool, kInt, kDouble, kString, kOther };

Kind kind_of(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return Kind::kBool;
  if (py::isinstance<py::int_>(value)) return Kind::kInt;
  if (py::isinstance<py::float_>(value)) return Kind::kDouble;
  if (py::isinstance<py::str>(value)) return Kind::kString;
  return Kind::kOther;
}

}  // namespace

Attributes::Attributes(const py::object& mapping) {
  if (mapping.is_none()) return;
  for (const auto& item : mapping.attr("items")()) {
    auto pair = item.cast<py::tuple>();
    if (!py::isinstance<py::str>(pair[0])) throw py::type_error("attribute keys must be str, got " + type_name(pair[0]));
    add(pair[0].cast<std::string>(), pair[1]);
  }
}

void Attributes::add(std::string key, const py::handle& value) {
  const std::string& k = strings_.emplace_back(std::move(key));
  switch (kind_of(value)) {
    case Kind::kBool: views_.push_back({k, value.cast<bool>()}); return;
    case Kind::kInt: views_.push_back({k, to_int64(k, value)}); return;
    case Kind::kDouble: views_.push_back({k, value.cast<double>()}); return;
    case Kind::kString: views_.push_back({k, std::string_view(strings_.emplace_back(value.cast<std::string>()))}); return;
    case Kind::kOther: break;
  }
  if (!py::isinstance<py::list>(value) && !py::isinstance<py::tuple>(value))
    throw py::type_error("attribute '" + k + "': expected bool, int, float, str or a list of one of those, got " +
                         type_name(value));
  auto items = py::reinterpret_borrow<py::sequence>(value);
  const Kind element = items.size() == 0 ? Kind::kString : kind_of(items[0]);
  for (const auto& item : items)
    if (kind_of(item) != element || element == Kind::kOther)
      throw py::type_error("attribute '" + k + "': a list must hold one type of bool, int, float or str");
  switch (element) {
    case Kind::kBool: {
      auto& array = bool_arrays_.emplace_back(std::make_unique<bool[]>(items.size()));
      for (std::size_t i = 0; i < items.size(); ++i) array[i] = items[i].cast<bool>();
      views_.push_back({k, std::span<const bool>(array.get(), items.size())});
      return;
    }
    case Kind::kInt: {
      auto& array = int_arrays_.emplace_back();
      for (const auto& item : items) array.push_back(to_int64(k, item));
      views_.push_back({k, std::span<const std::int64_t>(array)});
      return;
    }
    case Kind::kDouble: {
      auto& array = double_arrays_.emplace_back();
      for (const auto& item : items) array.push_back(item.cast<double>());
      views_.push_back({k, std::span<const double>(array)});
      return;
    }
    default: {
      auto& array = string_arrays_.emplace_back();
      for (const auto& item : items) array.emplace_back(strings_.emplace_back(item.cast<std::string>()));
      views_.push_back({k, std::span<const std::string_view>(array)});
      return;
    }
  }
}

py::object to_python(const AttributeValueView& value) {
  return std::visit(
      [](const auto& v) -> py::object {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return py::bool_(v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return py::int_(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return py::float_(v);
        } else if constexpr (std::is_same_v<T, std::string_view>) {
          return py::str(v.data(), v.size());
        } else {
          py::list out;
          for (const auto& item : v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(item)>, std::string_view>) {
              out.append(py::str(item.data(), item.size()));
            } else {
              out.append(py::cast(item));
            }
          }
          return out;
        }
      },
      value);
}

}  // namespace frame_tracking::python
