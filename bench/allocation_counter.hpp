// SPDX-License-Identifier: Apache-2.0
// Heap allocations made by the calling thread, counted by the replacement operator new in allocation_counter.cpp.
#pragma once

#include <cstdint>

namespace frame_tracking::bench {

/// Number of operator new calls (any form) the calling thread has made so far. Only programs that
/// link bench/allocation_counter.cpp (which replaces the global operator new/delete with
/// malloc-based counting versions) count; the figure is per thread, so take differences
/// around the measured code on the same thread. Thread-safe (thread-local).
std::uint64_t thread_allocations() noexcept;

}  // namespace frame_tracking::bench
