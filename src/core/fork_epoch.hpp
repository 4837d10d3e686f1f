// SPDX-License-Identifier: Apache-2.0
// Fork epoch: a process-wide number that changes in every forked child (private to core).
#pragma once

#include <cstdint>

namespace frame_tracking::detail {

/// Starts at 1 and is incremented (by a pthread_atfork child handler) in every child process, so
/// per-thread or per-object state can notice with one relaxed load that it was inherited
/// through fork() and must be renewed (reseed a PRNG, restart an export thread).
std::uint32_t fork_epoch() noexcept;

}  // namespace frame_tracking::detail
