// SPDX-License-Identifier: Apache-2.0
// Tests of VideoSource on the generated H.264 clip: every frame, exact per-frame facts (checked against
// ffprobe), B-frame reordering, looping, stop/continue, back-pressure drops and JPEG input.
#include "frame_tracking/capture/video_source.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "frame_tracking/capture/image_ops.hpp"

namespace frame_tracking::capture {
namespace {

constexpr std::int64_t kFrameNs = 40'000'000;  // 25 fps
constexpr int kClipFrames = 100;

// What a test keeps of each delivered frame (the picture itself is only valid in the callback).
struct Seen {
  std::uint64_t index;
  std::int64_t pts;
  std::int64_t time_ns;
  std::int64_t size_bytes;
  bool key_frame;
  char picture_type;
  std::int64_t receive_ns, decode_start_ns, decode_end_ns;
  int width, height, linesize0;
  std::string pixel_format, codec;
};

Seen keep(const CapturedFrame& f) {
  return Seen{f.index, f.pts, f.presentation_time_ns, f.size_bytes, f.key_frame, f.picture_type,
              f.receive_time_unix_ns, f.decode_start_unix_ns, f.decode_end_unix_ns, f.picture.width,
              f.picture.height, f.picture.linesize[0], std::string(f.picture.pixel_format),
              std::string(f.codec_name)};
}

std::uint64_t dropped_total(const CaptureStats& s) {
  return s.frames_dropped_busy + s.dropped_before_keyframe + s.corrupt_packets_dropped + s.decode_errors +
         s.corrupt_frames;
}

// ffprobe's view of every frame of a file, as an independent oracle: best_effort_timestamp, pkt_size,
// pict_type and key_frame in presentation order.
nlohmann::json probe_frames(const std::string& path) {
  const std::string command = "ffprobe -v error -select_streams v:0 -show_entries "
                              "frame=best_effort_timestamp,pkt_size,pict_type,key_frame -of json '" + path + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buf[4096];
  for (std::size_t n; pipe && (n = fread(buf, 1, sizeof buf, pipe.get())) > 0;) out.append(buf, n);
  return nlohmann::json::parse(out, nullptr, false)["frames"];
}

TEST(VideoSourceTest, OpensTheClipAndReportsItsStream) {
  VideoSource source({.url = FT_TEST_CLIP});
  ASSERT_EQ(source.open(), "");
  const StreamInfo& info = source.stream_info();
  EXPECT_EQ(info.codec_name, "h264");
  EXPECT_EQ(info.pixel_format, "yuv420p");
  EXPECT_EQ(info.width, 640);
  EXPECT_EQ(info.height, 480);
  EXPECT_EQ(info.frame_rate_num, 25);
  EXPECT_EQ(info.frame_rate_den, 1);
  EXPECT_EQ(info.time_base_num, 1);
  EXPECT_EQ(info.time_base_den, 12800);
  EXPECT_FALSE(info.is_network);
}

TEST(VideoSourceTest, DeliversEveryFrameWithExactFacts) {
  VideoSource source({.url = FT_TEST_CLIP});
  std::vector<Seen> frames;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    return FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kEndOfStream);
  EXPECT_EQ(result.error, "");
  ASSERT_EQ(frames.size(), static_cast<std::size_t>(kClipFrames));

  std::int64_t bytes = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Seen& f = frames[i];
    SCOPED_TRACE("frame " + std::to_string(i));
    EXPECT_EQ(f.index, i);
    EXPECT_EQ(f.pts, static_cast<std::int64_t>(i) * 512);  // 1/12800 s units
    EXPECT_EQ(f.time_ns, static_cast<std::int64_t>(i) * kFrameNs);
    EXPECT_EQ(f.key_frame, i % 25 == 0);
    EXPECT_EQ(f.codec, "h264");
    EXPECT_EQ(f.pixel_format, "yuv420p");
    EXPECT_EQ(f.width, 640);
    EXPECT_EQ(f.height, 480);
    EXPECT_GE(f.linesize0, 640);
    EXPECT_GT(f.size_bytes, 0);
    EXPECT_LE(f.receive_ns, f.decode_start_ns);
    EXPECT_LE(f.decode_start_ns, f.decode_end_ns);
    bytes += f.size_bytes;
  }
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.video_packets, 100u);
  EXPECT_EQ(stats.frames_delivered, 100u);
  EXPECT_EQ(dropped_total(stats), 0u);
  EXPECT_EQ(stats.missing_pts, 0u);
  EXPECT_EQ(stats.timestamp_resets, 0u);
  EXPECT_EQ(static_cast<std::int64_t>(stats.video_bytes), bytes);
  // A finished source stays finished.
  EXPECT_EQ(source.run({.on_frame = [](const CapturedFrame&) { return FrameAction::kAccept; }}).reason,
            RunEnd::kEndOfStream);
}

