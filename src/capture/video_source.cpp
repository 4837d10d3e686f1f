// SPDX-License-Identifier: Apache-2.0
// VideoSource: FFmpeg demux + decode loop with timeouts, reconnect backoff, pacing and exact drop accounting.
#include "frame_tracking/capture/video_source.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "ffmpeg_util.hpp"
#include "frame_tracking/capture/presentation_timeline.hpp"

namespace frame_tracking::capture {

std::string_view name(DropReason reason) noexcept {
  switch (reason) {
    case DropReason::kBeforeKeyframe: return "before_keyframe";
    case DropReason::kCorruptPacket: return "corrupt_packet";
    case DropReason::kDecodeError: return "decode_error";
    case DropReason::kCorruptFrame: return "corrupt_frame";
    case DropReason::kBusy: return "busy";
  }
  return "unknown";
}

namespace {

using namespace detail;

// Packets sent to the decoder and not yet matched to a picture. H.264/HEVC reorder at most 16
// frames, so a packet still unmatched 64 packets later produced no picture.
constexpr std::size_t kPendingWindow = 64;
// Consecutive demuxer errors on a file before it counts as unreadable.
constexpr int kMaxConsecutiveReadErrors = 16;

bool is_network_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  return scheme_end != std::string::npos && url.compare(0, scheme_end, "file") != 0;
}

// What the demuxer and the clock said about one compressed packet.
struct PacketFacts {
  std::int64_t pts = kNoPts;
  std::int64_t size = 0;
  bool key = false;
  bool corrupt = false;
  std::int64_t receive_ns = 0;
  std::int64_t decode_start_ns = 0;
};

struct PendingPacket {
  bool in_use = false;
  std::int64_t seq = 0;
  PacketFacts facts;
};

enum class State : std::uint8_t { kClosed, kReading, kDraining, kEnded };

}  // namespace

