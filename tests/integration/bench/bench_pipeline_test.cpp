// SPDX-License-Identifier: Apache-2.0
// Integration: `frame-tracking bench pipeline --json` with its in-process service — the OTEL_SDK_DISABLED=true mode
// exports nothing and loses no frame; 100 % sampling exports every span and the service stores them all.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

constexpr std::uint64_t kFrames = 30;
constexpr std::uint64_t kRounds = 2;
// Every mode also runs one warm-up round of min(frames, 200) frames.
constexpr std::uint64_t kFramesPerMode = kFrames + kFrames * kRounds;
constexpr std::uint64_t kSpansPerFrame = 5;  // capture_frame, decode_frame, send frames, process frames, detect

TEST(BenchPipeline, DisabledModeExportsNothingAndFullSamplingStoresEverySpan) {
  const CommandResult r = run(std::string(FT_CLI) + " bench pipeline --frames " + std::to_string(kFrames) +
                              " --rounds " + std::to_string(kRounds) + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto json = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << r.out;
  EXPECT_EQ(json["frames_per_round"], kFrames);
  EXPECT_EQ(json["rounds"], kRounds);
  EXPECT_EQ(json["warmup_frames"], kFrames);
  EXPECT_EQ(json["spans_per_frame"], kSpansPerFrame);
  EXPECT_EQ(json["in_process_service"], true);
  ASSERT_EQ(json["modes"].size(), 3u);

  // Rollback path: OTEL_SDK_DISABLED=true — no span started or exported, every frame still processed.
  const auto& disabled = json["modes"][0];
  EXPECT_EQ(disabled["mode"], "disabled");
  EXPECT_EQ(disabled["frames_processed"], kFramesPerMode);
  EXPECT_EQ(disabled["spans_started"], 0u);
  EXPECT_EQ(disabled["spans_exported"], 0u);
  EXPECT_EQ(disabled["spans_dropped"], 0u);
  EXPECT_EQ(json["rollback_ok"], true);

  // 100 %: every span of every frame exported, none dropped.
  const auto& full = json["modes"][1];
  EXPECT_EQ(full["mode"], "sampled_100");
  EXPECT_EQ(full["frames_processed"], kFramesPerMode);
  EXPECT_EQ(full["spans_started"], kFramesPerMode * kSpansPerFrame);
  EXPECT_EQ(full["spans_exported"], kFramesPerMode * kSpansPerFrame);
  EXPECT_EQ(full["spans_dropped"], 0u);
  EXPECT_EQ(full["export_failures"], 0u);

  // 10 %: whole frames are sampled or not (parent-based), none dropped.
  const auto& tenth = json["modes"][2];
  EXPECT_EQ(tenth["mode"], "sampled_10");
  EXPECT_EQ(tenth["frames_processed"], kFramesPerMode);
  const std::uint64_t tenth_exported = tenth["spans_exported"];
  EXPECT_EQ(tenth_exported % kSpansPerFrame, 0u);
  EXPECT_LE(tenth_exported, kFramesPerMode * kSpansPerFrame);
  EXPECT_EQ(tenth["spans_dropped"], 0u);

  // The service's store holds exactly what was exported: the 100 % spans plus the 10 % ones, nothing from disabled.
  EXPECT_EQ(json["stored_spans"], kFramesPerMode * kSpansPerFrame + tenth_exported);
  EXPECT_EQ(json["ok"], true);
}

TEST(BenchPipeline, HelpNamesTheModesAndTheMethod) {
  const CommandResult r = run(std::string(FT_CLI) + " bench pipeline --help");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--frames"), std::string::npos);
  EXPECT_NE(r.out.find("--rounds"), std::string::npos);
  EXPECT_NE(r.out.find("--endpoint"), std::string::npos);
  EXPECT_NE(r.out.find("Student-t"), std::string::npos);
}

}  // namespace
