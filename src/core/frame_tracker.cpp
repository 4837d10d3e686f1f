// SPDX-License-Identifier: Apache-2.0
// FrameTracker and Frame: frame attributes on every span, context carried in FrameMetadata.
#include "frame_tracking/frame_tracker.hpp"

#include "clock.hpp"

#include "frame_tracking/traceparent.hpp"

#include <algorithm>

namespace frame_tracking {
namespace {

void write_context(const SpanContext& context, FrameMetadata& metadata) {
  if (context.is_valid()) {
    metadata.traceparent = format_traceparent(context);
    metadata.tracestate = context.trace_state.header();
  } else {
    metadata.traceparent.clear();
    metadata.tracestate.clear();
  }
}

// Concatenates the frame attributes and the caller's (as many as fit `storage`).
std::span<const AttributeView> combine(std::span<const AttributeView> frame, std::span<const AttributeView> extra,
                                       std::span<AttributeView> storage) noexcept {
  std::size_t n = std::min(frame.size(), storage.size());
  std::copy_n(frame.begin(), n, storage.begin());
  std::size_t m = std::min(extra.size(), storage.size() - n);
  std::copy_n(extra.begin(), m, storage.begin() + static_cast<std::ptrdiff_t>(n));
  return storage.first(n + m);
}

constexpr std::size_t kMaxStartAttributes = 40;

}  // namespace

std::size_t Frame::frame_attributes(std::array<AttributeView, 8>& out) const noexcept {
  std::size_t n = 0;
  out[n++] = {"frame.id", std::string_view(frame_id_text_.data(), frame_id_text_.size())};
  out[n++] = {"camera.id", std::string_view(metadata_.camera_id)};
  out[n++] = {"frame.sequence", static_cast<std::int64_t>(metadata_.sequence)};
  if (metadata_.size_bytes != 0) out[n++] = {"frame.size_bytes", static_cast<std::int64_t>(metadata_.size_bytes)};
  if (metadata_.width != 0) out[n++] = {"frame.width", static_cast<std::int64_t>(metadata_.width)};
  if (metadata_.height != 0) out[n++] = {"frame.height", static_cast<std::int64_t>(metadata_.height)};
  if (metadata_.pts) out[n++] = {"frame.pts", *metadata_.pts};
  return n;
}

FrameMetadata Frame::metadata_for(const Span& span) const {
  FrameMetadata m = metadata_;
  write_context(span.context(), m);
  return m;
}

Span Frame::stage(std::string_view name, SpanKind kind, std::span<const AttributeView> attributes,
                  std::span<const Link> links) const noexcept {
  std::array<AttributeView, 8> frame;
  std::size_t n = frame_attributes(frame);
  std::array<AttributeView, kMaxStartAttributes> storage;
  Context parent{main_.context(), {}};
  return tracer_.start_span(name, {.kind = kind,
                                   .parent = &parent,
                                   .attributes = combine(std::span(frame).first(n), attributes, storage),
                                   .links = links});
}

void Frame::drop(std::string_view reason) noexcept {
  const AttributeView attrs[] = {{"frame.drop_reason", reason}};
  main_.add_event("frame.dropped", attrs);
  if (main_.is_recording()) {
    char message[128];
    constexpr std::string_view kPrefix = "frame dropped: ";
    std::size_t len = std::min(reason.size(), sizeof message - kPrefix.size());
    std::copy(kPrefix.begin(), kPrefix.end(), message);
    std::copy_n(reason.begin(), len, message + kPrefix.size());
    main_.set_status(StatusCode::kError, std::string_view(message, kPrefix.size() + len));
  }
  main_.end();
}

Frame FrameTracker::begin_frame(const FrameInfo& info, std::span<const AttributeView> attributes) const {
  Frame frame;
  frame.tracer_ = tracer_;
  FrameMetadata& m = frame.metadata_;
  m.frame_id = FrameId::generate();
  m.camera_id = std::string(info.camera_id);
  m.sequence = info.sequence;
  m.capture_time_unix_ns =
      info.capture_time_unix_ns != 0 ? info.capture_time_unix_ns : static_cast<std::int64_t>(detail::realtime_ns());
  m.pts = info.pts;
  m.width = info.width;
  m.height = info.height;
  m.format = std::string(info.format);
  m.size_bytes = info.size_bytes;
  m.frame_id.write_string(frame.frame_id_text_.data());

  std::array<AttributeView, 8> frame_attrs;
  std::size_t n = frame.frame_attributes(frame_attrs);
  std::array<AttributeView, kMaxStartAttributes> storage;
  frame.main_ = tracer_.start_span(
      "capture_frame", {.new_root = true,
                        .trace_id = m.frame_id.to_trace_id(),
                        .attributes = combine(std::span(frame_attrs).first(n), attributes, storage),
                        .start_time_unix_ns = info.capture_time_unix_ns > 0
                                                  ? static_cast<std::uint64_t>(info.capture_time_unix_ns)
                                                  : 0});
  write_context(frame.main_.context(), m);
  return frame;
}

std::optional<SpanContext> FrameTracker::context_of(const FrameMetadata& metadata) {
  if (metadata.traceparent.empty()) return std::nullopt;
  auto parsed = parse_traceparent(metadata.traceparent);
  if (!parsed) return std::nullopt;
  SpanContext context = std::move(*parsed);
  if (!metadata.tracestate.empty()) {
    if (auto state = TraceState::parse(metadata.tracestate)) context.trace_state = std::move(*state);
  }
  return context;
}

Frame FrameTracker::continue_frame(const FrameMetadata& metadata, std::string_view span_name, SpanKind kind,
                                   std::span<const Link> links, std::span<const AttributeView> attributes) const {
  Frame frame;
  frame.tracer_ = tracer_;
  frame.metadata_ = metadata;
  metadata.frame_id.write_string(frame.frame_id_text_.data());
  std::array<AttributeView, 8> frame_attrs;
  std::size_t n = frame.frame_attributes(frame_attrs);
  std::array<AttributeView, kMaxStartAttributes> storage;
  StartSpanOptions options{.kind = kind,
                           .attributes = combine(std::span(frame_attrs).first(n), attributes, storage),
                           .links = links};
  Context parent;
  if (auto context = context_of(metadata)) {
    parent.span_context = std::move(*context);
    options.parent = &parent;
  } else {
    options.new_root = true;
    if (metadata.frame_id.is_valid()) options.trace_id = metadata.frame_id.to_trace_id();
  }
  frame.main_ = tracer_.start_span(span_name, options);
  write_context(frame.main_.context(), frame.metadata_);
  return frame;
}

}  // namespace frame_tracking