class VideoSource::Impl {
 public:
  explicit Impl(VideoSourceOptions options)
      : options_(std::move(options)), network_(is_network_url(options_.url)) {
    info_.is_network = network_;
  }
  ~Impl() { close_input(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::string open() {
    if (state_ != State::kClosed) return {};
    std::string error = open_input();
    if (!error.empty()) return error;
    // kElapsed matters only for a reopen after a failed reconnect; the first segment starts at 0.
    timeline_.start_segment(info_.time_base_num, info_.time_base_den, frame_duration_ns_,
                            PresentationTimeline::Join::kElapsed);
    return {};
  }

  const StreamInfo& info() const noexcept { return info_; }

  RunResult run(const CaptureCallbacks& callbacks);

  void request_stop() noexcept {
    stop_.store(true);
    { std::lock_guard lock(wait_mutex_); }
    wait_cv_.notify_all();
  }

  CaptureStats stats() const noexcept {
    std::lock_guard lock(stats_mutex_);
    return stats_;
  }

 private:
  enum class Receive : std::uint8_t { kGotFrame, kNeedInput, kDrained };
  enum class Read : std::uint8_t { kOk, kEnd, kLost, kInterrupted };

  static int interrupt(void* opaque) noexcept {
    auto* self = static_cast<Impl*>(opaque);
    if (self->stop_.load(std::memory_order_relaxed)) return 1;
    const std::int64_t deadline = self->io_deadline_ns_.load(std::memory_order_relaxed);
    if (deadline != 0 && steady_now_ns() > deadline) {
      self->timed_out_.store(true, std::memory_order_relaxed);
      return 1;
    }
    return 0;
  }
  void arm_deadline(std::int64_t timeout_us) noexcept {
    timed_out_.store(false);
    io_deadline_ns_.store(steady_now_ns() + std::max<std::int64_t>(timeout_us, 1) * 1000);
  }
  void disarm_deadline() noexcept { io_deadline_ns_.store(0); }

  // Waits until a steady-clock time; false when a stop was requested.
  bool wait_until(std::int64_t steady_deadline_ns) {
    std::unique_lock lock(wait_mutex_);
    const auto deadline = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(steady_deadline_ns));
    return !wait_cv_.wait_until(lock, deadline, [this] { return stop_.load(); });
  }

  void add(std::uint64_t CaptureStats::*field, std::uint64_t n = 1) noexcept {
    std::lock_guard lock(stats_mutex_);
    stats_.*field += n;
  }

  std::string open_input();
  void close_input() noexcept;
  Read read_packet(std::string& error);
  void send_packet();
  Receive receive_frame();
  void deliver(const PacketFacts& facts);
  void drop(DropReason reason, const PacketFacts& facts, std::string_view detail);
  void finish_drain();
  bool restart_file();
  bool reconnect(const std::string& cause, std::string& error);
  void pace();

  const VideoSourceOptions options_;
  const bool network_;
  StreamInfo info_;
  std::int64_t frame_duration_ns_ = 0;

  FormatPtr format_;
  CodecPtr decoder_;
  PacketPtr packet_{av_packet_alloc()};
  FramePtr frame_{av_frame_alloc()};
  int stream_index_ = -1;
  State state_ = State::kClosed;
  std::string drain_cause_;  // why the decoder is draining: empty = end of file, else the loss
  const CaptureCallbacks* callbacks_ = nullptr;

  std::array<PendingPacket, kPendingWindow> pending_{};
  std::int64_t next_seq_ = 0;
  bool seen_keyframe_ = false;
  bool stop_after_frame_ = false;
  int consecutive_read_errors_ = 0;
  std::string last_decoder_error_;
  std::uint64_t next_index_ = 0;
  PresentationTimeline timeline_;

  // Pacing (files with options.pace): packet time origin and the steady time it maps to.
  std::int64_t pace_origin_ts_ = kNoPts;
  std::int64_t pace_anchor_ns_ = 0;
  std::int64_t pace_last_due_ns_ = 0;

  std::atomic<bool> stop_{false};
  std::atomic<bool> timed_out_{false};
  std::atomic<std::int64_t> io_deadline_ns_{0};
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  mutable std::mutex stats_mutex_;
  CaptureStats stats_;
};

std::string VideoSource::Impl::open_input() {
  close_input();
  const std::string& url = options_.url;
  if (url.empty()) return "open: url is empty";
  if (!packet_ || !frame_) return "open " + url + ": out of memory";
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return "open " + url + ": out of memory";
  raw->interrupt_callback.callback = &Impl::interrupt;
  raw->interrupt_callback.opaque = this;

  // Timeouts are enforced by the interrupt callback (open_timeout_us / read_timeout_us deadlines), the
  // same way for every protocol, rather than by per-protocol socket options.
  AVDictionary* input_options = nullptr;
  if (network_ && url.rfind("rtsp", 0) == 0) {
    av_dict_set(&input_options, "rtsp_transport", options_.rtsp_over_tcp ? "tcp" : "udp", 0);
  }
  const auto failure = [&](std::string_view what, int code) {
    std::string reason = timed_out_.load()
                             ? "no answer within open_timeout_us=" + std::to_string(options_.open_timeout_us)
                             : error_text(code);
    return std::string(what) + " " + url + ": " + reason;
  };

  arm_deadline(options_.open_timeout_us);
  int rc = avformat_open_input(&raw, url.c_str(), nullptr, &input_options);
  av_dict_free(&input_options);
  if (rc < 0) {  // avformat_open_input freed the context
    disarm_deadline();
    return failure("open", rc);
  }
  FormatPtr format(raw);
  rc = avformat_find_stream_info(format.get(), nullptr);
  disarm_deadline();
  if (rc < 0) return failure("probe", rc);

  const int index = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) return "open " + url + ": no video stream";
  AVStream* stream = format->streams[index];
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (codec == nullptr) {
    return "open " + url + ": no decoder for codec " + avcodec_get_name(stream->codecpar->codec_id);
  }
  CodecPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder) return "open " + url + ": out of memory";
  rc = avcodec_parameters_to_context(decoder.get(), stream->codecpar);
  if (rc < 0) return failure("decoder parameters for", rc);
  decoder->thread_count = std::max(options_.decoder_threads, 1);
  decoder->thread_type = FF_THREAD_SLICE;
  decoder->pkt_timebase = stream->time_base;
  rc = avcodec_open2(decoder.get(), codec, nullptr);
  if (rc < 0) return failure("open decoder for", rc);

  AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = AVRational{0, 0};
  info_.codec_name = avcodec_get_name(stream->codecpar->codec_id);
  const char* pixel_format = av_get_pix_fmt_name(decoder->pix_fmt);
  info_.pixel_format = pixel_format != nullptr ? pixel_format : "";
  info_.width = stream->codecpar->width;
  info_.height = stream->codecpar->height;
  info_.frame_rate_num = rate.num;
  info_.frame_rate_den = rate.den;
  info_.time_base_num = stream->time_base.num;
  info_.time_base_den = stream->time_base.den;
  frame_duration_ns_ = rate.num > 0 ? av_rescale(1'000'000'000, rate.den, rate.num) : 0;

  format_ = std::move(format);
  decoder_ = std::move(decoder);
  stream_index_ = index;
  state_ = State::kReading;
  seen_keyframe_ = false;
  consecutive_read_errors_ = 0;
  pace_origin_ts_ = kNoPts;
  pace_anchor_ns_ = 0;
  return {};
}

