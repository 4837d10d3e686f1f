// SPDX-License-Identifier: Apache-2.0
// Integration tests of VideoSource against a real RTSP server (GStreamer, tests/fixtures/rtsp_server.py):
// live capture over TCP, the missing first pts, B-frames over RTP, and a reconnect after the server restarts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "frame_tracking/capture/video_source.hpp"

extern char** environ;

namespace frame_tracking::capture {
namespace {

struct Seen {
  std::int64_t pts;
  std::int64_t time_ns;
  bool estimated;
  char picture_type;
  std::int64_t receive_ns, decode_start_ns, decode_end_ns;
};

Seen keep(const CapturedFrame& f) {
  return Seen{f.pts, f.presentation_time_ns, f.pts_estimated, f.picture_type,
              f.receive_time_unix_ns, f.decode_start_unix_ns, f.decode_end_unix_ns};
}

std::uint64_t dropped_total(const CaptureStats& s) {
  return s.frames_dropped_busy + s.dropped_before_keyframe + s.corrupt_packets_dropped + s.decode_errors +
         s.corrupt_frames;
}

std::string fixture_url(const std::string& mount) {
  std::ifstream in(std::string(FT_FIXTURE_DIR) + "/rtsp.port");
  int port = 0;
  in >> port;
  return "rtsp://127.0.0.1:" + std::to_string(port) + mount;
}

// Checks what every RTSP capture must give: strictly increasing times; between frames that both have
// pts, the time step is the pts step; estimated times only where pts was missing; sane span times.
void expect_sane_timeline(const std::vector<Seen>& frames) {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    EXPECT_EQ(frames[i].estimated, frames[i].pts == kNoPts);
    EXPECT_LE(frames[i].receive_ns, frames[i].decode_start_ns);
    EXPECT_LE(frames[i].decode_start_ns, frames[i].decode_end_ns);
    if (i == 0) continue;
    EXPECT_LT(frames[i - 1].time_ns, frames[i].time_ns);
    if (frames[i - 1].pts != kNoPts && frames[i].pts != kNoPts) {
      const double step_ns = static_cast<double>(frames[i].pts - frames[i - 1].pts) * 1e9 / 90000.0;
      EXPECT_LE(std::abs(static_cast<double>(frames[i].time_ns - frames[i - 1].time_ns) - step_ns), 1.0);
    }
  }
}

TEST(RtspCaptureTest, CapturesTheLiveStreamOverTcp) {
  VideoSource source({.url = fixture_url("/stream"), .rtsp_over_tcp = true});
  ASSERT_EQ(source.open(), "");
  const StreamInfo& info = source.stream_info();
  EXPECT_TRUE(info.is_network);
  EXPECT_EQ(info.codec_name, "h264");
  EXPECT_EQ(info.width, 640);
  EXPECT_EQ(info.height, 480);
  EXPECT_EQ(info.time_base_num, 1);
  EXPECT_EQ(info.time_base_den, 90000);

  std::vector<Seen> frames;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    EXPECT_EQ(f.codec_name, "h264");
    EXPECT_EQ(f.picture.pixel_format, "yuv420p");
    EXPECT_EQ(f.picture.width, 640);
    EXPECT_EQ(f.picture.height, 480);
    EXPECT_GT(f.size_bytes, 0);
    return frames.size() == 30 ? FrameAction::kStop : FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kStopped);
  ASSERT_EQ(frames.size(), 30u);
  expect_sane_timeline(frames);
  EXPECT_EQ(frames[0].time_ns, 0);
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.frames_delivered, 30u);
  EXPECT_EQ(stats.missing_pts, static_cast<std::uint64_t>(std::count_if(
                                   frames.begin(), frames.end(), [](const Seen& s) { return s.estimated; })));
  // Baseline H.264 has no reordering delay: every packet read so far is delivered or dropped.
  EXPECT_EQ(stats.video_packets, stats.frames_delivered + dropped_total(stats));
  EXPECT_EQ(stats.stream_losses, 0u);
}

TEST(RtspCaptureTest, FirstPacketWithoutPtsGetsAnOrderedEstimatedTime) {
  // /file starts a fresh session at the clip's first (key) frame, whose RTP packet has no pts yet.
  VideoSource source({.url = fixture_url("/file"), .reconnect = false});
  std::vector<Seen> frames;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    return frames.size() == 5 ? FrameAction::kStop : FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kStopped);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(frames[0].pts, kNoPts);
  EXPECT_TRUE(frames[0].estimated);
  EXPECT_EQ(frames[0].picture_type, 'I');
  EXPECT_EQ(frames[0].time_ns, 0);
  EXPECT_EQ(frames[1].time_ns, 40'000'000);  // one frame duration later: the estimate fits the stream
  expect_sane_timeline(frames);
  EXPECT_EQ(source.stats().missing_pts, 1u);
}

