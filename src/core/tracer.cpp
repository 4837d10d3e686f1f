// SPDX-License-Identifier: Apache-2.0
// Tracer::start_span: parent resolution, ids, sampling, and filling the pooled span record.
#include "frame_tracking/tracer.hpp"

#include "clock.hpp"
#include "provider_state.hpp"

#include "frame_tracking/current_context.hpp"
#include "frame_tracking/frame_id.hpp"

#include <algorithm>

namespace frame_tracking {
namespace {
const SpanContext kNoParent{};
}  // namespace

bool Tracer::enabled() const noexcept {
  return state_ != nullptr && state_->enabled && !state_->shut_down.load(std::memory_order_relaxed);
}

Span Tracer::start_span(std::string_view name, const StartSpanOptions& options) const noexcept {
  const SpanContext* parent = &kNoParent;
  if (options.parent != nullptr) {
    parent = &options.parent->span_context;
  } else if (!options.new_root) {
    parent = &current_context().span_context;
  }
  const bool has_parent = parent->is_valid();
  if (!has_parent) parent = &kNoParent;

  Span span;
  if (!enabled()) {
    // No-op: the span only carries its parent's context, so propagation still works.
    if (has_parent) span.context_ = *parent;
    return span;
  }
  detail::ProviderState& state = *state_;

  TraceId trace_id;
  bool random = false;
  if (has_parent) {
    trace_id = parent->trace_id;
    random = parent->trace_flags.random();
  } else if (options.trace_id && options.trace_id->is_valid()) {
    trace_id = *options.trace_id;
    random = FrameId::from_trace_id(trace_id).has_value();
  } else {
    trace_id = state.id_generator->new_trace_id();
    random = state.id_generator->trace_ids_random();
  }

  SamplingParameters params{*parent, trace_id, name, options.kind, options.attributes, options.links};
  SamplingResult result = state.sampler->should_sample(params);
  const bool sampled = result.decision == SamplingDecision::kRecordAndSample;

  SpanContext& ctx = span.context_;
  ctx.trace_id = trace_id;
  ctx.span_id = state.id_generator->new_span_id();
  ctx.trace_flags.value = static_cast<std::uint8_t>((sampled ? TraceFlags::kSampled : 0) | (random ? TraceFlags::kRandom : 0));
  if (result.trace_state) {
    ctx.trace_state = std::move(*result.trace_state);
  } else if (has_parent && !parent->trace_state.empty()) {
    ctx.trace_state = parent->trace_state;
  }
  if (result.decision == SamplingDecision::kDrop) return span;

  SpanDataPtr record = state.pool->acquire();
  if (!record) {
    state.dropped_pool_exhausted.add();
    return span;
  }
  SpanData& data = *record;
  // Field by field: a pooled record's tracestate is already empty, so it is copied only when set.
  data.context.trace_id = ctx.trace_id;
  data.context.span_id = ctx.span_id;
  data.context.trace_flags = ctx.trace_flags;
  data.context.remote = false;
  if (!ctx.trace_state.empty()) data.context.trace_state = ctx.trace_state;
  data.parent_span_id = parent->span_id;
  data.parent_is_remote = has_parent && parent->is_remote();
  data.kind = options.kind;
  if (options.start_time_unix_ns != 0) {
    data.start_time_unix_ns = options.start_time_unix_ns;
  } else {
    span.start_steady_ns_ = detail::steady_ns();
    data.start_time_unix_ns = detail::realtime_from_steady(span.start_steady_ns_);
  }
  data.resource = state.resource.get();
  data.scope = scope_;
  data.set_name(name);
  const SpanLimits& limits = state.limits;
  data.reserve_attributes(std::min<std::size_t>(options.attributes.size() + result.attributes.size(), limits.attribute_count));
  for (const auto& a : options.attributes) {
    data.set_attribute(a.key, a.value, limits.attribute_count, limits.attribute_value_length);
  }
  for (const auto& a : result.attributes) {
    data.set_attribute(a.key, a.value, limits.attribute_count, limits.attribute_value_length);
  }
  for (const auto& link : options.links) {
    if (link.context != nullptr && link.context->is_valid()) {
      data.add_link(*link.context, link.attributes, limits.link_count, limits.link_attribute_count);
    }
  }
  for (const auto& processor : state.processors) processor->on_start(data, *parent);
  state.spans_started.add();
  span.state_ = state_;
  span.data_ = std::move(record);
  return span;
}

}  // namespace frame_tracking
