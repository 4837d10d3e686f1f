// SPDX-License-Identifier: Apache-2.0
// IdGenerator: makes trace ids for new traces and span ids for new spans.
// Spec: https://opentelemetry.io/docs/specs/otel/trace/sdk/#id-generators
#pragma once

#include "frame_tracking/trace_context.hpp"

#include <cstdint>
#include <memory>

namespace frame_tracking {

/// Makes ids for the tracer. Implementations are thread-safe and noexcept; the default one is
/// lock-free and allocation-free. Non-copyable.
class IdGenerator {
 public:
  IdGenerator() = default;
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;
  virtual ~IdGenerator() = default;

  /// A new valid (non-zero) trace id for a root span.
  virtual TraceId new_trace_id() noexcept = 0;
  /// A new valid (non-zero) span id.
  virtual SpanId new_span_id() noexcept = 0;
  /// Whether new_trace_id()'s rightmost 7 bytes are random, so spans of its traces set the W3C
  /// Level 2 `random` trace flag (0x02).
  virtual bool trace_ids_random() const noexcept = 0;
};

/// The default generator. Trace ids are FrameIds (FrameId::generate().to_trace_id(): UUIDv7
/// layout, time-sortable, 62 random bits covering the rightmost 7 bytes), so trace_ids_random()
/// is true and every root trace can be found by its frame id. Span ids come from a per-thread
/// xoshiro256** generator seeded from the OS CSPRNG (getrandom) and reseeded in a forked child
/// before its next id. Thread-safe, lock-free, no heap allocation.
std::unique_ptr<IdGenerator> make_default_id_generator();

/// 64 random bits from the calling thread's fast generator (the one behind span ids): not for
/// secrets. Thread-safe, lock-free, fork-safe.
std::uint64_t fast_random_u64() noexcept;

/// Fills `size` bytes at `out` from the OS CSPRNG (getrandom, falling back to the fast
/// generator if the kernel call fails). Thread-safe.
void secure_random_bytes(void* out, std::size_t size) noexcept;

}  // namespace frame_tracking
