// SPDX-License-Identifier: Apache-2.0
// CaptureStats: counters of one VideoSource (packets, frames, drops by reason, timestamps, reconnects).
#pragma once

#include <cstdint>

namespace frame_tracking::capture {

/// A snapshot of a VideoSource's counters, all since construction. Accounting rule: every video
/// packet ends exactly once, delivered or dropped, so whenever the decoder holds nothing (after
/// run() returned kEndOfStream or kStreamLost, after each reconnect, and at any frame of a stream
/// without B-frames) `video_packets == frames_delivered + frames_dropped_busy +
/// dropped_before_keyframe + corrupt_packets_dropped + decode_errors + corrupt_frames`; otherwise the
/// difference is the frames still being reordered inside the decoder. Value type; thread-compatible.
struct CaptureStats {
  std::uint64_t video_packets = 0;            ///< Packets of the video stream returned by the demuxer.
  std::uint64_t video_bytes = 0;              ///< Their total size in bytes.
  std::uint64_t frames_delivered = 0;         ///< on_frame calls that returned kAccept or kStop.
  std::uint64_t frames_dropped_busy = 0;      ///< on_frame calls that returned kBusy.
  std::uint64_t dropped_before_keyframe = 0;  ///< DropReason::kBeforeKeyframe.
  std::uint64_t corrupt_packets = 0;          ///< Packets flagged corrupt by the demuxer (all, decoded or not).
  std::uint64_t corrupt_packets_dropped = 0;  ///< DropReason::kCorruptPacket.
  std::uint64_t decode_errors = 0;            ///< DropReason::kDecodeError.
  std::uint64_t corrupt_frames = 0;           ///< DropReason::kCorruptFrame.
  std::uint64_t read_errors = 0;              ///< Demuxer read errors that returned no packet.
  std::uint64_t missing_pts = 0;              ///< Frames whose pts was missing (time estimated).
  std::uint64_t timestamp_resets = 0;         ///< Frames whose pts went backwards (timeline re-anchored).
  std::uint64_t loops = 0;                    ///< Times a looping file restarted from its beginning.
  std::uint64_t stream_losses = 0;            ///< Network stream losses detected.
  std::uint64_t reconnects = 0;               ///< Successful reconnects (each reported as a StreamGap).
  std::uint64_t reconnect_attempts = 0;       ///< Connection attempts made after losses.
  std::uint64_t gap_ns = 0;                   ///< Total time between loss and reconnect, ns.
};

}  // namespace frame_tracking::capture
