// SPDX-License-Identifier: Apache-2.0
// `pipeline rtsp-capture`: decode a camera or file, trace each frame (capture_frame → decode_frame) and send its
// metadata with a small gray thumbnail to frames:metadata; every drop ends the frame's trace with frame.dropped.
#include "pipeline/commands.hpp"
#include "pipeline/frame_message.hpp"
#include "pipeline/process_runtime.hpp"

#include "frame_tracking/capture/image_ops.hpp"
#include "frame_tracking/capture/video_source.hpp"
#include "frame_tracking/frame_tracker.hpp"
#include "frame_tracking/traced_messaging.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace frame_tracking::pipeline {
namespace {

struct CaptureOptions {
  ProcessOptions process;
  std::string input;
  std::string camera_id = "cam-1";
  std::uint64_t frames = 0;
  double fps = 0;
  bool loop = false;
  std::size_t queue_size = 32;
  int thumb_width = 128;
  int thumb_height = 96;
  std::string ids_file;
};

/// A frame decoded and traced, waiting for the sender thread.
struct PendingFrame {
  Frame frame;
  FrameMetadata metadata;
  std::vector<std::uint8_t> thumbnail;
  /// When the capture stage took the frame (for frame_processing_duration_seconds{stage="capture"}).
  std::chrono::steady_clock::time_point started;
};

/// Bounded hand-over from the capture thread to the sender thread. try_push never blocks, so a
/// slow broker shows up as `busy` drops instead of stalling the decoder.
class FrameQueue {
 public:
  explicit FrameQueue(std::size_t capacity) : capacity_(capacity) {}
  bool full() const {
    std::lock_guard lock(mutex_);
    return items_.size() >= capacity_;
  }
  void push(PendingFrame item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  /// The next frame; empty once closed and drained.
  std::optional<PendingFrame> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    PendingFrame item = std::move(items_.front());
    items_.pop_front();
    return item;
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<PendingFrame> items_;
  bool closed_ = false;
};

/// One line per captured FrameId (dropped frames too), flushed at once so a reader sees every id.
class IdsFile {
 public:
  explicit IdsFile(const std::string& path) : file_(path.empty() ? nullptr : std::fopen(path.c_str(), "w")) {}
  ~IdsFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  IdsFile(const IdsFile&) = delete;
  IdsFile& operator=(const IdsFile&) = delete;
  bool failed(const std::string& path) const { return !path.empty() && file_ == nullptr; }
  void write(const FrameId& id) {
    if (file_ == nullptr) return;
    char line[FrameId::kStringSize + 1];
    id.write_string(line);
    line[FrameId::kStringSize] = '\n';
    std::fwrite(line, 1, sizeof(line), file_);
    std::fflush(file_);
  }

