// SPDX-License-Identifier: Apache-2.0
// Context propagation: carriers (maps, HTTP headers), W3C trace-context and baggage propagators,
// their composite, and the OTEL_PROPAGATORS selection.
// Spec: https://opentelemetry.io/docs/specs/otel/context/api-propagators/
#pragma once

#include "frame_tracking/context.hpp"
#include "frame_tracking/result.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace frame_tracking {

/// Where propagators read and write fields: HTTP headers, message headers, stream fields.
/// A key may hold several values (HTTP repeats headers); single-valued carriers only implement
/// get/set/keys. Thread-compatible (one user at a time); views returned stay valid until the
/// carrier's storage is next modified.
class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  TextMapCarrier(const TextMapCarrier&) = delete;
  TextMapCarrier& operator=(const TextMapCarrier&) = delete;

  /// The (first) value of `key`, if present.
  virtual std::optional<std::string_view> get(std::string_view key) const = 0;
  /// Sets `key` to the single value `value`, replacing any values it had.
  virtual void set(std::string_view key, std::string_view value) = 0;
  /// All keys present, each once, in the carrier's order.
  virtual std::vector<std::string_view> keys() const = 0;
  /// How many values `key` has (0 when absent). Default: 0 or 1 from get().
  virtual std::size_t value_count(std::string_view key) const { return get(key) ? 1 : 0; }
  /// The index-th value of `key` (0-based), if present. Default: get() for index 0.
  virtual std::optional<std::string_view> get_at(std::string_view key, std::size_t index) const {
    return index == 0 ? get(key) : std::nullopt;
  }

 protected:
  TextMapCarrier() = default;
};

/// A carrier over a string → string map (std::map or std::unordered_map), keys compared exactly
/// (propagators use lowercase names). Non-owning: the map must outlive the carrier. A carrier made
/// from a const map ignores set(). Thread-compatible.
template <typename Map>
class BasicMapCarrier final : public TextMapCarrier {
 public:
  explicit BasicMapCarrier(Map& map) noexcept : read_(&map), write_(&map) {}
  explicit BasicMapCarrier(const Map& map) noexcept : read_(&map) {}

  std::optional<std::string_view> get(std::string_view key) const override {
    auto it = read_->find(std::string(key));
    if (it == read_->end()) return std::nullopt;
    return std::string_view(it->second);
  }
  void set(std::string_view key, std::string_view value) override {
    if (write_ != nullptr) write_->insert_or_assign(std::string(key), std::string(value));
  }
  std::vector<std::string_view> keys() const override {
    std::vector<std::string_view> out;
    out.reserve(read_->size());
    for (const auto& entry : *read_) out.emplace_back(entry.first);
    return out;
  }

 private:
  const Map* read_;
  Map* write_ = nullptr;
};

using MapCarrier = BasicMapCarrier<std::map<std::string, std::string>>;
using UnorderedMapCarrier = BasicMapCarrier<std::unordered_map<std::string, std::string>>;

/// HTTP header fields in arrival order; a name may repeat.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// A carrier over HTTP header fields: names compared case-insensitively (RFC 9110 §5.1), repeated
/// fields reported as several values (value_count/get_at), set() replaces every field of that name
/// with one field named as given. Non-owning: the headers must outlive the carrier. A carrier made
/// from const headers ignores set(). Thread-compatible.
class HttpHeaderCarrier final : public TextMapCarrier {
 public:
  explicit HttpHeaderCarrier(HttpHeaders& headers) noexcept : read_(&headers), write_(&headers) {}
  explicit HttpHeaderCarrier(const HttpHeaders& headers) noexcept : read_(&headers) {}

  std::optional<std::string_view> get(std::string_view key) const override;
  void set(std::string_view key, std::string_view value) override;
  std::vector<std::string_view> keys() const override;
  std::size_t value_count(std::string_view key) const override;
  std::optional<std::string_view> get_at(std::string_view key, std::size_t index) const override;

 private:
  const HttpHeaders* read_;
  HttpHeaders* write_ = nullptr;
};

/// Writes a Context into a carrier and reads it back (OTel TextMapPropagator). Implementations
/// are thread-safe (const methods, atomic drop counters) and never throw on bad input: an invalid
/// field is dropped as its spec says and counted. Not copyable.
class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;
  TextMapPropagator(const TextMapPropagator&) = delete;
  TextMapPropagator& operator=(const TextMapPropagator&) = delete;

  /// Writes this propagator's fields for `context` into `carrier`.
  virtual void inject(const Context& context, TextMapCarrier& carrier) const = 0;
  /// Returns `context` with this propagator's part replaced by what `carrier` holds; the part is
  /// left unchanged when the carrier has no valid value for it.
  virtual Context extract(const TextMapCarrier& carrier, Context context) const = 0;
  /// The carrier keys this propagator reads and writes (lowercase).
  virtual std::vector<std::string_view> fields() const = 0;

 protected:
  TextMapPropagator() = default;
};

