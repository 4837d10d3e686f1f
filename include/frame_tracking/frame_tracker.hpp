// SPDX-License-Identifier: Apache-2.0
// FrameTracker: the domain API — a frame's journey as spans (capture root, stages, hops, drops).
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/context.hpp"
#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/link.hpp"
#include "frame_tracking/span.hpp"
#include "frame_tracking/tracer.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace frame_tracking {

/// What the capture side knows about a new frame (FrameMetadata's fields without id and context).
/// Non-owning; valid during begin_frame only.
struct FrameInfo {
  std::string_view camera_id;
  /// Per camera, from 0.
  std::uint64_t sequence = 0;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint64_t size_bytes = 0;
  std::optional<std::int64_t> pts{};
  std::string_view format{};
  /// Wall-clock capture time, Unix ns; 0 = now. Also the root span's start time when given.
  std::int64_t capture_time_unix_ns = 0;
};

/// One frame's journey inside this process: its metadata and its main span (`capture_frame` at
/// the capture side, the continued span — e.g. `process frames` — elsewhere). Move-only;
/// thread-compatible (it may move with the frame to another thread). Destroying it ends the
/// main span. Every span it opens carries the frame attributes: frame.id (canonical FrameId),
/// camera.id, frame.sequence, and frame.size_bytes, frame.width, frame.height (when non-zero),
/// frame.pts (when known).
class Frame {
 public:
  Frame() noexcept = default;
  Frame(Frame&&) noexcept = default;
  Frame& operator=(Frame&&) noexcept = default;

  /// The frame's metadata; traceparent/tracestate hold the main span's context (empty when the
  /// span context is invalid, e.g. SDK disabled without a parent).
  const FrameMetadata& metadata() const noexcept { return metadata_; }
  /// The metadata to send on the next hop from `span` (e.g. the `send frames` PRODUCER span): a
  /// copy whose traceparent/tracestate are `span`'s context.
  FrameMetadata metadata_for(const Span& span) const;
  /// The main span's context, to parent work by hand (StartSpanOptions::parent).
  Context context() const { return Context{main_.context(), {}}; }
  /// The main span (add attributes or events to it).
  Span& span() noexcept { return main_; }

  /// Opens a child span of the main span, with the frame attributes and then `attributes`
  /// (e.g. `frame.stage("decode_frame")`). noexcept; the parent is explicit, never the thread's
  /// current context.
  Span stage(std::string_view name, SpanKind kind = SpanKind::kInternal,
             std::span<const AttributeView> attributes = {}, std::span<const Link> links = {}) const noexcept;

  /// Ends the journey here: a `frame.dropped` event with frame.drop_reason = `reason` on the main
  /// span, status Error with description "frame dropped: <reason>", then ends the main span.
  void drop(std::string_view reason) noexcept;
  /// Ends the main span (also done by the destructor).
  void end(std::optional<std::uint64_t> end_time_unix_ns = std::nullopt) noexcept { main_.end(end_time_unix_ns); }

 private:
  friend class FrameTracker;
  /// Writes the frame attributes to `out`; returns how many.
  std::size_t frame_attributes(std::array<AttributeView, 8>& out) const noexcept;

  Tracer tracer_;
  FrameMetadata metadata_;
  std::array<char, FrameId::kStringSize> frame_id_text_{};
  Span main_;
};

/// Creates and continues frames over a Tracer. A cheap value; thread-safe (each call works on
/// its own Frame). The tracer's provider must outlive the frames.
class FrameTracker {
 public:
  explicit FrameTracker(Tracer tracer) noexcept : tracer_(tracer) {}

  /// Starts a frame: a new FrameId (FrameId::generate()), its FrameMetadata (from `info`), and the
  /// root span `capture_frame` (INTERNAL, a new trace whose trace id IS the FrameId; sampled per
  /// the provider's sampler, which for ratio sampling reads the FrameId's random bits) with the
  /// frame attributes and `attributes`. The metadata's traceparent/tracestate are set from it.
  Frame begin_frame(const FrameInfo& info, std::span<const AttributeView> attributes = {}) const;

  /// Resumes a frame in another thread or process from the metadata it travelled with: the
  /// span `span_name` (default kind CONSUMER, as a message receiver) is a child of the context in
  /// metadata.traceparent/tracestate (a remote parent; its sampled flag is honoured by
  /// ParentBased samplers). A missing or invalid traceparent starts a new trace whose trace id is
  /// the FrameId, so the journey can still be found by frame id. `links` are added (e.g. the
  /// other frames of a batch).
  Frame continue_frame(const FrameMetadata& metadata, std::string_view span_name, SpanKind kind = SpanKind::kConsumer,
                       std::span<const Link> links = {}, std::span<const AttributeView> attributes = {}) const;

  /// The context carried in `metadata` (remote), or an empty optional when its traceparent is
  /// missing or invalid. For batch spans that link N frames.
  static std::optional<SpanContext> context_of(const FrameMetadata& metadata);

  const Tracer& tracer() const noexcept { return tracer_; }

 private:
  Tracer tracer_;
};

}  // namespace frame_tracking