TEST(VideoSourceTest, BFramesArriveInPresentationOrderWithTheirOwnPacketFacts) {
  const nlohmann::json expected = probe_frames(FT_TEST_CLIP);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kClipFrames));
  VideoSource source({.url = FT_TEST_CLIP});
  std::vector<Seen> frames;
  source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    return FrameAction::kAccept;
  }});
  ASSERT_EQ(frames.size(), expected.size());
  int b_frames = 0;
  bool decode_order_differs = false;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    EXPECT_EQ(frames[i].pts, expected[i]["best_effort_timestamp"].get<std::int64_t>());
    EXPECT_EQ(frames[i].size_bytes, std::stoll(expected[i]["pkt_size"].get<std::string>()));
    EXPECT_EQ(std::string(1, frames[i].picture_type), expected[i]["pict_type"].get<std::string>());
    EXPECT_EQ(frames[i].key_frame, expected[i]["key_frame"].get<int>() == 1);
    b_frames += frames[i].picture_type == 'B';
    // A B-frame's packet is sent to the decoder after the later P-frame it refers to.
    if (i > 0 && frames[i].decode_start_ns < frames[i - 1].decode_start_ns) decode_order_differs = true;
  }
  EXPECT_EQ(b_frames, 61);
  EXPECT_TRUE(decode_order_differs);
}

TEST(VideoSourceTest, LoopingFileKeepsTheTimelineContinuous) {
  VideoSource source({.url = FT_TEST_CLIP, .loop = true});
  std::vector<Seen> frames;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    return frames.size() == 250 ? FrameAction::kStop : FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kStopped);
  ASSERT_EQ(frames.size(), 250u);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    EXPECT_EQ(frames[i].index, i);
    EXPECT_EQ(frames[i].pts, static_cast<std::int64_t>(i % kClipFrames) * 512);
    EXPECT_EQ(frames[i].time_ns, static_cast<std::int64_t>(i) * kFrameNs);
  }
  EXPECT_EQ(source.stats().loops, 2u);
  EXPECT_EQ(source.stats().frames_delivered, 250u);
}

TEST(VideoSourceTest, StopThenRunAgainContinuesWithTheNextFrame) {
  VideoSource source({.url = FT_TEST_CLIP});
  std::vector<std::int64_t> pts;
  const auto on_frame = [&](const CapturedFrame& f) {
    pts.push_back(f.pts);
    return pts.size() == 10 || pts.size() == 11 ? FrameAction::kStop : FrameAction::kAccept;
  };
  EXPECT_EQ(source.run({.on_frame = on_frame}).reason, RunEnd::kStopped);
  EXPECT_EQ(pts.size(), 10u);
  EXPECT_EQ(source.run({.on_frame = on_frame}).reason, RunEnd::kStopped);
  EXPECT_EQ(pts.size(), 11u);
  EXPECT_EQ(source.run({.on_frame = on_frame}).reason, RunEnd::kEndOfStream);
  ASSERT_EQ(pts.size(), static_cast<std::size_t>(kClipFrames));
  for (std::size_t i = 0; i < pts.size(); ++i) EXPECT_EQ(pts[i], static_cast<std::int64_t>(i) * 512);
}

