// SPDX-License-Identifier: Apache-2.0
// Tests of VideoSource on bad input: missing and non-video files, truncated and corrupted clips, misuse.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "frame_tracking/capture/video_source.hpp"

namespace frame_tracking::capture {
namespace {

std::vector<char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string write_temp(const std::string& name, const std::vector<char>& bytes) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::uint64_t dropped_total(const CaptureStats& s) {
  return s.frames_dropped_busy + s.dropped_before_keyframe + s.corrupt_packets_dropped + s.decode_errors +
         s.corrupt_frames;
}

// Runs a source to its end, collecting delivered pts and drop events; returns the result.
struct Outcome {
  RunResult result;
  std::vector<std::int64_t> pts;
  std::vector<std::int64_t> times;
  std::uint64_t drops_reported = 0;
  CaptureStats stats;
};

Outcome run_all(const std::string& path) {
  Outcome out;
  VideoSource source({.url = path});
  out.result = source.run({.on_frame =
                               [&](const CapturedFrame& f) {
                                 out.pts.push_back(f.pts);
                                 out.times.push_back(f.presentation_time_ns);
                                 return FrameAction::kAccept;
                               },
                           .on_drop = [&](const DropEvent&) { ++out.drops_reported; }});
  out.stats = source.stats();
  return out;
}

TEST(VideoSourceBadInputTest, MissingFileGivesAClearError) {
  VideoSource source({.url = "/nonexistent/dir/clip.mp4"});
  EXPECT_EQ(source.open(), "open /nonexistent/dir/clip.mp4: No such file or directory");
  const RunResult result = source.run({.on_frame = [](const CapturedFrame&) { return FrameAction::kAccept; }});
  EXPECT_EQ(result.reason, RunEnd::kOpenFailed);
  EXPECT_EQ(result.error, "open /nonexistent/dir/clip.mp4: No such file or directory");
}

TEST(VideoSourceBadInputTest, UnreadableFileGivesAClearError) {
  const std::string path = write_temp("garbage.dat", std::vector<char>(4096, 'x'));
  VideoSource source({.url = path});
  EXPECT_EQ(source.open(), "probe " + path + ": End of file");
}

TEST(VideoSourceBadInputTest, AudioOnlyFileHasNoVideoStream) {
  // A valid 8 kHz mono 16-bit PCM WAV file with 800 silent samples.
  const auto le = [](std::vector<char>& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  };
  std::vector<char> wav;
  const std::uint32_t data_bytes = 1600;
  for (char c : std::string("RIFF")) wav.push_back(c);
  le(wav, 36 + data_bytes, 4);
  for (char c : std::string("WAVEfmt ")) wav.push_back(c);
  le(wav, 16, 4), le(wav, 1, 2), le(wav, 1, 2), le(wav, 8000, 4), le(wav, 16000, 4), le(wav, 2, 2), le(wav, 16, 2);
  for (char c : std::string("data")) wav.push_back(c);
  le(wav, data_bytes, 4);
  wav.resize(wav.size() + data_bytes, 0);
  const std::string path = write_temp("audio-only.wav", wav);
  VideoSource source({.url = path});
  EXPECT_EQ(source.open(), "open " + path + ": no video stream");
}

TEST(VideoSourceBadInputTest, EmptyUrlAndMissingCallbackAreRejected) {
  VideoSource empty({});
  EXPECT_EQ(empty.open(), "open: url is empty");
  VideoSource source({.url = FT_TEST_CLIP});
  const RunResult result = source.run({});
  EXPECT_EQ(result.reason, RunEnd::kOpenFailed);
  EXPECT_EQ(result.error, "run: callbacks.on_frame is required");
}

TEST(VideoSourceBadInputTest, TruncatedClipEndsEarlyAndAccountsForEveryPacket) {
  std::vector<char> bytes = read_file(FT_TEST_CLIP);
  ASSERT_GT(bytes.size(), 100'000u);
  bytes.resize(bytes.size() * 6 / 10);
  const Outcome out = run_all(write_temp("truncated.mp4", bytes));
  EXPECT_EQ(out.result.reason, RunEnd::kEndOfStream) << out.result.error;
  EXPECT_GT(out.pts.size(), 10u);
  EXPECT_LT(out.pts.size(), 100u);
  for (std::size_t i = 1; i < out.times.size(); ++i) EXPECT_LT(out.times[i - 1], out.times[i]);
  for (std::int64_t pts : out.pts) EXPECT_EQ(pts % 512, 0);  // only real frames of the clip
  EXPECT_EQ(out.stats.corrupt_packets, 1u);  // the cut-off last packet, flagged by the demuxer
  EXPECT_EQ(out.stats.video_packets, out.stats.frames_delivered + dropped_total(out.stats));
  EXPECT_EQ(out.drops_reported, dropped_total(out.stats));
}

TEST(VideoSourceBadInputTest, CorruptedClipCountsDecoderErrorsWithoutCrashing) {
  std::vector<char> bytes = read_file(FT_TEST_CLIP);
  ASSERT_GT(bytes.size(), 100'000u);
  // Overwrite 256 bytes every 16 KiB of the media data (the header stays intact).
  for (std::size_t at = 32 * 1024; at + 256 < bytes.size(); at += 16 * 1024) {
    for (std::size_t i = 0; i < 256; ++i) bytes[at + i] = static_cast<char>((i * 37 + at) & 0xff);
  }
  const Outcome out = run_all(write_temp("corrupted.mp4", bytes));
  EXPECT_EQ(out.result.reason, RunEnd::kEndOfStream) << out.result.error;
  EXPECT_EQ(out.stats.video_packets, 100u);
  EXPECT_GT(out.stats.decode_errors + out.stats.corrupt_frames, 0u);
  EXPECT_EQ(out.stats.video_packets, out.stats.frames_delivered + dropped_total(out.stats));
  EXPECT_EQ(out.drops_reported, dropped_total(out.stats));
  for (std::size_t i = 1; i < out.times.size(); ++i) EXPECT_LT(out.times[i - 1], out.times[i]);
}

TEST(VideoSourceBadInputTest, DropReasonNamesAreTheFrameDropReasonValues) {
  EXPECT_EQ(name(DropReason::kBeforeKeyframe), "before_keyframe");
  EXPECT_EQ(name(DropReason::kCorruptPacket), "corrupt_packet");
  EXPECT_EQ(name(DropReason::kDecodeError), "decode_error");
  EXPECT_EQ(name(DropReason::kCorruptFrame), "corrupt_frame");
  EXPECT_EQ(name(DropReason::kBusy), "busy");
}

}  // namespace
}  // namespace frame_tracking::capture