// ffprobe's picture types of the clip, in presentation order.
std::string clip_picture_types() {
  const std::string command = std::string("ffprobe -v error -select_streams v:0 -show_entries frame=pict_type "
                                          "-of csv=p=0 '") + FT_TEST_CLIP + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string types;
  for (int c; pipe && (c = fgetc(pipe.get())) != EOF;) {
    if (c == 'I' || c == 'P' || c == 'B') types.push_back(static_cast<char>(c));
  }
  return types;
}

TEST(RtspCaptureTest, BFramesOverRtpArriveInPresentationOrder) {
  const std::string expected_types = clip_picture_types();
  ASSERT_EQ(expected_types.size(), 100u);
  const std::string url = fixture_url("/file");
  VideoSource source({.url = url, .reconnect = false});
  std::vector<Seen> frames;
  std::string types;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame& f) {
    frames.push_back(keep(f));
    types.push_back(f.picture_type);
    return FrameAction::kAccept;
  }});
  // The server ends the session after the clip: for a network source that is a stream loss.
  EXPECT_EQ(result.reason, RunEnd::kStreamLost);
  EXPECT_EQ(result.error, "read " + url + ": end of stream");
  EXPECT_EQ(types, expected_types);
  expect_sane_timeline(frames);
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.video_packets, 100u);
  EXPECT_EQ(stats.frames_delivered, 100u);
  EXPECT_EQ(dropped_total(stats), 0u);
}

