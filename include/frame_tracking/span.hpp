// SPDX-License-Identifier: Apache-2.0
// Span: the RAII handle of one operation being traced; ends the span when it goes out of scope.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/api/#span
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/span_data.hpp"
#include "frame_tracking/trace_context.hpp"

#include <concepts>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace frame_tracking {

namespace detail {
struct ProviderState;
}

/// A started span. Move-only; thread-compatible (one owner at a time: it may move with a frame
/// to another thread, but is not used from two threads at once). Every method is noexcept and
/// never blocks; on a recording span they write into the span's preallocated record (no heap
/// allocation while the record's 1 KiB inline arena suffices).
///
/// A span that is not recording (sampled out, SDK disabled, provider shut down, or already ended)
/// still has a context() to propagate, and ignores every other call at the cost of one branch.
/// The destructor ends the span if end() was not called. The TracerProvider that made the span
/// must outlive it.
class Span {
 public:
  /// A non-recording span with an invalid context.
  Span() noexcept = default;
  Span(Span&& other) noexcept;
  /// Ends this span (if recording), then takes over `other`.
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { end(); }

  /// The span's identity, valid after end() too (invalid only for a default-constructed span or a
  /// non-recording span without a parent under a disabled SDK).
  const SpanContext& context() const noexcept { return context_; }
  /// True until end() for a span the sampler chose to record.
  bool is_recording() const noexcept { return data_ != nullptr; }

  /// Sets (or overwrites) attribute `key`. Beyond the span's attribute count limit new keys are
  /// discarded and counted; strings longer than the value length limit are truncated.
  void set_attribute(std::string_view key, const AttributeValueView& value) noexcept {
    if (data_) record_attribute(key, value);
  }
  void set_attribute(std::string_view key, bool value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{value});
  }
  void set_attribute(std::string_view key, double value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{value});
  }
  void set_attribute(std::string_view key, std::string_view value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{value});
  }
  void set_attribute(std::string_view key, const char* value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{std::string_view(value)});
  }
  void set_attribute(std::string_view key, const std::string& value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{std::string_view(value)});
  }
  /// Any integer type is stored as int64 (unsigned values above INT64_MAX wrap).
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void set_attribute(std::string_view key, T value) noexcept {
    if (data_) record_attribute(key, AttributeValueView{static_cast<std::int64_t>(value)});
  }
  /// Sets several attributes in order.
  void set_attributes(std::span<const AttributeView> attributes) noexcept;

  /// Adds an event at `time_unix_ns` (default: now). Beyond the event limit it is counted as dropped.
  void add_event(std::string_view name, std::span<const AttributeView> attributes = {},
                 std::optional<std::uint64_t> time_unix_ns = std::nullopt) noexcept;
  /// Adds a link to `context` (ignored when the context is invalid).
  void add_link(const SpanContext& context, std::span<const AttributeView> attributes = {}) noexcept;

  /// Sets the status. kUnset is ignored; kOk is final; the description is kept only for kError.
  void set_status(StatusCode code, std::string_view description = {}) noexcept;
  /// Adds the OTel "exception" event with exception.type (the demangled dynamic type),
  /// exception.message (what()) and `attributes`. Does not change the status.
  void record_exception(const std::exception& exception, std::span<const AttributeView> attributes = {}) noexcept;
  /// Adds the "exception" event with the given type and message.
  void record_exception(std::string_view type, std::string_view message,
                        std::span<const AttributeView> attributes = {}) noexcept;
  /// Replaces the span name.
  void update_name(std::string_view name) noexcept;

  /// Ends the span and hands its record to the processors; later calls do nothing. The end time
  /// defaults to start + the elapsed monotonic time (never before the start, whatever the wall
  /// clock does); an explicit `end_time_unix_ns` is used as given.
  void end(std::optional<std::uint64_t> end_time_unix_ns = std::nullopt) noexcept {
    if (data_) finish(end_time_unix_ns);
  }

  /// Read access to the record while recording (for processors and tests); null otherwise.
  const SpanData* data() const noexcept { return data_.get(); }

 private:
  friend class Tracer;
  /// Now on the span's timeline (requires data_).
  std::uint64_t now_unix_ns() const noexcept;
  void record_attribute(std::string_view key, const AttributeValueView& value) noexcept;
  void finish(std::optional<std::uint64_t> end_time_unix_ns) noexcept;
  detail::ProviderState* state_ = nullptr;
  SpanDataPtr data_;
  SpanContext context_;
  std::uint64_t start_steady_ns_ = 0;  // 0: explicit start time, end reads the wall clock
};

}  // namespace frame_tracking