void VideoSource::Impl::close_input() noexcept {
  if (format_) {
    arm_deadline(options_.read_timeout_us);  // an RTSP TEARDOWN to a dead server must not hang
    format_.reset();
    disarm_deadline();
  }
  decoder_.reset();
  stream_index_ = -1;
  state_ = State::kClosed;
}

RunResult VideoSource::Impl::run(const CaptureCallbacks& callbacks) {
  if (!callbacks.on_frame) return {RunEnd::kOpenFailed, "run: callbacks.on_frame is required"};
  if (std::string error = open(); !error.empty()) return {RunEnd::kOpenFailed, std::move(error)};
  callbacks_ = &callbacks;
  const auto stopped = [this] {
    if (stop_after_frame_) {
      stop_after_frame_ = false;
      return true;
    }
    return stop_.exchange(false);
  };

  for (;;) {
    if (stopped()) return {RunEnd::kStopped, {}};
    switch (state_) {
      case State::kEnded:
        return {RunEnd::kEndOfStream, {}};
      case State::kClosed:  // closed by a reconnect that was stopped: open again on the next run()
        return {RunEnd::kStopped, {}};
      case State::kReading: {
        if (receive_frame() == Receive::kGotFrame) break;  // deliver what the decoder holds first
        std::string error;
        const Read read = read_packet(error);
        if (read == Read::kOk) {
          send_packet();
        } else if (read != Read::kInterrupted) {
          drain_cause_ = read == Read::kLost ? std::move(error) : std::string();
          avcodec_send_packet(decoder_.get(), nullptr);
          state_ = State::kDraining;
        }
        break;
      }
      case State::kDraining: {
        if (receive_frame() == Receive::kGotFrame) break;
        finish_drain();
        if (drain_cause_.empty()) {  // end of file
          if (!options_.loop) {
            state_ = State::kEnded;
            return {RunEnd::kEndOfStream, {}};
          }
          if (!restart_file()) return {RunEnd::kStreamLost, "loop " + options_.url + ": cannot restart"};
          break;
        }
        if (!network_ || !options_.reconnect) {
          const std::string cause = drain_cause_;
          close_input();
          return {RunEnd::kStreamLost, cause};
        }
        std::string error;
        if (!reconnect(drain_cause_, error) && !error.empty()) return {RunEnd::kStreamLost, std::move(error)};
        break;  // reconnected, or stopped while waiting (the loop's stop check returns)
      }
    }
  }
}

