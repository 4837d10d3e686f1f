// SPDX-License-Identifier: Apache-2.0
// SpanData: the record of one span, written by Span on the hot path and read by SpanExporters.
// Spec (data model): https://opentelemetry.io/docs/specs/otel/trace/sdk/#additional-span-interfaces
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/trace_context.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

class Resource;
struct InstrumentationScope;

/// OTel SpanKind; the numeric values are OTLP's `Span.SpanKind` (0 is UNSPECIFIED there).
enum class SpanKind : std::uint8_t { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

/// OTel status code; numeric values are OTLP's `Status.StatusCode`.
enum class StatusCode : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

/// A span event as recorded: name, time (Unix ns), attributes (views into the record's arena).
struct EventView {
  std::string_view name;
  std::uint64_t time_unix_ns = 0;
  std::span<const AttributeView> attributes;
  std::uint32_t dropped_attributes_count = 0;
};

/// A span link as recorded: the linked context (tracestate as a view into the record's arena) and
/// its attributes. Trivially copyable.
struct LinkView {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags trace_flags;
  bool remote = false;
  std::string_view trace_state;
  std::span<const AttributeView> attributes;
  std::uint32_t dropped_attributes_count = 0;

  /// The linked context as a SpanContext (tracestate re-parsed; empty if it no longer validates).
  SpanContext context() const;
};

/// The complete record of one span. All strings and arrays are copied into an arena inside the
/// record: the first kInlineArenaBytes bytes need no heap allocation, more spill to heap chunks.
/// Not movable (views point into the record itself); copying makes a deep, self-contained copy.
/// Thread-compatible: one writer (the span's owner) then one reader (the export thread).
class SpanData {
 public:
  static constexpr std::size_t kInlineArenaBytes = 1024;

  SpanData() noexcept = default;
  SpanData(const SpanData& other);
  SpanData& operator=(const SpanData& other);
  ~SpanData();

  /// Clears every field, keeping the arena's inline buffer, so a pooled record can be reused.
  void reset() noexcept;

  // ---- identity and timing ----
  SpanContext context;
  /// Invalid (all zero) for a root span.
  SpanId parent_span_id;
  /// Whether the parent context came from another process (OTLP SpanFlags bit 9).
  bool parent_is_remote = false;
  SpanKind kind = SpanKind::kInternal;
  /// Wall-clock start and end, Unix ns. end ≥ start (the duration is measured on a monotonic clock).
  std::uint64_t start_time_unix_ns = 0;
  std::uint64_t end_time_unix_ns = 0;
  StatusCode status_code = StatusCode::kUnset;
  /// Owned by the TracerProvider / Tracer, which outlive every record they produced.
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;

  // ---- variable-size fields (stored in the arena) ----
  std::string_view name() const noexcept { return name_; }
  std::string_view status_message() const noexcept { return status_message_; }
  std::span<const AttributeView> attributes() const noexcept { return {attributes_, attribute_count_}; }
  std::span<const EventView> events() const noexcept { return {events_, event_count_}; }
  std::span<const LinkView> links() const noexcept { return {links_, link_count_}; }
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t dropped_events_count = 0;
  std::uint32_t dropped_links_count = 0;

  /// Copies `name` into the arena.
  void set_name(std::string_view name) noexcept;
  /// Copies `message` into the arena.
  void set_status_message(std::string_view message) noexcept;
  /// Sets `key` to `value` (a copy); an existing key is overwritten in place. Returns false, and
  /// counts the attribute in dropped_attributes_count, when `max_count` attributes already exist.
  /// Strings longer than `max_value_length` are truncated (0 = no limit).
  bool set_attribute(std::string_view key, const AttributeValueView& value, std::size_t max_count = 128,
                     std::size_t max_value_length = 0) noexcept;
  /// Makes room for `count` more attributes (plus a little headroom for later set_attribute calls)
  /// in one arena allocation, so setting them never grows and copies the attribute array. Called
  /// by start_span, which knows how many it sets.
  void reserve_attributes(std::size_t count) noexcept;
  /// Appends an event (copying name and attributes). Counts it as dropped beyond `max_count`.
  bool add_event(std::string_view name, std::uint64_t time_unix_ns, std::span<const AttributeView> attributes,
                 std::size_t max_count = 128, std::size_t max_attributes = 128) noexcept;
  /// Appends a link (copying context and attributes). Counts it as dropped beyond `max_count`.
  bool add_link(const SpanContext& context, std::span<const AttributeView> attributes, std::size_t max_count = 128,
                std::size_t max_attributes = 128) noexcept;

  /// Bytes currently held on the heap by this record's arena (0 while everything fits inline).
  std::size_t heap_bytes() const noexcept;

 private:
  void* allocate(std::size_t size, std::size_t align) noexcept;
  void* allocate_chunk(std::size_t size, std::size_t align) noexcept;  // allocate() beyond the inline buffer
  std::string_view copy_string(std::string_view s, std::size_t max_length = 0) noexcept;
  AttributeValueView copy_value(const AttributeValueView& v, std::size_t max_length) noexcept;
  bool copy_attributes(std::span<const AttributeView> in, std::size_t max, const AttributeView*& out,
                       std::uint32_t& count, std::uint32_t& dropped) noexcept;
  void copy_from(const SpanData& other);

  std::string_view name_;
  std::string_view status_message_;
  AttributeView* attributes_ = nullptr;
  std::uint32_t attribute_count_ = 0;
  std::uint32_t attribute_capacity_ = 0;
  EventView* events_ = nullptr;
  std::uint32_t event_count_ = 0;
  std::uint32_t event_capacity_ = 0;
  LinkView* links_ = nullptr;
  std::uint32_t link_count_ = 0;
  std::uint32_t link_capacity_ = 0;

  // Arena: bump allocation in `inline_` then in heap chunks (freed on reset/destruction).
  struct Chunk;
  alignas(std::max_align_t) std::array<std::byte, kInlineArenaBytes> inline_{};
  std::size_t inline_used_ = 0;
  Chunk* chunks_ = nullptr;
};

/// Returns a finished record to whoever owns its storage (a pool, or plain `delete`).
/// Thread-safe as far as the pool behind it is.
struct SpanDataRecycler {
  void (*recycle)(SpanData*, void* context) noexcept = nullptr;
  void* context = nullptr;
  void operator()(SpanData* span) const noexcept {
    if (recycle != nullptr) recycle(span, context);
    else delete span;
  }
};

/// Owning handle of a finished span record, passed from Span to SpanProcessor.
using SpanDataPtr = std::unique_ptr<SpanData, SpanDataRecycler>;

}  // namespace frame_tracking
