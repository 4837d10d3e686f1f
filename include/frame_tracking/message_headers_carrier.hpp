// SPDX-License-Identifier: Apache-2.0
// MessageHeadersCarrier: a TextMapCarrier over message headers (Redis stream fields, AMQP header tables).
#pragma once

#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/propagation.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// Lets the W3C propagators read and write message headers. Names are compared exactly (Redis
/// fields and AMQP table keys are case-sensitive; propagators use lowercase). A repeated name
/// reports several values, so the propagator rejects a repeated `traceparent`. Only text values
/// (kString, kBytes) are visible to get()/get_at(); a kOther value (e.g. an AMQP integer) reads
/// as absent but still counts in value_count(), so it invalidates the header instead of being
/// skipped. set() replaces the first header of that name in place (keeping its position and every
/// other header) and removes later repeats, or appends when absent; the result is a kString.
/// Non-owning: the headers must outlive the carrier. A carrier over const headers ignores set().
/// Thread-compatible.
class MessageHeadersCarrier final : public TextMapCarrier {
 public:
  explicit MessageHeadersCarrier(MessageHeaders& headers) noexcept : read_(&headers), write_(&headers) {}
  explicit MessageHeadersCarrier(const MessageHeaders& headers) noexcept : read_(&headers) {}

  std::optional<std::string_view> get(std::string_view key) const override { return get_at(key, 0); }

  void set(std::string_view key, std::string_view value) override {
    if (write_ == nullptr) return;
    bool replaced = false;
    for (auto it = write_->begin(); it != write_->end();) {
      if (it->name != key) {
        ++it;
      } else if (!replaced) {
        it->value.assign(value);
        it->type = HeaderType::kString;
        replaced = true;
        ++it;
      } else {
        it = write_->erase(it);
      }
    }
    if (!replaced) write_->push_back(MessageHeader{std::string(key), std::string(value), HeaderType::kString});
  }

  std::vector<std::string_view> keys() const override {
    std::vector<std::string_view> out;
    for (const auto& h : *read_) {
      bool seen = false;
      for (auto k : out) seen = seen || k == h.name;
      if (!seen) out.emplace_back(h.name);
    }
    return out;
  }

  std::size_t value_count(std::string_view key) const override {
    std::size_t n = 0;
    for (const auto& h : *read_) n += h.name == key ? 1 : 0;
    return n;
  }

  std::optional<std::string_view> get_at(std::string_view key, std::size_t index) const override {
    for (const auto& h : *read_) {
      if (h.name != key) continue;
      if (index-- == 0) {
        if (h.type == HeaderType::kOther) return std::nullopt;
        return std::string_view(h.value);
      }
    }
    return std::nullopt;
  }

 private:
  const MessageHeaders* read_;
  MessageHeaders* write_ = nullptr;
};

}  // namespace frame_tracking