VideoSource::Impl::Read VideoSource::Impl::read_packet(std::string& error) {
  for (;;) {
    av_packet_unref(packet_.get());
    arm_deadline(options_.read_timeout_us);
    const int rc = av_read_frame(format_.get(), packet_.get());
    disarm_deadline();
    if (rc >= 0) {
      consecutive_read_errors_ = 0;
      if (packet_->stream_index != stream_index_) continue;
      return Read::kOk;
    }
    if (stop_.load()) return Read::kInterrupted;  // request_stop(): nothing read, nothing lost
    if (rc == AVERROR_EOF) {
      if (!network_) return Read::kEnd;
      error = "read " + options_.url + ": end of stream";
      return Read::kLost;
    }
    add(&CaptureStats::read_errors);
    if (timed_out_.load()) {
      error = "read " + options_.url + ": no packet within read_timeout_us=" +
              std::to_string(options_.read_timeout_us);
      return Read::kLost;
    }
    error = "read " + options_.url + ": " + error_text(rc);
    if (network_ || rc != AVERROR_INVALIDDATA || ++consecutive_read_errors_ > kMaxConsecutiveReadErrors) {
      return Read::kLost;
    }
  }
}

void VideoSource::Impl::send_packet() {
  AVPacket* packet = packet_.get();
  if (options_.pace && !network_) pace();
  PacketFacts facts;
  facts.receive_ns = unix_now_ns();
  facts.pts = packet->pts;
  facts.size = packet->size;
  facts.key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
  facts.corrupt = (packet->flags & AV_PKT_FLAG_CORRUPT) != 0;
  {
    std::lock_guard lock(stats_mutex_);
    ++stats_.video_packets;
    stats_.video_bytes += static_cast<std::uint64_t>(packet->size);
    if (facts.corrupt) ++stats_.corrupt_packets;
  }
  if (!seen_keyframe_) {
    if (!facts.key) {
      drop(DropReason::kBeforeKeyframe, facts, "waiting for the first key frame");
      return;
    }
    seen_keyframe_ = true;
  }

  const std::int64_t seq = next_seq_++;
  PendingPacket& slot = pending_[static_cast<std::size_t>(seq) % kPendingWindow];
  if (slot.in_use) {  // still unmatched a full window later: the decoder made no picture of it
    slot.in_use = false;
    drop(DropReason::kDecodeError, slot.facts,
         last_decoder_error_.empty() ? "decoder produced no picture" : last_decoder_error_);
  }
  // The decoder copies reordered_opaque into the picture made from this packet, through reordering.
  decoder_->reordered_opaque = seq;
  facts.decode_start_ns = unix_now_ns();
  const int rc = avcodec_send_packet(decoder_.get(), packet);
  if (rc < 0) {
    last_decoder_error_ = "decoder rejected packet: " + error_text(rc);
    drop(DropReason::kDecodeError, facts, last_decoder_error_);
    return;
  }
  slot = PendingPacket{true, seq, facts};
}

VideoSource::Impl::Receive VideoSource::Impl::receive_frame() {
  AVFrame* frame = frame_.get();
  const int rc = avcodec_receive_frame(decoder_.get(), frame);
  if (rc == AVERROR(EAGAIN)) return Receive::kNeedInput;
  if (rc == AVERROR_EOF) return Receive::kDrained;
  if (rc < 0) {
    // Not tied to one packet: packets left without a picture are reported by the pending window.
    last_decoder_error_ = "decoder error: " + error_text(rc);
    return state_ == State::kDraining ? Receive::kDrained : Receive::kNeedInput;
  }
  const std::int64_t seq = frame->reordered_opaque;
  PendingPacket& slot = pending_[static_cast<std::size_t>(seq) % kPendingWindow];
  PacketFacts facts;
  if (slot.in_use && slot.seq == seq) {
    facts = slot.facts;
    slot.in_use = false;
  } else {  // cannot happen with a well-behaved decoder; keep the frame with what it carries
    facts.pts = frame->pts;
    facts.size = frame->pkt_size;
    facts.key = frame->key_frame != 0;
    facts.receive_ns = facts.decode_start_ns = unix_now_ns();
  }
  deliver(facts);
  av_frame_unref(frame);
  return Receive::kGotFrame;
}

