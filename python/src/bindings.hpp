// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the Python extension: owners that keep a TracerProvider alive, attribute conversion.
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/frame_tracker.hpp"
#include "frame_tracking/in_memory_span_exporter.hpp"
#include "frame_tracking/span.hpp"
#include "frame_tracking/tracer.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <pybind11/pybind11.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace frame_tracking::python {

namespace py = pybind11;

/// Owns a TracerProvider for Python. Every Python object that points into the provider (Tracer,
/// Span, Frame, FrameTracker, transports) holds a shared_ptr to it, so the provider outlives them
/// whatever order Python frees them in. The destructor shuts the provider down with the GIL
/// released (its exporter thread may take up to 5 s to flush).
struct ProviderOwner {
  std::unique_ptr<TracerProvider> provider;
  /// Set for TracerProvider.in_memory(): where its exporter keeps the finished spans.
  std::shared_ptr<InMemorySpanStore> memory;
  ~ProviderOwner();
};

using ProviderRef = std::shared_ptr<ProviderOwner>;

/// A Tracer and the provider it points into.
struct PyTracer {
  ProviderRef owner;
  Tracer tracer;
};

/// A Span and the provider it points into (declared first, so the span ends before the provider goes).
struct PySpan {
  ProviderRef owner;
  Span span;
};

/// A FrameTracker and the provider it points into.
struct PyFrameTracker {
  ProviderRef owner;
  FrameTracker tracker;
};

/// A Frame and the provider it points into.
struct PyFrame {
  ProviderRef owner;
  Frame frame;
};

/// Attributes converted from a Python mapping: owned copies and the views the C++ API takes.
/// Values: bool, int (int64), float, str, or a list/tuple of one of those types.
/// Errors: TypeError naming the key for any other value (or a mixed list); OverflowError for an
/// int outside int64.
class Attributes {
 public:
  Attributes() = default;
  explicit Attributes(const py::object& mapping);
  Attributes(const Attributes&) = delete;
  Attributes& operator=(const Attributes&) = delete;

  /// Appends one attribute (same rules as the mapping constructor).
  void add(std::string key, const py::handle& value);
  std::span<const AttributeView> views() const noexcept { return views_; }

 private:
  std::deque<std::string> strings_;
  std::deque<std::vector<std::string_view>> string_arrays_;
  std::deque<std::unique_ptr<bool[]>> bool_arrays_;
  std::deque<std::vector<std::int64_t>> int_arrays_;
  std::deque<std::vector<double>> double_arrays_;
  std::vector<AttributeView> views_;
};

/// The Python value of an attribute view (bool, int, float, str or list).
py::object to_python(const AttributeValueView& value);

/// The span context of a parent/link argument: TraceContext, SpanContext, Span or Frame
/// (TypeError otherwise).
SpanContext span_context_arg(const py::handle& value);

/// Raises ValueError with the error's message (the field and the rule it broke).
[[noreturn]] void raise_value_error(const Error& error);

void bind_ids(py::module_& m);
void bind_context(py::module_& m);
void bind_tracing(py::module_& m);
void bind_redis(py::module_& m);

}  // namespace frame_tracking::python
