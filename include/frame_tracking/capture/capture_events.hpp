// SPDX-License-Identifier: Apache-2.0
// Capture events the caller traces: a frame dropped (and why) and a stream gap bridged by a reconnect.
#pragma once

#include <cstdint>
#include <string_view>

#include "frame_tracking/capture/captured_frame.hpp"

namespace frame_tracking::capture {

/// Why a compressed frame did not reach on_frame (or was refused there). The name() strings are the
/// values for the `frame.drop_reason` attribute of a `frame.dropped` event.
enum class DropReason : std::uint8_t {
  kBeforeKeyframe,  ///< Arrived before the first key frame after open/reconnect; not decodable, not decoded.
  kCorruptPacket,   ///< The demuxer flagged the packet corrupt; its decoded picture is not delivered.
  kDecodeError,     ///< The decoder rejected the packet, or consumed it without producing a picture.
  kCorruptFrame,    ///< The decoder produced a picture but flagged it corrupt or error-concealed.
  kBusy,            ///< on_frame returned FrameAction::kBusy (back-pressure).
};

/// "before_keyframe", "corrupt_packet", "decode_error", "corrupt_frame", "busy".
std::string_view name(DropReason reason) noexcept;

/// One dropped frame. Every video packet the demuxer returns ends exactly once: delivered to on_frame
/// with kAccept/kStop, or reported here. Value type; the string_view is valid during the callback.
struct DropEvent {
  DropReason reason = DropReason::kDecodeError;
  std::int64_t pts = kNoPts;              ///< Packet/frame pts in the stream time base, or kNoPts.
  std::int64_t size_bytes = 0;            ///< Compressed packet size.
  bool key_frame = false;                 ///< The packet was a key frame.
  std::int64_t receive_time_unix_ns = 0;  ///< Packet returned by the demuxer (Unix ns).
  std::int64_t drop_time_unix_ns = 0;     ///< When the drop was decided (Unix ns).
  std::string_view detail{};              ///< Human-readable cause (FFmpeg error text), may be empty.
};

/// A stream loss bridged by a reconnect (network sources only). Value type; the string_view is valid
/// during the callback.
struct StreamGap {
  std::int64_t lost_unix_ns = 0;     ///< When the loss was detected (read error, EOF or read timeout).
  std::int64_t resumed_unix_ns = 0;  ///< When the stream was open again.
  int attempts = 0;                  ///< Connection attempts it took (>= 1).
  std::string_view cause{};          ///< Why the stream was lost (FFmpeg error text).
};

}  // namespace frame_tracking::capture
