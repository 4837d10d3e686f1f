// SPDX-License-Identifier: Apache-2.0
// Fork epoch: incremented in each forked child by a pthread_atfork handler.
#include "fork_epoch.hpp"

#include <pthread.h>

#include <atomic>

namespace frame_tracking::detail {

std::atomic<std::uint32_t> g_fork_epoch{1};

namespace {

void on_fork_child() noexcept { g_fork_epoch.fetch_add(1, std::memory_order_relaxed); }

struct Registration {
  Registration() noexcept { pthread_atfork(nullptr, nullptr, &on_fork_child); }
};
const Registration g_registration;

}  // namespace

}  // namespace frame_tracking::detail
