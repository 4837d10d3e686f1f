// SPDX-License-Identifier: Apache-2.0
// Samplers: decide at span start whether a span is recorded and exported.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#sampling
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/link.hpp"
#include "frame_tracking/span_data.hpp"
#include "frame_tracking/trace_context.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace frame_tracking {

/// OTel SamplingResult decision.
enum class SamplingDecision : std::uint8_t {
  kDrop,             ///< not recorded, not sampled: a cheap non-recording span
  kRecordOnly,       ///< recorded (processors see it) but not sampled (not exported)
  kRecordAndSample,  ///< recorded and exported; the sampled trace flag is set
};

/// What a sampler returns. Non-owning: `attributes` must stay valid for the sampler's lifetime.
struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  /// Attributes added to the span when it is recorded.
  std::span<const AttributeView> attributes{};
  /// A new tracestate for the span; empty keeps the parent's.
  std::optional<TraceState> trace_state{};
};

/// The inputs of a sampling decision. Non-owning views, valid during should_sample only.
struct SamplingParameters {
  /// The parent's context; invalid for a root span.
  const SpanContext& parent;
  /// The new span's trace id (the parent's, or a fresh one for a root span).
  const TraceId& trace_id;
  std::string_view name;
  SpanKind kind = SpanKind::kInternal;
  std::span<const AttributeView> attributes{};
  std::span<const Link> links{};
};

/// Decides, at span start, whether a span is recorded and sampled. Implementations are
/// thread-safe, noexcept and lock-free; allocation-free except where a sampler records a
/// tracestate (TraceIdRatioBasedSampler). Non-copyable.
class Sampler {
 public:
  Sampler() = default;
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;
  virtual ~Sampler() = default;

  virtual SamplingResult should_sample(const SamplingParameters& parameters) const noexcept = 0;
  /// The OTel description, e.g. "AlwaysOnSampler", "TraceIdRatioBased{0.250000}",
  /// "ParentBased{root=AlwaysOnSampler,...}".
  virtual std::string description() const = 0;
};

/// Records and samples every span. Description "AlwaysOnSampler".
std::unique_ptr<Sampler> make_always_on_sampler();
/// Drops every span. Description "AlwaysOffSampler".
std::unique_ptr<Sampler> make_always_off_sampler();

/// TraceIdRatioBased: samples a deterministic fraction `ratio` ∈ [0, 1] of trace ids, whatever the
/// parent says. It reads R = TraceId::random_part() (the rightmost 56 bits, random in every trace id
/// that sets the W3C `random` flag and in every FrameId) and samples iff R ≥ T, T = (1 − ratio)·2^56
/// rounded down (as in W3C-aligned OTel probability sampling, otel-env.md §4). So two services
/// decide alike for one trace, whatever the id's leading (time) bytes, and a higher ratio samples
/// a superset of a lower one. Out-of-range ratios are clamped. Description
/// "TraceIdRatioBased{<ratio with 6 decimals>}".
/// A sampled span's tracestate records the threshold the standard OTel way (OTel probability
/// sampling, tracestate `ot` entry): `ot=th:<T as 14 hex digits, trailing zeros removed>` ("th:0"
/// for ratio 1), put in front of the parent's members with any earlier `ot` entry replaced, so
/// children (ParentBased) and backends know the probability p = (2^56 − T) / 2^56 and can count
/// each span as 1/p (the service's span metrics do). Thresholds that need more than 9 hex digits
/// (e.g. ratio 0.1: "th:e6666666666668") make the tracestate longer than the string's inline
/// buffer, one heap allocation per sampled root span.
class TraceIdRatioBasedSampler final : public Sampler {
 public:
  explicit TraceIdRatioBasedSampler(double ratio) noexcept;
  SamplingResult should_sample(const SamplingParameters& parameters) const noexcept override;
  std::string description() const override;
  double ratio() const noexcept { return ratio_; }
  /// The rejection threshold T ∈ [0, 2^56].
  std::uint64_t threshold() const noexcept { return threshold_; }
  /// The decision for one trace id.
  bool samples(const TraceId& trace_id) const noexcept { return trace_id.random_part() >= threshold_; }
  /// The `th` value recorded in the `ot` tracestate entry, e.g. "8" for ratio 0.5, "0" for 1.
  const std::string& threshold_text() const noexcept { return threshold_text_; }

 private:
  double ratio_;
  std::uint64_t threshold_;
  std::string threshold_text_;
};

/// ParentBased: follows the parent's sampled flag; `root` decides for root spans. Each delegate
/// may be null for its default (remote/local sampled: AlwaysOn, not sampled: AlwaysOff).
struct ParentBasedSamplerOptions {
  std::unique_ptr<Sampler> root;
  std::unique_ptr<Sampler> remote_parent_sampled;
  std::unique_ptr<Sampler> remote_parent_not_sampled;
  std::unique_ptr<Sampler> local_parent_sampled;
  std::unique_ptr<Sampler> local_parent_not_sampled;
};

/// ParentBased sampler. Description "ParentBased{root=…,remoteParentSampled=…,
/// remoteParentNotSampled=…,localParentSampled=…,localParentNotSampled=…}".
std::unique_ptr<Sampler> make_parent_based_sampler(ParentBasedSamplerOptions options);
/// Shorthand for ParentBased with the given root sampler and default delegates.
std::unique_ptr<Sampler> make_parent_based_sampler(std::unique_ptr<Sampler> root);

}  // namespace frame_tracking