TEST(VideoSourceTest, BusyFramesAreCountedAndReportedAsDrops) {
  VideoSource source({.url = FT_TEST_CLIP});
  std::vector<std::int64_t> accepted, dropped;
  std::vector<std::string> reasons;
  const RunResult result = source.run(
      {.on_frame =
           [&](const CapturedFrame& f) {
             if (f.index % 3 == 2) return FrameAction::kBusy;
             accepted.push_back(f.pts);
             return FrameAction::kAccept;
           },
       .on_drop =
           [&](const DropEvent& d) {
             dropped.push_back(d.pts);
             reasons.emplace_back(name(d.reason));
             EXPECT_EQ(d.detail, "on_frame returned busy");
             EXPECT_GT(d.size_bytes, 0);
           }});
  EXPECT_EQ(result.reason, RunEnd::kEndOfStream);
  EXPECT_EQ(accepted.size(), 67u);
  ASSERT_EQ(dropped.size(), 33u);
  for (std::size_t i = 0; i < dropped.size(); ++i) EXPECT_EQ(dropped[i], static_cast<std::int64_t>(3 * i + 2) * 512);
  EXPECT_EQ(reasons, std::vector<std::string>(33, "busy"));
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.frames_delivered, 67u);
  EXPECT_EQ(stats.frames_dropped_busy, 33u);
  EXPECT_EQ(stats.video_packets, stats.frames_delivered + dropped_total(stats));
}

TEST(VideoSourceTest, PacedLoopDeliversTheSameFramesAndStopsOnRequest) {
  VideoSource source({.url = FT_TEST_CLIP, .loop = true, .pace = true});
  std::vector<std::int64_t> times;
  std::thread stopper;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    times.push_back(f.presentation_time_ns);
    if (times.size() == 3) stopper = std::thread([&source] { source.request_stop(); });
    return FrameAction::kAccept;
  }});
  stopper.join();
  EXPECT_EQ(result.reason, RunEnd::kStopped);
  ASSERT_GE(times.size(), 3u);
  for (std::size_t i = 0; i < times.size(); ++i) EXPECT_EQ(times[i], static_cast<std::int64_t>(i) * kFrameNs);
}

// Writes `jpeg` to a temporary file, decodes it with VideoSource and returns the frame's facts and luma.
struct DecodedJpeg {
  std::vector<Seen> frames;
  std::vector<std::uint8_t> luma;
  std::vector<std::uint8_t> reencoded;  // the decoded (yuvj420p) picture encoded again
};

DecodedJpeg decode_jpeg(const std::vector<std::uint8_t>& jpeg, const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()),
                                              static_cast<std::streamsize>(jpeg.size()));
  DecodedJpeg out;
  VideoSource source({.url = path});
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    out.frames.push_back(keep(f));
    if (Result<GrayImage> gray = to_gray(f.picture, f.picture.width, f.picture.height)) out.luma = gray->pixels;
    if (auto again = encode_jpeg(f.picture, f.picture.width, f.picture.height, 2)) out.reencoded = *again;
    return FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kEndOfStream) << result.error;
  return out;
}

TEST(VideoSourceTest, ReadsJpegsWrittenByEncodeJpegWithExactLevels) {
  GrayImage gray{32, 16, std::vector<std::uint8_t>(32 * 16, 128)};
  Result<std::vector<std::uint8_t>> jpeg = encode_jpeg(gray.view(), 32, 16, 2);
  ASSERT_TRUE(jpeg) << jpeg.error().message;
  const DecodedJpeg first = decode_jpeg(*jpeg, "capture-gray.jpg");
  ASSERT_EQ(first.frames.size(), 1u);
  EXPECT_EQ(first.frames[0].codec, "mjpeg");
  EXPECT_EQ(first.frames[0].pixel_format, "yuvj420p");
  EXPECT_EQ(first.frames[0].width, 32);
  EXPECT_EQ(first.frames[0].height, 16);
  EXPECT_EQ(first.frames[0].size_bytes, static_cast<std::int64_t>(jpeg->size()));
  EXPECT_EQ(first.luma, std::vector<std::uint8_t>(32 * 16, 128));
  // A full-range (yuvj420p) picture keeps its levels through encode_jpeg too.
  ASSERT_FALSE(first.reencoded.empty());
  const DecodedJpeg second = decode_jpeg(first.reencoded, "capture-gray-again.jpg");
  ASSERT_EQ(second.frames.size(), 1u);
  EXPECT_EQ(second.luma, std::vector<std::uint8_t>(32 * 16, 128));
}

}  // namespace
}  // namespace frame_tracking::capture
