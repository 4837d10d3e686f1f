// SPDX-License-Identifier: Apache-2.0
// HTTP header carrier, W3C trace-context and baggage propagators, composite, OTEL_PROPAGATORS.
#include "frame_tracking/propagation.hpp"

#include "frame_tracking/traceparent.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace frame_tracking {
namespace {

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// All values of `key` joined by ',' in carrier order (RFC 9110 §5.3 field combination);
// `storage` holds the text when there is more than one value.
std::optional<std::string_view> combined_values(const TextMapCarrier& carrier, std::string_view key,
                                                std::string& storage) {
  const std::size_t n = carrier.value_count(key);
  if (n == 0) return std::nullopt;
  if (n == 1) return carrier.get_at(key, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) storage.push_back(',');
    if (auto v = carrier.get_at(key, i)) storage.append(*v);
  }
  return std::string_view(storage);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

// ---- HttpHeaderCarrier ----

std::optional<std::string_view> HttpHeaderCarrier::get(std::string_view key) const { return get_at(key, 0); }

void HttpHeaderCarrier::set(std::string_view key, std::string_view value) {
  if (write_ == nullptr) return;
  std::erase_if(*write_, [key](const auto& field) { return iequals(field.first, key); });
  write_->emplace_back(std::string(key), std::string(value));
}

std::vector<std::string_view> HttpHeaderCarrier::keys() const {
  std::vector<std::string_view> out;
  for (const auto& field : *read_) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](std::string_view k) { return iequals(k, field.first); });
    if (!seen) out.emplace_back(field.first);
  }
  return out;
}

std::size_t HttpHeaderCarrier::value_count(std::string_view key) const {
  return static_cast<std::size_t>(
      std::count_if(read_->begin(), read_->end(), [key](const auto& field) { return iequals(field.first, key); }));
}

std::optional<std::string_view> HttpHeaderCarrier::get_at(std::string_view key, std::size_t index) const {
  for (const auto& field : *read_) {
    if (iequals(field.first, key) && index-- == 0) return std::string_view(field.second);
  }
  return std::nullopt;
}

// ---- W3CTraceContextPropagator ----

void W3CTraceContextPropagator::inject(const Context& context, TextMapCarrier& carrier) const {
  const SpanContext& span = context.span_context;
  if (!span.is_valid()) return;
  char traceparent[kTraceparentSize];
  format_traceparent(span, traceparent);
  carrier.set(kTraceparent, std::string_view(traceparent, kTraceparentSize));
  if (!span.trace_state.empty()) carrier.set(kTracestate, span.trace_state.header());
}

Context W3CTraceContextPropagator::extract(const TextMapCarrier& carrier, Context context) const {
  const std::size_t count = carrier.value_count(kTraceparent);
  if (count == 0) return context;
  // Several traceparent fields are invalid (W3C test_traceparent_duplicated): start a new trace.
  std::optional<std::string_view> header = count == 1 ? carrier.get_at(kTraceparent, 0) : std::nullopt;
  auto parsed = header ? parse_traceparent(*header) : Result<SpanContext>(Error{});
  if (!parsed) {
    invalid_traceparent_.fetch_add(1, std::memory_order_relaxed);
    return context;
  }
  std::string storage;
  if (auto tracestate = combined_values(carrier, kTracestate, storage)) {
    if (auto state = TraceState::parse(*tracestate)) {
      parsed->trace_state = std::move(*state);
    } else {
      invalid_tracestate_.fetch_add(1, std::memory_order_relaxed);  // dropped whole; traceparent kept
    }
  }
  context.span_context = std::move(*parsed);
  return context;
}

std::vector<std::string_view> W3CTraceContextPropagator::fields() const { return {kTraceparent, kTracestate}; }

// ---- W3CBaggagePropagator ----

void W3CBaggagePropagator::inject(const Context& context, TextMapCarrier& carrier) const {
  if (context.baggage.empty()) return;
  carrier.set(kBaggage, context.baggage.to_header());
}

Context W3CBaggagePropagator::extract(const TextMapCarrier& carrier, Context context) const {
  std::string storage;
  const auto header = combined_values(carrier, kBaggage, storage);
  if (!header) return context;
  std::size_t dropped = 0;
  auto baggage = Baggage::parse(*header, &dropped);
  if (!baggage) {
    invalid_baggage_.fetch_add(1, std::memory_order_relaxed);
    return context;
  }
  if (dropped != 0) dropped_members_.fetch_add(dropped, std::memory_order_relaxed);
  context.baggage = std::move(*baggage);
  return context;
}

std::vector<std::string_view> W3CBaggagePropagator::fields() const { return {kBaggage}; }

// ---- CompositePropagator ----

CompositePropagator::CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> propagators)
    : propagators_(std::move(propagators)) {}

void CompositePropagator::inject(const Context& context, TextMapCarrier& carrier) const {
  for (const auto& p : propagators_) p->inject(context, carrier);
}

Context CompositePropagator::extract(const TextMapCarrier& carrier, Context context) const {
  for (const auto& p : propagators_) context = p->extract(carrier, std::move(context));
  return context;
}

std::vector<std::string_view> CompositePropagator::fields() const {
  std::vector<std::string_view> out;
  for (const auto& p : propagators_) {
    for (std::string_view f : p->fields()) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  return out;
}

// ---- OTEL_PROPAGATORS ----

Result<std::unique_ptr<TextMapPropagator>> propagator_from_names(std::string_view otel_propagators) {
  const std::string_view value = trim(otel_propagators);
  auto fail = [&](std::string why) {
    return Error{ErrorCode::kInvalidInput, "OTEL_PROPAGATORS=" + std::string(otel_propagators) + ": " + std::move(why) +
                                               " (supported: tracecontext, baggage, none)"};
  };
  std::vector<std::unique_ptr<TextMapPropagator>> list;
  if (value.empty()) {
    list.push_back(std::make_unique<W3CTraceContextPropagator>());
    list.push_back(std::make_unique<W3CBaggagePropagator>());
    return std::unique_ptr<TextMapPropagator>(std::make_unique<CompositePropagator>(std::move(list)));
  }
  bool trace_context = false;
  bool baggage = false;
  bool none = false;
  std::string_view rest = value;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = trim(rest.substr(0, comma));
    if (name.empty()) return fail("empty propagator name in the list");
    if (name == "tracecontext") {
      if (!trace_context) list.push_back(std::make_unique<W3CTraceContextPropagator>());
      trace_context = true;
    } else if (name == "baggage") {
      if (!baggage) list.push_back(std::make_unique<W3CBaggagePropagator>());
      baggage = true;
    } else if (name == "none") {
      none = true;
    } else if (name == "b3" || name == "b3multi" || name == "jaeger" || name == "xray" || name == "ottrace") {
      return fail("propagator '" + std::string(name) + "' is not supported by frame-tracking");
    } else {
      return fail("unknown propagator '" + std::string(name) + "'");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (none && (trace_context || baggage)) return fail("'none' cannot be combined with other propagators");
  return std::unique_ptr<TextMapPropagator>(std::make_unique<CompositePropagator>(std::move(list)));
}

Result<std::unique_ptr<TextMapPropagator>> propagator_from_env() {
  const char* value = std::getenv("OTEL_PROPAGATORS");
  return propagator_from_names(value == nullptr ? std::string_view() : std::string_view(value));
}

}  // namespace frame_tracking