 private:
  std::FILE* file_;
};

int run(const CaptureOptions& options) {
  auto started = ProcessRuntime::start("rtsp-capture", options.process);
  if (!started) {
    std::cerr << "rtsp-capture: " << started.error().message << "\n";
    return 2;
  }
  ProcessRuntime& runtime = **started;
  IdsFile ids(options.ids_file);
  if (ids.failed(options.ids_file)) {
    runtime.log("cannot write --ids-file " + options.ids_file);
    return runtime.finish(2);
  }
  const FrameTracker tracker(runtime.tracer());
  std::unique_ptr<MessageProducer> producer = runtime.broker().producer({std::string(kMetadataStream)});
  TracedProducer traced(*producer, runtime.tracer(), runtime.propagator());

  capture::VideoSourceOptions source_options;
  source_options.url = options.input;
  source_options.loop = options.loop;
  capture::VideoSource source(source_options);
  if (std::string error = source.open(); !error.empty()) {
    runtime.log(error);
    return runtime.finish(1);
  }
  const capture::StreamInfo& info = source.stream_info();
  runtime.log("capturing " + options.input + " (" + info.codec_name + " " + std::to_string(info.width) + "x" +
              std::to_string(info.height) + ") as camera " + options.camera_id + " → " + runtime.broker().url() + " " +
              std::string(kMetadataStream));

  // Every captured frame leaves the capture stage processed (sent on) or dropped; decoding is timed per frame.
  metrics::FrameStage& capture_stage = runtime.frame_metrics().stage("capture", options.camera_id);
  metrics::FrameStage& decode_stage = runtime.frame_metrics().stage("decode", options.camera_id);
  FrameQueue queue(options.queue_size);
  std::thread sender([&] {
    while (std::optional<PendingFrame> item = queue.pop()) {
      const Context parent = item->frame.context();
      const std::string_view payload(reinterpret_cast<const char*>(item->thumbnail.data()), item->thumbnail.size());
      SendResult sent = traced.send(kMetadataStream, payload, {}, &item->metadata, &parent);
      runtime.count_send(*producer, kMetadataStream, sent);
      if (sent.ok()) {
        runtime.count("sent");
        capture_stage.processed(seconds_since(item->started));
        item->frame.end();
      } else {
        runtime.log("send failed: " + sent.error);
        runtime.count_drop("send_failed");
        capture_stage.dropped("send_failed");
        item->frame.drop("send_failed");
      }
      runtime.publish_stats();
    }
  });

  std::uint64_t sequence = 0;
  const auto limit_reached = [&] { return options.frames > 0 && sequence >= options.frames; };
  std::optional<std::chrono::steady_clock::time_point> pace_start;
  // A dropped packet is still a captured frame: it gets a FrameId and a trace that ends at once.
  const auto on_drop = [&](const capture::DropEvent& drop) {
    if (limit_reached()) return;
    FrameInfo frame_info{.camera_id = options.camera_id,
                         .sequence = sequence++,
                         .width = static_cast<std::uint32_t>(info.width),
                         .height = static_cast<std::uint32_t>(info.height),
                         .size_bytes = static_cast<std::uint64_t>(drop.size_bytes),
                         .pts = drop.pts == capture::kNoPts ? std::nullopt : std::optional<std::int64_t>(drop.pts),
                         .format = info.codec_name,
                         .capture_time_unix_ns = drop.receive_time_unix_ns};
    const std::array<AttributeView, 1> attributes{AttributeView{"pipeline.stage", std::string_view("capture")}};
    Frame frame = tracker.begin_frame(frame_info, attributes);
    ids.write(frame.metadata().frame_id);
    runtime.count("captured");
    runtime.count_drop(capture::name(drop.reason));
    capture_stage.dropped(capture::name(drop.reason));
    frame.drop(capture::name(drop.reason));
  };
  const auto on_frame = [&](const capture::CapturedFrame& captured) -> capture::FrameAction {
    if (ProcessRuntime::stop_requested() || limit_reached()) return capture::FrameAction::kStop;
    if (queue.full()) return capture::FrameAction::kBusy;  // reported through on_drop as `busy`
    const char picture_type[2] = {captured.picture_type, '\0'};
    FrameInfo frame_info{.camera_id = options.camera_id,
                         .sequence = sequence++,
                         .width = static_cast<std::uint32_t>(captured.picture.width),
                         .height = static_cast<std::uint32_t>(captured.picture.height),
                         .size_bytes = static_cast<std::uint64_t>(captured.size_bytes),
                         .pts = captured.pts == capture::kNoPts ? std::nullopt : std::optional<std::int64_t>(captured.pts),
                         .format = captured.codec_name,
                         .capture_time_unix_ns = captured.receive_time_unix_ns};
    const std::array<AttributeView, 3> attributes{AttributeView{"pipeline.stage", std::string_view("capture")},
                                                  AttributeView{"frame.key_frame", captured.key_frame},
                                                  AttributeView{"frame.picture_type", std::string_view(picture_type)}};
    PendingFrame item{tracker.begin_frame(frame_info, attributes), {}, {}, std::chrono::steady_clock::now()};
    ids.write(item.frame.metadata().frame_id);
    runtime.count("captured");
    {
      const Context parent = item.frame.context();
      Span decode = runtime.tracer().start_span(
          "decode_frame", {.parent = &parent, .start_time_unix_ns = static_cast<std::uint64_t>(captured.decode_start_unix_ns)});
      set_frame_attributes(decode, item.frame.metadata());
      decode.set_attribute("pipeline.stage", "decode");
      decode.set_attribute("frame.pts_estimated", captured.pts_estimated);
      decode.end(static_cast<std::uint64_t>(captured.decode_end_unix_ns));
      decode_stage.processed(static_cast<double>(captured.decode_end_unix_ns - captured.decode_start_unix_ns) * 1e-9);
    }
    auto gray = capture::to_gray(captured.picture, options.thumb_width, options.thumb_height);
    if (!gray) {
      runtime.log("thumbnail: " + gray.error().message);
      runtime.count_drop("thumbnail_failed");
      capture_stage.dropped("thumbnail_failed");
      item.frame.drop("thumbnail_failed");
      return capture::FrameAction::kAccept;
    }
    item.metadata = item.frame.metadata();
    item.metadata.attributes[std::string(kThumbWidth)] = std::to_string(gray->width);
    item.metadata.attributes[std::string(kThumbHeight)] = std::to_string(gray->height);
    item.metadata.attributes[std::string(kKeyFrame)] = captured.key_frame ? "true" : "false";
    item.metadata.attributes[std::string(kPictureType)] = picture_type;
    item.thumbnail = std::move(gray->pixels);
    queue.push(std::move(item));
    runtime.publish_stats();
    if (options.fps > 0 && !info.is_network) {  // pace a file like a camera
      if (!pace_start) pace_start = std::chrono::steady_clock::now();
      std::this_thread::sleep_until(*pace_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                      std::chrono::duration<double>(static_cast<double>(sequence) / options.fps)));
    }
    return limit_reached() ? capture::FrameAction::kStop : capture::FrameAction::kAccept;
  };