void VideoSource::Impl::deliver(const PacketFacts& facts) {
  const AVFrame* frame = frame_.get();
  const std::int64_t decode_end = unix_now_ns();
  const std::int64_t pts = frame->best_effort_timestamp;
  const PresentationTimeline::Stamp stamp = timeline_.next(pts, steady_now_ns());
  if (stamp.estimated) add(&CaptureStats::missing_pts);
  if (stamp.reset) add(&CaptureStats::timestamp_resets);

  if (!options_.deliver_corrupt_frames) {
    if (facts.corrupt) {
      drop(DropReason::kCorruptPacket, facts, "packet flagged corrupt by the demuxer");
      return;
    }
    if ((frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0) {
      drop(DropReason::kCorruptFrame, facts, "decoder flagged the picture corrupt or concealed");
      return;
    }
  }

  CapturedFrame out;
  out.index = next_index_++;
  out.pts = pts;
  out.time_base_num = info_.time_base_num;
  out.time_base_den = info_.time_base_den;
  out.presentation_time_ns = stamp.time_ns;
  out.pts_estimated = stamp.estimated;
  out.codec_name = avcodec_get_name(decoder_->codec_id);
  out.size_bytes = facts.size;
  out.key_frame = facts.key;
  out.picture_type = av_get_picture_type_char(frame->pict_type);
  out.receive_time_unix_ns = facts.receive_ns;
  out.decode_start_unix_ns = facts.decode_start_ns;
  out.decode_end_unix_ns = decode_end;
  const char* format_name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame->format));
  out.picture.pixel_format = format_name != nullptr ? format_name : "";
  out.picture.width = frame->width;
  out.picture.height = frame->height;
  for (std::size_t i = 0; i < out.picture.data.size(); ++i) {
    out.picture.data[i] = frame->data[i];
    out.picture.linesize[i] = frame->linesize[i];
  }
  if (info_.pixel_format != out.picture.pixel_format) info_.pixel_format = out.picture.pixel_format;
  info_.width = frame->width;
  info_.height = frame->height;

  const FrameAction action = callbacks_->on_frame(out);
  if (action == FrameAction::kBusy) {
    drop(DropReason::kBusy, facts, "on_frame returned busy");
    return;
  }
  add(&CaptureStats::frames_delivered);
  if (action == FrameAction::kStop) stop_after_frame_ = true;
}

void VideoSource::Impl::drop(DropReason reason, const PacketFacts& facts, std::string_view detail) {
  switch (reason) {
    case DropReason::kBeforeKeyframe: add(&CaptureStats::dropped_before_keyframe); break;
    case DropReason::kCorruptPacket: add(&CaptureStats::corrupt_packets_dropped); break;
    case DropReason::kDecodeError: add(&CaptureStats::decode_errors); break;
    case DropReason::kCorruptFrame: add(&CaptureStats::corrupt_frames); break;
    case DropReason::kBusy: add(&CaptureStats::frames_dropped_busy); break;
  }
  if (callbacks_ == nullptr || !callbacks_->on_drop) return;
  DropEvent event;
  event.reason = reason;
  event.pts = facts.pts;
  event.size_bytes = facts.size;
  event.key_frame = facts.key;
  event.receive_time_unix_ns = facts.receive_ns;
  event.drop_time_unix_ns = unix_now_ns();
  event.detail = detail;
  callbacks_->on_drop(event);
}

void VideoSource::Impl::finish_drain() {
  // Fully drained: every packet still unmatched produced no picture (reported oldest first).
  constexpr auto kWindow = static_cast<std::int64_t>(kPendingWindow);
  for (std::int64_t seq = std::max<std::int64_t>(next_seq_ - kWindow, 0); seq < next_seq_; ++seq) {
    PendingPacket& slot = pending_[static_cast<std::size_t>(seq % kWindow)];
    if (!slot.in_use || slot.seq != seq) continue;
    slot.in_use = false;
    drop(DropReason::kDecodeError, slot.facts,
         last_decoder_error_.empty() ? "decoder produced no picture" : last_decoder_error_);
  }
  last_decoder_error_.clear();
  avcodec_flush_buffers(decoder_.get());
}

