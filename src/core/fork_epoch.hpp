// SPDX-License-Identifier: Apache-2.0
// Fork epoch: a process-wide number that changes in every forked child (private to core).
#pragma once

#include <atomic>
#include <cstdint>

namespace frame_tracking::detail {

/// Starts at 1 and is incremented (by a pthread_atfork child handler) in every child process, so
/// per-thread or per-object state can notice with one relaxed load that it was inherited
/// through fork() and must be renewed (reseed a PRNG, restart an export thread).
extern std::atomic<std::uint32_t> g_fork_epoch;

inline std::uint32_t fork_epoch() noexcept { return g_fork_epoch.load(std::memory_order_relaxed); }

}  // namespace frame_tracking::detail