  // SIGTERM/SIGINT interrupt blocking network reads through request_stop (not callable from the handler).
  std::atomic<bool> capture_done{false};
  std::thread stop_watch([&] {
    while (!capture_done.load()) {
      if (ProcessRuntime::stop_requested()) {
        source.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const capture::RunResult result = source.run({.on_frame = on_frame, .on_drop = on_drop});
  capture_done.store(true);
  stop_watch.join();
  queue.close();
  sender.join();

  const capture::CaptureStats stats = source.stats();
  runtime.count("video_packets", stats.video_packets);
  int exit_code = 0;
  if (result.reason == capture::RunEnd::kOpenFailed || result.reason == capture::RunEnd::kStreamLost) {
    runtime.log("capture ended: " + result.error);
    exit_code = 1;
  } else if (options.frames > 0 && sequence < options.frames && !ProcessRuntime::stop_requested()) {
    runtime.log("the input ended after " + std::to_string(sequence) + " of " + std::to_string(options.frames) +
                " frames (use --loop for a file)");
  }
  return runtime.finish(exit_code);
}

}  // namespace

void add_rtsp_capture_command(CLI::App& pipeline, int& exit_code) {
  auto options = std::make_shared<CaptureOptions>();
  CLI::App* cmd = pipeline.add_subcommand("rtsp-capture", "Capture frames from an RTSP camera or a file and send them on");
  add_process_options(*cmd, options->process);
  cmd->add_option("--input", options->input, "rtsp://HOST:PORT/PATH or a video file")->required();
  cmd->add_option("--camera-id", options->camera_id, "camera.id of the frames")->capture_default_str();
  cmd->add_option("--frames", options->frames, "Stop after this many frames (dropped ones included); 0 = no limit")
      ->capture_default_str();
  cmd->add_option("--fps", options->fps, "Files: release frames at this rate like a camera; 0 = as fast as decoded")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  cmd->add_flag("--loop", options->loop, "Files: start again at the end");
  cmd->add_option("--queue-size", options->queue_size, "Frames waiting for the broker before new ones are dropped as busy")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--thumbnail-width", options->thumb_width, "Width of the gray thumbnail sent with each frame")
      ->check(CLI::Range(8, 1024))
      ->capture_default_str();
  cmd->add_option("--thumbnail-height", options->thumb_height, "Height of the gray thumbnail")
      ->check(CLI::Range(8, 1024))
      ->capture_default_str();
  cmd->add_option("--ids-file", options->ids_file, "Write each captured FrameId here, one per line");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace frame_tracking::pipeline
