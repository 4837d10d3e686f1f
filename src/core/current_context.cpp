// SPDX-License-Identifier: Apache-2.0
// Thread-local context stack behind current_context() and Scope.
#include "frame_tracking/current_context.hpp"

#include <cstdint>
#include <vector>

namespace frame_tracking {
namespace {
const Context kEmptyContext{};
constexpr std::size_t kInactive = SIZE_MAX;

// The stack lives behind a trivially initialised pointer, so reading it (every span start) needs
// no TLS initialisation guard; `t_owner` frees it when the thread exits.
thread_local std::vector<Context>* t_stack = nullptr;
struct StackOwner {
  std::vector<Context> stack;
  ~StackOwner() { t_stack = nullptr; }
};
thread_local StackOwner t_owner;

std::vector<Context>& stack() noexcept {
  if (t_stack == nullptr) [[unlikely]] t_stack = &t_owner.stack;
  return *t_stack;
}
}  // namespace

const Context& current_context() noexcept {
  const std::vector<Context>* s = t_stack;
  return s == nullptr || s->empty() ? kEmptyContext : s->back();
}

Scope::Scope(Context context) noexcept : depth_(stack().size()) {
  try {
    stack().push_back(std::move(context));
  } catch (...) {
    depth_ = kInactive;
  }
}

Scope::Scope(const Span& span) noexcept : depth_(stack().size()) {
  try {
    Context context{span.context(), current_context().baggage};
    stack().push_back(std::move(context));
  } catch (...) {
    depth_ = kInactive;
  }
}

Scope::~Scope() {
  if (depth_ == kInactive || t_stack == nullptr) return;
  if (depth_ < t_stack->size()) t_stack->resize(depth_);
}

}  // namespace frame_tracking
