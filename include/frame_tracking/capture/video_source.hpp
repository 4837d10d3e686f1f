// SPDX-License-Identifier: Apache-2.0
// VideoSource: reads and decodes a camera's RTSP stream or a video file with FFmpeg, one frame at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "frame_tracking/capture/capture_events.hpp"
#include "frame_tracking/capture/capture_stats.hpp"
#include "frame_tracking/capture/captured_frame.hpp"

namespace frame_tracking::capture {

/// How a VideoSource opens and keeps its input. Defaults suit a LAN camera.
struct VideoSourceOptions {
  /// rtsp://host[:port]/path (or rtsps://, or any other FFmpeg network URL), or a file path
  /// (a "file:" URL counts as a file). Network inputs get reconnects; files get loop and pace.
  std::string url{};
  std::int64_t open_timeout_us = 10'000'000;  ///< Limit for connect + RTSP setup + stream probe, µs.
  std::int64_t read_timeout_us = 5'000'000;   ///< Limit for waiting on the next packet, µs; then the stream counts as lost.
  bool rtsp_over_tcp = true;                  ///< RTSP: interleaved TCP transport (else UDP).
  bool loop = false;                          ///< Files: restart from the beginning at the end, forever.
  bool pace = false;                          ///< Files: release packets at the stream's rate, like a camera.
  bool reconnect = true;                      ///< Network: reopen after a stream loss.
  std::int64_t reconnect_initial_delay_us = 100'000;  ///< First backoff delay, µs; doubles per failed attempt.
  std::int64_t reconnect_max_delay_us = 5'000'000;    ///< Backoff ceiling, µs.
  int reconnect_max_attempts = 0;             ///< Attempts per outage before run() gives up; 0 = unlimited.
  bool deliver_corrupt_frames = false;        ///< Hand corrupt/concealed pictures to on_frame instead of dropping them.
  int decoder_threads = 1;                    ///< Slice threads for the decoder (frame threading is never used: it adds latency).
};

/// What on_frame tells the source about the frame it was given.
enum class FrameAction : std::uint8_t {
  kAccept,  ///< Taken; keep going.
  kBusy,    ///< Not taken (the caller is saturated): counted and reported as DropReason::kBusy.
  kStop,    ///< Taken; run() returns after this frame (RunEnd::kStopped).
};

/// The caller's hooks, all called on the thread running run(). Only on_frame is required.
struct CaptureCallbacks {
  std::function<FrameAction(const CapturedFrame&)> on_frame{};  ///< Each decoded frame, in presentation order.
  std::function<void(const DropEvent&)> on_drop{};              ///< Each dropped frame (see DropReason).
  std::function<void(const StreamGap&)> on_gap{};               ///< Each stream loss bridged by a reconnect.
};

/// Why run() returned.
enum class RunEnd : std::uint8_t {
  kEndOfStream,  ///< A file (not looping) ended; every frame was delivered or reported dropped.
  kStopped,      ///< on_frame returned kStop, or request_stop() was called.
  kOpenFailed,   ///< The input could not be opened (see RunResult::error).
  kStreamLost,   ///< A file read failed, or a network stream was lost and reconnecting gave up or is off.
};

/// The outcome of run(). `error` is empty unless reason is kOpenFailed or kStreamLost.
struct RunResult {
  RunEnd reason = RunEnd::kEndOfStream;
  std::string error{};  ///< Names the URL and the FFmpeg cause, e.g. "open rtsp://…: Connection refused".
};

/// Facts about the opened video stream. Value type.
struct StreamInfo {
  std::string codec_name{};  ///< e.g. "h264".
  std::string pixel_format{};  ///< Decoder output format, e.g. "yuv420p" ("" until known).
  int width = 0;             ///< Pixels.
  int height = 0;            ///< Pixels.
  int frame_rate_num = 0;    ///< Average or nominal frame rate; 0/0 when unknown.
  int frame_rate_den = 0;
  int time_base_num = 0;     ///< pts unit, e.g. 1/90000.
  int time_base_den = 0;
  bool is_network = false;   ///< An RTSP or other network input (reconnects apply).
};

/// Reads one video input (the best video stream of an RTSP URL or a file), decodes it and hands
/// each frame to a callback, counting and reporting everything that does not get through.
///
/// Usage:
/// ```
/// VideoSource source({.url = "rtsp://127.0.0.1:8554/stream"});
/// RunResult r = source.run({.on_frame = [](const CapturedFrame& f) { ...; return FrameAction::kAccept; },
///                           .on_drop = [](const DropEvent& d) { ... }});
/// ```
/// Behaviour: packets before the first key frame are dropped (kBeforeKeyframe); B-frames are
/// reordered by the decoder (frames come in presentation order, pts from best_effort_timestamp);
/// at the end of a file, a loop restart or a stream loss the decoder is drained first, so no frame
/// is lost silently. A network stream loss (EOF, read error, read timeout) is followed by reconnect
/// attempts with exponential backoff; a success is reported through on_gap and the timeline jumps by
/// the real outage.
///
/// Thread safety: run(), open() and stream_info() from one thread at a time; request_stop() and
/// stats() from any thread (not from a signal handler: they take a mutex). Errors never throw: they
/// come back as values. Movable, not copyable. FFmpeg's own log lines (e.g. h264 concealment
/// messages on corrupt input) go to FFmpeg's logger, which the application configures.
class VideoSource {
 public:
  explicit VideoSource(VideoSourceOptions options);
  ~VideoSource();
  VideoSource(VideoSource&&) noexcept;
  VideoSource& operator=(VideoSource&&) noexcept;
  VideoSource(const VideoSource&) = delete;
  VideoSource& operator=(const VideoSource&) = delete;

  /// Opens the input, finds its best video stream and opens its decoder, within open_timeout_us.
  /// Returns an empty string on success (or if already open), otherwise an error naming the URL and
  /// the cause ("open /x.mp4: No such file or directory", "... no video stream", ...). Optional:
  /// run() opens the source itself.
  std::string open();

  /// Stream facts; valid after a successful open() (refreshed after each reconnect).
  const StreamInfo& stream_info() const noexcept;

  /// Reads, decodes and delivers frames until the input ends, on_frame returns kStop, request_stop()
  /// is called, or the input is lost for good. Requires callbacks.on_frame (else kOpenFailed).
  /// May be called again: after kStopped it continues where it stopped; after kStreamLost it opens
  /// the input again (the timeline continues after the real outage); after kEndOfStream it returns
  /// kEndOfStream. Exceptions thrown by a callback propagate out of run().
  RunResult run(const CaptureCallbacks& callbacks);

  /// Makes run() return kStopped soon: interrupts blocking network I/O, backoff and pacing waits.
  /// Thread-safe, non-blocking. The request is consumed when run() returns kStopped because of it.
  void request_stop() noexcept;

  /// A snapshot of the counters. Thread-safe.
  CaptureStats stats() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::capture
