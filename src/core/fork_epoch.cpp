// SPDX-License-Identifier: Apache-2.0
// Fork epoch: incremented in each forked child by a pthread_atfork handler.
#include "fork_epoch.hpp"

#include <pthread.h>

#include <atomic>

namespace frame_tracking::detail {
namespace {

std::atomic<std::uint32_t> g_epoch{1};

void on_fork_child() noexcept { g_epoch.fetch_add(1, std::memory_order_relaxed); }

struct Registration {
  Registration() noexcept { pthread_atfork(nullptr, nullptr, &on_fork_child); }
};
const Registration g_registration;

}  // namespace

std::uint32_t fork_epoch() noexcept { return g_epoch.load(std::memory_order_relaxed); }

}  // namespace frame_tracking::detail