bool VideoSource::Impl::restart_file() {
  add(&CaptureStats::loops);
  const std::int64_t start = format_->start_time != AV_NOPTS_VALUE ? format_->start_time : 0;
  if (av_seek_frame(format_.get(), -1, start, AVSEEK_FLAG_BACKWARD) < 0 && !open_input().empty()) {
    return false;
  }
  state_ = State::kReading;
  seen_keyframe_ = false;
  if (pace_origin_ts_ != kNoPts) pace_anchor_ns_ = pace_last_due_ns_ + frame_duration_ns_;
  pace_origin_ts_ = kNoPts;
  timeline_.start_segment(info_.time_base_num, info_.time_base_den, frame_duration_ns_,
                          PresentationTimeline::Join::kContinuous);
  return true;
}

bool VideoSource::Impl::reconnect(const std::string& cause, std::string& error) {
  add(&CaptureStats::stream_losses);
  const std::int64_t lost_unix = unix_now_ns();
  const std::int64_t lost_steady = steady_now_ns();
  close_input();
  std::int64_t delay_us = std::max<std::int64_t>(options_.reconnect_initial_delay_us, 1);
  for (int attempt = 1;; ++attempt) {
    if (!wait_until(steady_now_ns() + delay_us * 1000)) return false;  // stopped; error stays empty
    add(&CaptureStats::reconnect_attempts);
    std::string open_error = open_input();
    if (open_error.empty()) {
      const std::int64_t resumed_unix = unix_now_ns();
      {
        std::lock_guard lock(stats_mutex_);
        ++stats_.reconnects;
        stats_.gap_ns += static_cast<std::uint64_t>(steady_now_ns() - lost_steady);
      }
      timeline_.start_segment(info_.time_base_num, info_.time_base_den, frame_duration_ns_,
                              PresentationTimeline::Join::kElapsed);
      if (callbacks_->on_gap) callbacks_->on_gap(StreamGap{lost_unix, resumed_unix, attempt, cause});
      return true;
    }
    if (stop_.load()) return false;
    if (options_.reconnect_max_attempts > 0 && attempt >= options_.reconnect_max_attempts) {
      error = "reconnect " + options_.url + ": gave up after " + std::to_string(attempt) +
              " attempts; last error: " + open_error + "; stream lost because: " + cause;
      return false;
    }
    delay_us = std::min(delay_us * 2, std::max(options_.reconnect_max_delay_us, delay_us));
  }
}

void VideoSource::Impl::pace() {
  const AVPacket* packet = packet_.get();
  const std::int64_t ts = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
  if (ts == AV_NOPTS_VALUE) return;
  if (pace_origin_ts_ == kNoPts) {
    pace_origin_ts_ = ts;
    if (pace_anchor_ns_ == 0) pace_anchor_ns_ = steady_now_ns();
  }
  const AVRational time_base{info_.time_base_num, info_.time_base_den};
  const std::int64_t offset = av_rescale_q(ts - pace_origin_ts_, time_base, AVRational{1, 1'000'000'000});
  pace_last_due_ns_ = pace_anchor_ns_ + std::max<std::int64_t>(offset, 0);
  wait_until(pace_last_due_ns_);
}

VideoSource::VideoSource(VideoSourceOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
VideoSource::~VideoSource() = default;
VideoSource::VideoSource(VideoSource&&) noexcept = default;
VideoSource& VideoSource::operator=(VideoSource&&) noexcept = default;

std::string VideoSource::open() { return impl_->open(); }
const StreamInfo& VideoSource::stream_info() const noexcept { return impl_->info(); }
RunResult VideoSource::run(const CaptureCallbacks& callbacks) { return impl_->run(callbacks); }
void VideoSource::request_stop() noexcept { impl_->request_stop(); }
CaptureStats VideoSource::stats() const noexcept { return impl_->stats(); }

}  // namespace frame_tracking::capture
