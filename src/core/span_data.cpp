// SPDX-License-Identifier: Apache-2.0
// SpanData: arena-backed span record (inline buffer first, heap chunks after).
#include "frame_tracking/span_data.hpp"

#include <algorithm>
#include <cstring>
#include <new>

namespace frame_tracking {

struct SpanData::Chunk {
  Chunk* next;
  std::size_t size;
  std::size_t used;
  // payload follows
  std::byte* data() noexcept { return reinterpret_cast<std::byte*>(this + 1); }
};

namespace {
constexpr std::size_t align_up(std::size_t v, std::size_t a) noexcept { return (v + a - 1) & ~(a - 1); }
}  // namespace

SpanData::SpanData(const SpanData& other) { copy_from(other); }

SpanData& SpanData::operator=(const SpanData& other) {
  if (this != &other) {
    reset();
    copy_from(other);
  }
  return *this;
}

SpanData::~SpanData() { reset(); }

void SpanData::reset() noexcept {
  while (chunks_ != nullptr) {
    Chunk* next = chunks_->next;
    ::operator delete(chunks_);
    chunks_ = next;
  }
  inline_used_ = 0;
  context = SpanContext{};
  parent_span_id = SpanId{};
  parent_is_remote = false;
  kind = SpanKind::kInternal;
  start_time_unix_ns = end_time_unix_ns = 0;
  status_code = StatusCode::kUnset;
  resource = nullptr;
  scope = nullptr;
  name_ = {};
  status_message_ = {};
  attributes_ = nullptr;
  attribute_count_ = attribute_capacity_ = 0;
  events_ = nullptr;
  event_count_ = event_capacity_ = 0;
  links_ = nullptr;
  link_count_ = link_capacity_ = 0;
  dropped_attributes_count = dropped_events_count = dropped_links_count = 0;
}

std::size_t SpanData::heap_bytes() const noexcept {
  std::size_t total = 0;
  for (Chunk* c = chunks_; c != nullptr; c = c->next) total += c->size;
  return total;
}

inline void* SpanData::allocate(std::size_t size, std::size_t align) noexcept {
  // Fast path (every span until its inline arena is full): a bump in the inline buffer, inlined here.
  const std::size_t offset = align_up(inline_used_, align);
  if (offset + size <= inline_.size()) [[likely]] {
    inline_used_ = offset + size;
    return inline_.data() + offset;
  }
  return allocate_chunk(size, align);
}

void* SpanData::allocate_chunk(std::size_t size, std::size_t align) noexcept {
  if (chunks_ != nullptr) {
    auto base = reinterpret_cast<std::uintptr_t>(chunks_->data());
    std::size_t off = align_up(base + chunks_->used, align) - base;
    if (off + size <= chunks_->size) {
      chunks_->used = off + size;
      return chunks_->data() + off;
    }
  }
  std::size_t chunk_size = std::max<std::size_t>(size + align, chunks_ ? chunks_->size * 2 : 2048);
  void* raw = ::operator new(sizeof(Chunk) + chunk_size, std::nothrow);
  if (raw == nullptr) return nullptr;
  auto* chunk = new (raw) Chunk{chunks_, chunk_size, 0};
  chunks_ = chunk;
  auto base = reinterpret_cast<std::uintptr_t>(chunk->data());
  std::size_t off = align_up(base, align) - base;
  chunk->used = off + size;
  return chunk->data() + off;
}

namespace {
// memcpy for the short strings spans are made of (keys, names, short values): up to 32 bytes with
// overlapping word moves instead of a library call.
inline void copy_bytes(char* out, const char* in, std::size_t n) noexcept {
  if (n >= 8 && n <= 32) {
    std::uint64_t w[4];
    std::memcpy(&w[0], in, 8);
    std::memcpy(&w[1], in + (n > 16 ? 8 : n - 8), 8);
    std::memcpy(&w[2], in + (n > 16 ? n - 16 : 0), 8);
    std::memcpy(&w[3], in + n - 8, 8);
    std::memcpy(out, &w[0], 8);
    std::memcpy(out + (n > 16 ? 8 : n - 8), &w[1], 8);
    std::memcpy(out + (n > 16 ? n - 16 : 0), &w[2], 8);
    std::memcpy(out + n - 8, &w[3], 8);
  } else if (n >= 4 && n < 8) {
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::memcpy(&a, in, 4);
    std::memcpy(&b, in + n - 4, 4);
    std::memcpy(out, &a, 4);
    std::memcpy(out + n - 4, &b, 4);
  } else if (n < 4) {
    if (n > 0) {
      out[0] = in[0];
      out[n / 2] = in[n / 2];
      out[n - 1] = in[n - 1];
    }
  } else {
    std::memcpy(out, in, n);
  }
}
}  // namespace

// Inlined into the attribute, event and name setters: it runs for every key and string value.
[[gnu::always_inline]] inline std::string_view SpanData::copy_string(std::string_view s, std::size_t max_length) noexcept {
  if (max_length != 0 && s.size() > max_length) s = s.substr(0, max_length);
  if (s.empty()) return {};
  auto* p = static_cast<char*>(allocate(s.size(), 1));
  if (p == nullptr) [[unlikely]] return {};
  copy_bytes(p, s.data(), s.size());
  return {p, s.size()};
}

AttributeValueView SpanData::copy_value(const AttributeValueView& v, std::size_t max_length) noexcept {
  auto copy_trivial = [this](auto span) -> decltype(span) {
    using T = typename decltype(span)::element_type;
    using U = std::remove_const_t<T>;
    if (span.empty()) return {};
    auto* p = static_cast<U*>(allocate(span.size_bytes(), alignof(U)));
    if (p == nullptr) return {};
    std::memcpy(p, span.data(), span.size_bytes());
    return {p, span.size()};
  };
  switch (v.index()) {
    case 3: return copy_string(*std::get_if<std::string_view>(&v), max_length);
    case 4: return copy_trivial(*std::get_if<std::span<const bool>>(&v));
    case 5: return copy_trivial(*std::get_if<std::span<const std::int64_t>>(&v));
    case 6: return copy_trivial(*std::get_if<std::span<const double>>(&v));
    case 7: {
      auto in = *std::get_if<std::span<const std::string_view>>(&v);
      if (in.empty()) return std::span<const std::string_view>{};
      auto* p = static_cast<std::string_view*>(allocate(in.size_bytes(), alignof(std::string_view)));
      if (p == nullptr) return std::span<const std::string_view>{};
      for (std::size_t i = 0; i < in.size(); ++i) new (p + i) std::string_view(copy_string(in[i], max_length));
      return std::span<const std::string_view>{p, in.size()};
    }
    default: return v;  // bool, int64, double: stored by value
  }
}

void SpanData::set_name(std::string_view name) noexcept { name_ = copy_string(name); }

void SpanData::set_status_message(std::string_view message) noexcept { status_message_ = copy_string(message); }

namespace {
// Grows an arena array to at least count+1 elements (the old storage stays in the arena).
template <typename T, typename Alloc>
bool ensure_capacity(T*& items, std::uint32_t count, std::uint32_t& capacity, Alloc&& alloc) noexcept {
  if (count < capacity) return true;
  std::uint32_t new_capacity = capacity == 0 ? 8 : capacity * 2;
  auto* p = static_cast<T*>(alloc(sizeof(T) * new_capacity, alignof(T)));
  if (p == nullptr) return false;
  if (count > 0) std::memcpy(static_cast<void*>(p), items, sizeof(T) * count);
  items = p;
  capacity = new_capacity;
  return true;
}
}  // namespace

void SpanData::reserve_attributes(std::size_t count) noexcept {
  // Headroom: a span typically gets a few attributes after its start (a result, a score).
  constexpr std::size_t kHeadroom = 4;
  const std::size_t needed = attribute_count_ + count;
  if (count == 0 || needed <= attribute_capacity_) return;
  const std::size_t capacity = std::max<std::size_t>(needed + kHeadroom, 8);
  auto* p = static_cast<AttributeView*>(allocate(sizeof(AttributeView) * capacity, alignof(AttributeView)));
  if (p == nullptr) return;  // set_attribute grows the array itself then
  if (attribute_count_ > 0) std::memcpy(static_cast<void*>(p), attributes_, sizeof(AttributeView) * attribute_count_);
  attributes_ = p;
  attribute_capacity_ = static_cast<std::uint32_t>(capacity);
}

bool SpanData::set_attribute(std::string_view key, const AttributeValueView& value, std::size_t max_count,
                             std::size_t max_value_length) noexcept {
  for (std::uint32_t i = 0; i < attribute_count_; ++i) {
    if (attributes_[i].key == key) {
      attributes_[i].value = copy_value(value, max_value_length);
      return true;
    }
  }
  if (attribute_count_ >= attribute_capacity_ || attribute_count_ >= max_count) [[unlikely]] {
    auto alloc = [this](std::size_t s, std::size_t a) { return allocate(s, a); };
    if (attribute_count_ >= max_count || !ensure_capacity(attributes_, attribute_count_, attribute_capacity_, alloc)) {
      ++dropped_attributes_count;
      return false;
    }
  }
  AttributeView& slot = attributes_[attribute_count_];
  slot.key = copy_string(key);
  // bool, int64 and double are stored by value; strings and arrays are copied into the arena.
  if (value.index() <= 2) slot.value = value;
  else if (const auto* text = std::get_if<std::string_view>(&value)) slot.value = copy_string(*text, max_value_length);
  else slot.value = copy_value(value, max_value_length);
  ++attribute_count_;
  return true;
}

bool SpanData::copy_attributes(std::span<const AttributeView> in, std::size_t max, const AttributeView*& out,
                               std::uint32_t& count, std::uint32_t& dropped) noexcept {
  std::size_t n = std::min(in.size(), max);
  dropped = static_cast<std::uint32_t>(in.size() - n);
  count = 0;
  out = nullptr;
  if (n == 0) return true;
  auto* p = static_cast<AttributeView*>(allocate(sizeof(AttributeView) * n, alignof(AttributeView)));
  if (p == nullptr) {
    dropped = static_cast<std::uint32_t>(in.size());
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) new (p + i) AttributeView{copy_string(in[i].key), copy_value(in[i].value, 0)};
  out = p;
  count = static_cast<std::uint32_t>(n);
  return true;
}

bool SpanData::add_event(std::string_view name, std::uint64_t time_unix_ns, std::span<const AttributeView> attributes,
                         std::size_t max_count, std::size_t max_attributes) noexcept {
  auto alloc = [this](std::size_t s, std::size_t a) { return allocate(s, a); };
  if (event_count_ >= max_count || !ensure_capacity(events_, event_count_, event_capacity_, alloc)) {
    ++dropped_events_count;
    return false;
  }
  EventView ev;
  ev.name = copy_string(name);
  ev.time_unix_ns = time_unix_ns;
  const AttributeView* attrs = nullptr;
  std::uint32_t count = 0;
  copy_attributes(attributes, max_attributes, attrs, count, ev.dropped_attributes_count);
  ev.attributes = {attrs, count};
  events_[event_count_++] = ev;
  return true;
}

bool SpanData::add_link(const SpanContext& link_context, std::span<const AttributeView> attributes,
                        std::size_t max_count, std::size_t max_attributes) noexcept {
  auto alloc = [this](std::size_t s, std::size_t a) { return allocate(s, a); };
  if (link_count_ >= max_count || !ensure_capacity(links_, link_count_, link_capacity_, alloc)) {
    ++dropped_links_count;
    return false;
  }
  auto* slot = links_ + link_count_;
  new (slot) LinkView{};
  slot->trace_id = link_context.trace_id;
  slot->span_id = link_context.span_id;
  slot->trace_flags = link_context.trace_flags;
  slot->remote = link_context.remote;
  slot->trace_state = copy_string(link_context.trace_state.header());
  const AttributeView* attrs = nullptr;
  std::uint32_t count = 0;
  copy_attributes(attributes, max_attributes, attrs, count, slot->dropped_attributes_count);
  slot->attributes = {attrs, count};
  ++link_count_;
  return true;
}

void SpanData::copy_from(const SpanData& other) {
  context = other.context;
  parent_span_id = other.parent_span_id;
  parent_is_remote = other.parent_is_remote;
  kind = other.kind;
  start_time_unix_ns = other.start_time_unix_ns;
  end_time_unix_ns = other.end_time_unix_ns;
  status_code = other.status_code;
  resource = other.resource;
  scope = other.scope;
  set_name(other.name());
  set_status_message(other.status_message());
  for (const auto& a : other.attributes()) set_attribute(a.key, a.value, SIZE_MAX);
  for (const auto& e : other.events()) {
    add_event(e.name, e.time_unix_ns, e.attributes, SIZE_MAX, SIZE_MAX);
    events_[event_count_ - 1].dropped_attributes_count = e.dropped_attributes_count;
  }
  for (const auto& l : other.links()) {
    add_link(l.context(), l.attributes, SIZE_MAX, SIZE_MAX);
    links_[link_count_ - 1].dropped_attributes_count = l.dropped_attributes_count;
  }
  dropped_attributes_count = other.dropped_attributes_count;
  dropped_events_count = other.dropped_events_count;
  dropped_links_count = other.dropped_links_count;
}

}  // namespace frame_tracking
