// SPDX-License-Identifier: Apache-2.0
// Thread-local context stack behind current_context() and Scope.
#include "frame_tracking/current_context.hpp"

#include <cstdint>
#include <vector>

namespace frame_tracking {
namespace {
const Context kEmptyContext{};
thread_local std::vector<Context> t_stack;
constexpr std::size_t kInactive = SIZE_MAX;
}  // namespace

const Context& current_context() noexcept { return t_stack.empty() ? kEmptyContext : t_stack.back(); }

Scope::Scope(Context context) noexcept : depth_(t_stack.size()) {
  try {
    t_stack.push_back(std::move(context));
  } catch (...) {
    depth_ = kInactive;
  }
}

Scope::Scope(const Span& span) noexcept : depth_(t_stack.size()) {
  try {
    t_stack.push_back(Context{span.context(), current_context().baggage});
  } catch (...) {
    depth_ = kInactive;
  }
}

Scope::~Scope() {
  if (depth_ != kInactive && depth_ < t_stack.size()) t_stack.resize(depth_);
}

}  // namespace frame_tracking
