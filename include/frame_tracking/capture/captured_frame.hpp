// SPDX-License-Identifier: Apache-2.0
// CapturedFrame: one decoded video frame as VideoSource hands it to the caller, with every fact needed to trace it.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "frame_tracking/capture/picture_view.hpp"

namespace frame_tracking::capture {

/// The value of a missing timestamp (equal to FFmpeg's AV_NOPTS_VALUE).
inline constexpr std::int64_t kNoPts = std::numeric_limits<std::int64_t>::min();

/// One decoded frame, handed to the on_frame callback in presentation (decoder output) order.
///
/// Times: `receive_time_unix_ns` is when the demuxer returned the frame's compressed packet;
/// `decode_start_unix_ns` is when that packet was sent to the decoder and `decode_end_unix_ns` when
/// the decoded picture came out (with B-frames this includes the decoder's reordering delay). All
/// three are Unix-epoch nanoseconds (system clock), ready for span start/end times:
/// capture_frame = [receive_time, ...], decode_frame = [decode_start, decode_end].
///
/// `presentation_time_ns` is the frame's place on the source's timeline in ns since its first frame:
/// taken from the decoder's best-effort pts, estimated (`pts_estimated`) from the previous frame plus
/// one frame duration (or the wall-clock time since it, when the frame rate is unknown) when pts is
/// missing, and strictly increasing across the whole run, including file loops and reconnects.
///
/// `picture` views decoder-owned memory that is valid only during the callback: copy what you keep.
/// The string_views point to static storage. Value type; thread-compatible.
struct CapturedFrame {
  std::uint64_t index = 0;               ///< 0-based count of frames handed to on_frame by this source.
  std::int64_t pts = kNoPts;             ///< Best-effort pts in `time_base` units, or kNoPts.
  int time_base_num = 0;                 ///< Stream time base numerator (e.g. 1).
  int time_base_den = 0;                 ///< Stream time base denominator (e.g. 90000).
  std::int64_t presentation_time_ns = 0; ///< Strictly increasing, ns since the source's first frame.
  bool pts_estimated = false;            ///< True when pts was missing and presentation_time_ns estimated.
  std::string_view codec_name{};         ///< FFmpeg codec name, e.g. "h264", "hevc", "mjpeg".
  std::int64_t size_bytes = 0;           ///< Size of the compressed packet this frame came from.
  bool key_frame = false;                ///< The packet was a key frame.
  char picture_type = '?';               ///< 'I', 'P', 'B' (or 'S', 'i', 'p', 'b', '?'), from the decoder.
  std::int64_t receive_time_unix_ns = 0; ///< Packet returned by the demuxer (Unix ns).
  std::int64_t decode_start_unix_ns = 0; ///< Packet sent to the decoder (Unix ns).
  std::int64_t decode_end_unix_ns = 0;   ///< Picture received from the decoder (Unix ns).
  PictureView picture{};                 ///< Width, height, pixel format and planes; valid during the callback.
};

}  // namespace frame_tracking::capture
