// SPDX-License-Identifier: Apache-2.0
// Helpers for the tracing-core tests: a deterministic id generator and record accessors.
#pragma once

#include "frame_tracking/id_generator.hpp"
#include "frame_tracking/in_memory_span_exporter.hpp"
#include "frame_tracking/simple_span_processor.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace frame_tracking::testing {

/// Trace ids 00..0<n> (n = 1, 2, …) with the random flag off; span ids 00..0<n> (n = 1, 2, …).
class SequentialIdGenerator final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override {
    std::array<std::uint8_t, 16> b{};
    b[15] = static_cast<std::uint8_t>(++trace_);
    return TraceId(b);
  }
  SpanId new_span_id() noexcept override {
    std::array<std::uint8_t, 8> b{};
    b[7] = static_cast<std::uint8_t>(++span_);
    return SpanId(b);
  }
  bool trace_ids_random() const noexcept override { return false; }

 private:
  std::atomic<int> trace_{0};
  std::atomic<int> span_{0};
};

inline TraceId trace_id_of(int n) {
  std::array<std::uint8_t, 16> b{};
  b[15] = static_cast<std::uint8_t>(n);
  return TraceId(b);
}
inline SpanId span_id_of(int n) {
  std::array<std::uint8_t, 8> b{};
  b[7] = static_cast<std::uint8_t>(n);
  return SpanId(b);
}

/// A provider exporting synchronously into `store`, with sequential ids and a fixed resource.
inline std::unique_ptr<TracerProvider> make_test_provider(std::shared_ptr<InMemorySpanStore> store,
                                                          std::unique_ptr<Sampler> sampler = nullptr,
                                                          SpanLimits limits = {}) {
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", std::string("test")}});
  options.sampler = std::move(sampler);
  options.limits = limits;
  options.id_generator = std::make_unique<SequentialIdGenerator>();
  options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
  options.span_pool_size = 64;
  return std::make_unique<TracerProvider>(std::move(options));
}

/// The owning value of attribute `key` of a list of views; empty optional if absent.
inline std::optional<AttributeValue> find_attribute(std::span<const AttributeView> attributes, std::string_view key) {
  for (const auto& a : attributes) {
    if (a.key == key) return to_owned(a.value);
  }
  return std::nullopt;
}

/// All attributes as an ordered map of owning values.
inline std::map<std::string, AttributeValue> attribute_map(std::span<const AttributeView> attributes) {
  std::map<std::string, AttributeValue> out;
  for (const auto& a : attributes) out.emplace(std::string(a.key), to_owned(a.value));
  return out;
}

}  // namespace frame_tracking::testing