/// The W3C Trace Context propagator (`traceparent`, `tracestate`; Level 2).
/// inject: nothing when the span context is invalid; else `traceparent` (version 00, only the
/// sampled/random flag bits) and `tracestate` when non-empty.
/// extract: no or several `traceparent` values, or an invalid one → context unchanged (the caller
/// starts a new trace) and tracestate ignored; valid → span_context from it with remote = true and
/// the tracestate of all `tracestate` values combined in order, or an empty one when that is
/// invalid (dropped whole; the traceparent is kept).
/// Spec: https://www.w3.org/TR/trace-context-2/#processing-model
class W3CTraceContextPropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kTraceparent = "traceparent";
  static constexpr std::string_view kTracestate = "tracestate";

  W3CTraceContextPropagator() = default;
  void inject(const Context& context, TextMapCarrier& carrier) const override;
  Context extract(const TextMapCarrier& carrier, Context context) const override;
  std::vector<std::string_view> fields() const override;

  /// traceparent values rejected by extract() (invalid or repeated) since construction.
  std::uint64_t invalid_traceparent_count() const noexcept { return invalid_traceparent_.load(std::memory_order_relaxed); }
  /// tracestate values dropped by extract() because they were invalid.
  std::uint64_t invalid_tracestate_count() const noexcept { return invalid_tracestate_.load(std::memory_order_relaxed); }

 private:
  mutable std::atomic<std::uint64_t> invalid_traceparent_{0};
  mutable std::atomic<std::uint64_t> invalid_tracestate_{0};
};

/// The W3C Baggage propagator (`baggage`).
/// inject: nothing when the baggage is empty; else `baggage` = Baggage::to_header().
/// extract: all `baggage` values combined in order and parsed; the result replaces the context's
/// baggage. An invalid header leaves the baggage unchanged (counted); members beyond the W3C
/// limits are dropped whole (counted). Spec: https://www.w3.org/TR/baggage/
class W3CBaggagePropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kBaggage = "baggage";

  W3CBaggagePropagator() = default;
  void inject(const Context& context, TextMapCarrier& carrier) const override;
  Context extract(const TextMapCarrier& carrier, Context context) const override;
  std::vector<std::string_view> fields() const override;

  /// baggage headers rejected whole by extract() because they were invalid.
  std::uint64_t invalid_baggage_count() const noexcept { return invalid_baggage_.load(std::memory_order_relaxed); }
  /// Members dropped by extract() because they exceeded the W3C limits.
  std::uint64_t dropped_member_count() const noexcept { return dropped_members_.load(std::memory_order_relaxed); }

 private:
  mutable std::atomic<std::uint64_t> invalid_baggage_{0};
  mutable std::atomic<std::uint64_t> dropped_members_{0};
};

/// Runs several propagators in order: inject all; extract feeds each one's result to the next.
/// An empty composite propagates nothing (OTEL_PROPAGATORS=none). Thread-safe.
class CompositePropagator final : public TextMapPropagator {
 public:
  explicit CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> propagators);
  void inject(const Context& context, TextMapCarrier& carrier) const override;
  Context extract(const TextMapCarrier& carrier, Context context) const override;
  /// The union of the members' fields, in order, each once.
  std::vector<std::string_view> fields() const override;
  const std::vector<std::unique_ptr<TextMapPropagator>>& propagators() const noexcept { return propagators_; }

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> propagators_;
};

/// The propagators named by an OTEL_PROPAGATORS value: a comma list (spaces around names
/// ignored, repeats ignored) of `tracecontext`, `baggage`, or `none` alone (propagate nothing);
/// empty or blank → the default `tracecontext,baggage`. Always a CompositePropagator.
/// Errors: kInvalidInput naming the variable and value, e.g. "OTEL_PROPAGATORS=b3: propagator 'b3'
/// is not supported (supported: tracecontext, baggage, none)".
/// Spec: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
Result<std::unique_ptr<TextMapPropagator>> propagator_from_names(std::string_view otel_propagators);

/// propagator_from_names() of the OTEL_PROPAGATORS environment variable (default when unset).
/// Reads the environment; call at start-up, not concurrently with setenv().
Result<std::unique_ptr<TextMapPropagator>> propagator_from_env();

}  // namespace frame_tracking
