// SPDX-License-Identifier: Apache-2.0
// The messages of the reference pipeline: destination names, FrameMetadata attribute keys, and how a
// frame's journey is ended on a span (frame.dropped).
#pragma once

#include "frame_tracking/attribute.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/result.hpp"
#include "frame_tracking/span.hpp"

#include <array>
#include <string>
#include <string_view>

namespace frame_tracking::pipeline {

/// rtsp-capture → frame-buffer: one message per frame; payload = the gray thumbnail (raw 8-bit
/// pixels, kThumbWidth × kThumbHeight from the metadata attributes), header frame_metadata.
inline constexpr std::string_view kMetadataStream = "frames:metadata";
/// frame-buffer → frame-processor `<name>`: the same message, routed.
inline constexpr std::string_view kReadyStreamPrefix = "frames:ready:";
/// frame-processor → metadata-storage: payload = the processor's output (a JPEG for thumbnail,
/// empty for motion), header frame_metadata with the results in its attributes.
inline constexpr std::string_view kResultsStream = "frames:results";

/// FrameMetadata::attributes keys written by the pipeline.
inline constexpr std::string_view kThumbWidth = "thumbnail.width";
inline constexpr std::string_view kThumbHeight = "thumbnail.height";
inline constexpr std::string_view kKeyFrame = "key_frame";
inline constexpr std::string_view kPictureType = "picture_type";
inline constexpr std::string_view kProcessor = "processor";
inline constexpr std::string_view kMotionScore = "motion.score";
inline constexpr std::string_view kJpegBytes = "thumbnail.jpeg_bytes";

/// The event that ends a frame's journey, and its attribute (DESIGN.md "Spans of one frame").
inline constexpr std::string_view kDroppedEvent = "frame.dropped";
inline constexpr std::string_view kDropReason = "frame.drop_reason";

/// `frames:ready:<processor>`.
inline std::string ready_stream(std::string_view processor) {
  return std::string(kReadyStreamPrefix) + std::string(processor);
}

/// Ends the frame's journey on `span`: a `frame.dropped` event with frame.drop_reason = `reason`
/// and status Error "frame dropped: <reason>" (the same shape as Frame::drop). The caller ends the span.
inline void record_drop(Span& span, std::string_view reason) noexcept {
  const std::array<AttributeView, 1> attributes{AttributeView{kDropReason, reason}};
  span.add_event(kDroppedEvent, attributes);
  try {
    span.set_status(StatusCode::kError, "frame dropped: " + std::string(reason));
  } catch (const std::exception&) {
    span.set_status(StatusCode::kError, "frame dropped");
  }
}

/// The FrameMetadata a message carries in its frame_metadata header. Errors: kMissingField when
/// the header is absent, else FrameMetadata::from_json's error.
inline Result<FrameMetadata> message_metadata(const ReceivedMessage& message) {
  const MessageHeader* header = message.header(kFrameMetadataHeader);
  if (header == nullptr || header->type == HeaderType::kOther)
    return Error{ErrorCode::kMissingField, std::string(kFrameMetadataHeader) + ": header is missing"};
  return FrameMetadata::from_json(header->value);
}

}  // namespace frame_tracking::pipeline
