// SPDX-License-Identifier: Apache-2.0
// Span: recording into the pooled record and hand-off to the processors at end().
#include "frame_tracking/span.hpp"

#include "clock.hpp"
#include "provider_state.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <typeinfo>
#include <utility>

namespace frame_tracking {

Span::Span(Span&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)),
      data_(std::move(other.data_)),
      context_(std::move(other.context_)),
      start_steady_ns_(other.start_steady_ns_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    state_ = std::exchange(other.state_, nullptr);
    data_ = std::move(other.data_);
    context_ = std::move(other.context_);
    start_steady_ns_ = other.start_steady_ns_;
  }
  return *this;
}

std::uint64_t Span::now_unix_ns() const noexcept {
  // On the span's own timeline (start + monotonic elapsed) when the start was measured here, so
  // events and the end can never precede the start whatever the wall clock does.
  if (start_steady_ns_ != 0) {
    // Clamped: a span that moved to another CPU may read a TSC a few ns behind the start's.
    const std::uint64_t now = detail::steady_ns();
    return data_->start_time_unix_ns + (now > start_steady_ns_ ? now - start_steady_ns_ : 0);
  }
  return std::max(detail::realtime_ns(), data_->start_time_unix_ns);
}

void Span::record_attribute(std::string_view key, const AttributeValueView& value) noexcept {
  data_->set_attribute(key, value, state_->limits.attribute_count, state_->limits.attribute_value_length);
}

void Span::set_attributes(std::span<const AttributeView> attributes) noexcept {
  if (!data_) return;
  for (const auto& a : attributes) record_attribute(a.key, a.value);
}

void Span::add_event(std::string_view name, std::span<const AttributeView> attributes,
                     std::optional<std::uint64_t> time_unix_ns) noexcept {
  if (!data_) return;
  data_->add_event(name, time_unix_ns ? *time_unix_ns : now_unix_ns(), attributes,
                   state_->limits.event_count, state_->limits.event_attribute_count);
}

void Span::add_link(const SpanContext& context, std::span<const AttributeView> attributes) noexcept {
  if (!data_ || !context.is_valid()) return;
  data_->add_link(context, attributes, state_->limits.link_count, state_->limits.link_attribute_count);
}

void Span::set_status(StatusCode code, std::string_view description) noexcept {
  if (!data_ || code == StatusCode::kUnset || data_->status_code == StatusCode::kOk) return;
  data_->status_code = code;
  data_->set_status_message(code == StatusCode::kError ? description : std::string_view{});
}

void Span::record_exception(const std::exception& exception, std::span<const AttributeView> attributes) noexcept {
  if (!data_) return;
  const char* mangled = typeid(exception).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  record_exception(status == 0 && demangled != nullptr ? demangled : mangled, exception.what(), attributes);
  std::free(demangled);
}

void Span::record_exception(std::string_view type, std::string_view message,
                            std::span<const AttributeView> attributes) noexcept {
  if (!data_) return;
  // exception.type, exception.message, then the caller's attributes (as many as fit the event limit).
  constexpr std::size_t kMaxExtra = 30;
  AttributeView all[2 + kMaxExtra];
  all[0] = {"exception.type", type};
  all[1] = {"exception.message", message};
  std::size_t extra = std::min(attributes.size(), kMaxExtra);
  std::copy_n(attributes.begin(), extra, all + 2);
  add_event("exception", std::span<const AttributeView>(all, 2 + extra));
}

void Span::update_name(std::string_view name) noexcept {
  if (data_) data_->set_name(name);
}

void Span::finish(std::optional<std::uint64_t> end_time_unix_ns) noexcept {
  std::uint64_t end = 0;
  if (end_time_unix_ns) {
    end = *end_time_unix_ns;
  } else {
    end = now_unix_ns();
  }
  data_->end_time_unix_ns = end;
  detail::ProviderState& state = *state_;
  state.spans_ended.add();
  auto& processors = state.processors;
  const std::size_t n = processors.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    SpanDataPtr copy = state.pool->acquire();
    if (!copy) {
      state.dropped_pool_exhausted.add();
      continue;
    }
    *copy = *data_;
    processors[i]->on_end(std::move(copy));
  }
  if (n > 0) processors[n - 1]->on_end(std::move(data_));
  data_.reset();
}

}  // namespace frame_tracking
