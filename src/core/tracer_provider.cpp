// SPDX-License-Identifier: Apache-2.0
// TracerProvider: assembling the provider state, tracers, flush/shutdown with deadlines, self-metrics.
#include "frame_tracking/tracer_provider.hpp"

#include "provider_state.hpp"

#include <algorithm>

namespace frame_tracking {
namespace {
using Clock = std::chrono::steady_clock;

std::chrono::microseconds remaining(Clock::time_point deadline) noexcept {
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::microseconds(0));
}
}  // namespace

TracerProvider::TracerProvider(TracerProviderOptions options) : state_(std::make_unique<detail::ProviderState>()) {
  auto& s = *state_;
  *s.resource = options.resource ? std::move(*options.resource) : Resource::create();
  s.limits = options.limits;
  s.sampler = options.sampler ? std::move(options.sampler) : make_parent_based_sampler(make_always_on_sampler());
  s.id_generator = options.id_generator ? std::move(options.id_generator) : make_default_id_generator();
  for (auto& p : options.processors) {
    if (p) s.processors.push_back(std::move(p));
  }
  s.pool = new detail::SpanPool(options.span_pool_size, options.span_heap_limit);
}

TracerProvider::TracerProvider(DisabledTag) : state_(std::make_unique<detail::ProviderState>()) {
  state_->enabled = false;
  state_->sampler = make_always_off_sampler();
  state_->id_generator = make_default_id_generator();
  state_->pool = new detail::SpanPool(0, 0);
}

std::unique_ptr<TracerProvider> TracerProvider::create_disabled() {
  return std::unique_ptr<TracerProvider>(new TracerProvider(DisabledTag{}));
}

TracerProvider::~TracerProvider() { shutdown(std::chrono::seconds(5)); }

Tracer TracerProvider::get_tracer(std::string_view name, std::string_view version, std::string_view schema_url) {
  auto& s = *state_;
  std::lock_guard lock(s.scopes_mutex);
  for (const auto& scope : *s.scopes) {
    if (scope.name == name && scope.version == version && scope.schema_url == schema_url) return Tracer(&s, &scope);
  }
  s.scopes->push_back(InstrumentationScope{std::string(name), std::string(version), std::string(schema_url), {}});
  return Tracer(&s, &s.scopes->back());
}

bool TracerProvider::force_flush(std::chrono::microseconds timeout) noexcept {
  auto deadline = Clock::now() + timeout;
  bool ok = true;
  for (auto& p : state_->processors) ok = p->force_flush(remaining(deadline)) && ok;
  return ok;
}

bool TracerProvider::shutdown(std::chrono::microseconds timeout) noexcept {
  auto& s = *state_;
  std::lock_guard lock(s.shutdown_mutex);
  if (s.shutdown_done) return s.shutdown_result;
  s.shut_down.store(true, std::memory_order_relaxed);
  auto deadline = Clock::now() + timeout;
  bool ok = true;
  for (auto& p : s.processors) ok = p->shutdown(remaining(deadline)) && ok;
  s.shutdown_done = true;
  s.shutdown_result = ok;
  return ok;
}

bool TracerProvider::enabled() const noexcept {
  return state_->enabled && !state_->shut_down.load(std::memory_order_relaxed);
}

const Resource& TracerProvider::resource() const noexcept { return *state_->resource; }
const Sampler& TracerProvider::sampler() const noexcept { return *state_->sampler; }
const SpanLimits& TracerProvider::limits() const noexcept { return state_->limits; }

TracingStats TracerProvider::collect() const noexcept {
  const auto& s = *state_;
  TracingStats stats;
  stats.spans_started = s.spans_started.load();
  stats.spans_ended = s.spans_ended.load();
  stats.pool_heap_fallbacks = s.pool->heap_fallbacks();
  stats.dropped_pool_exhausted = s.dropped_pool_exhausted.load();
  for (const auto& p : s.processors) p->collect(stats);
  return stats;
}

}  // namespace frame_tracking