// An rtsp_server.py child process owned by one test; stopped (SIGTERM) by stop() or the destructor.
class RtspServer {
 public:
  // Starts the server on `port` (0 = free port) and waits for its "RTSP_PORT n" line.
  explicit RtspServer(int port) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    const std::string script = std::string(FT_SOURCE_DIR) + "/tests/fixtures/rtsp_server.py";
    const std::string port_text = std::to_string(port);
    std::string clip = FT_TEST_CLIP;
    char* argv[] = {const_cast<char*>("/usr/bin/python3"), const_cast<char*>(script.c_str()), clip.data(),
                    const_cast<char*>(port_text.c_str()), nullptr};
    if (posix_spawn(&pid_, "/usr/bin/python3", &actions, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    std::unique_ptr<FILE, int (*)(FILE*)> out(fdopen(fds[0], "r"), fclose);
    char line[128];
    while (pid_ > 0 && out && fgets(line, sizeof line, out.get()) != nullptr) {
      if (std::sscanf(line, "RTSP_PORT %d", &port_) == 1) break;
    }
  }
  ~RtspServer() { stop(); }
  RtspServer(const RtspServer&) = delete;
  RtspServer& operator=(const RtspServer&) = delete;

  int port() const { return port_; }
  // SIGSTOP / SIGCONT: the server keeps its sockets open but sends nothing while paused.
  void pause() const { kill(pid_, SIGSTOP); }
  void resume() const { kill(pid_, SIGCONT); }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    kill(pid_, SIGCONT);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(RtspCaptureTest, ReconnectsAfterTheServerRestartsAndRecordsTheGap) {
  auto server = std::make_unique<RtspServer>(0);
  const int port = server->port();
  ASSERT_GT(port, 0);
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(port) + "/stream";
  VideoSource source({.url = url,
                      .reconnect_initial_delay_us = 100'000,
                      .reconnect_max_delay_us = 400'000,
                      .reconnect_max_attempts = 50});
  std::vector<Seen> frames;
  std::vector<StreamGap> gaps;
  std::string gap_cause;
  std::size_t frames_before_gap = 0;
  std::thread restarter;
  const RunResult result = source.run(
      {.on_frame =
           [&](const CapturedFrame& f) {
             frames.push_back(keep(f));
             if (frames.size() == 10) {  // kill the server, bring it back on the same port a bit later
               server->stop();
               restarter = std::thread([&] {
                 std::this_thread::sleep_for(std::chrono::milliseconds(300));
                 server = std::make_unique<RtspServer>(port);
               });
             }
             // Frames buffered before the kill still arrive; stop 10 frames after the reconnect.
             const bool done = !gaps.empty() && frames.size() == frames_before_gap + 10;
             return done || frames.size() == 500 ? FrameAction::kStop : FrameAction::kAccept;
           },
       .on_gap =
           [&](const StreamGap& gap) {
             gaps.push_back(gap);
             gap_cause = std::string(gap.cause);
             frames_before_gap = frames.size();
           }});
  if (restarter.joinable()) restarter.join();
  EXPECT_EQ(result.reason, RunEnd::kStopped) << result.error;
  ASSERT_EQ(gaps.size(), 1u);
  ASSERT_EQ(frames.size(), frames_before_gap + 10);
  EXPECT_LT(gaps[0].lost_unix_ns, gaps[0].resumed_unix_ns);
  EXPECT_GE(gaps[0].attempts, 1);
  EXPECT_EQ(gap_cause, "read " + url + ": end of stream");
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.stream_losses, 1u);
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_EQ(stats.reconnect_attempts, static_cast<std::uint64_t>(gaps[0].attempts));
  EXPECT_GT(stats.gap_ns, 0u);
  expect_sane_timeline(frames);
  // The timeline jumps by the real outage (the server was down for 300 ms), not by one frame.
  EXPECT_GT(frames[frames_before_gap].time_ns - frames[frames_before_gap - 1].time_ns, 300'000'000);
}

TEST(RtspCaptureTest, SilentServerHitsTheOpenTimeout) {
  // A listening socket that accepts connections (kernel backlog) but never answers.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/stream";
  VideoSource source({.url = url, .open_timeout_us = 300'000});
  EXPECT_EQ(source.open(), "open " + url + ": no answer within open_timeout_us=300000");
  close(listener);
}

TEST(RtspCaptureTest, ReadTimeoutCountsAsALossAndReconnects) {
  RtspServer server(0);
  ASSERT_GT(server.port(), 0);
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(server.port()) + "/stream";
  VideoSource source({.url = url,
                      .read_timeout_us = 700'000,
                      .reconnect_initial_delay_us = 50'000,
                      .reconnect_max_delay_us = 200'000,
                      .reconnect_max_attempts = 50});
  std::vector<Seen> frames;
  std::vector<StreamGap> gaps;
  std::string gap_cause;
  std::size_t frames_before_gap = 0;
  std::thread resumer;
  const RunResult result = source.run(
      {.on_frame =
           [&](const CapturedFrame& f) {
             frames.push_back(keep(f));
             if (frames.size() == 5) {  // the server goes silent for 2 s without closing anything
               server.pause();
               resumer = std::thread([&] {
                 std::this_thread::sleep_for(std::chrono::milliseconds(2000));
                 server.resume();
               });
             }
             const bool done = !gaps.empty() && frames.size() == frames_before_gap + 5;
             return done || frames.size() == 500 ? FrameAction::kStop : FrameAction::kAccept;
           },
       .on_gap =
           [&](const StreamGap& gap) {
             gaps.push_back(gap);
             gap_cause = std::string(gap.cause);
             frames_before_gap = frames.size();
           }});
  if (resumer.joinable()) resumer.join();
  EXPECT_EQ(result.reason, RunEnd::kStopped) << result.error;
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gap_cause, "read " + url + ": no packet within read_timeout_us=700000");
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.stream_losses, 1u);
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_EQ(stats.reconnect_attempts, static_cast<std::uint64_t>(gaps[0].attempts));
  expect_sane_timeline(frames);
}

TEST(RtspCaptureTest, GivesUpAfterMaxReconnectAttempts) {
  RtspServer server(0);
  ASSERT_GT(server.port(), 0);
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(server.port()) + "/stream";
  VideoSource source({.url = url,
                      .reconnect_initial_delay_us = 10'000,
                      .reconnect_max_delay_us = 20'000,
                      .reconnect_max_attempts = 3});
  std::size_t frames = 0;
  const RunResult result = source.run({.on_frame = [&](const CapturedFrame&) {
    if (++frames == 3) server.stop();  // gone for good: every attempt is refused
    return FrameAction::kAccept;
  }});
  EXPECT_EQ(result.reason, RunEnd::kStreamLost);
  EXPECT_EQ(result.error, "reconnect " + url + ": gave up after 3 attempts; last error: open " + url +
                              ": Connection refused; stream lost because: read " + url + ": end of stream");
  const CaptureStats stats = source.stats();
  EXPECT_EQ(stats.stream_losses, 1u);
  EXPECT_EQ(stats.reconnect_attempts, 3u);
  EXPECT_EQ(stats.reconnects, 0u);
  EXPECT_EQ(stats.video_packets, stats.frames_delivered + dropped_total(stats));
}

}  // namespace
}  // namespace frame_tracking::capture
