// SPDX-License-Identifier: Apache-2.0
// A consumer slower than the producer until the queue fills: `pipeline rtsp-capture` decodes a clip
// as fast as it can while Redis refuses writes for a while (CLIENT PAUSE … WRITE), so its bounded
// send queue fills. Every frame is sent or dropped with a counted reason and a frame.dropped event.
#include "../service/serve_process.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int run(const std::string& command) { return std::system(command.c_str()); }

TEST(SlowConsumer, EveryFrameIsSentOrDroppedWithACountedReasonAndEvent) {
  const std::string name = "redis-slow-" + std::to_string(::getpid());
  const std::string scripts = FT_SOURCE_DIR "/tests/fixtures/";
  ASSERT_EQ(run(scripts + "start-redis.sh " FT_FIXTURE_DIR " " + name + " >/dev/null"), 0);
  struct StopRedis {
    std::string command;
    ~StopRedis() { run(command); }
  } stop_redis{scripts + "stop-redis.sh " FT_FIXTURE_DIR " " + name + " >/dev/null"};
  const std::string redis_port = read_text(std::string(FT_FIXTURE_DIR) + "/" + name + ".port");
  ASSERT_FALSE(redis_port.empty());

  auto dir = std::filesystem::temp_directory_path() / ("ft-slow-consumer-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir / "store"));

  // Writes wait 5 s: the first XADD blocks the sender thread, the 2-frame queue fills, and the
  // decoder (not paced) drops the frames it cannot hand over as `busy`.
  const std::string port = redis_port.substr(0, redis_port.find('\n'));
  ASSERT_EQ(run("redis-cli -h 127.0.0.1 -p " + port + " CLIENT PAUSE 5000 WRITE >/dev/null"), 0);
  const std::string command =
      std::string("OTEL_BSP_SCHEDULE_DELAY=50 " FT_BINARY_DIR "/apps/frame-tracking/frame-tracking pipeline rtsp-capture") +
      " --input " FT_TEST_CLIP " --queue-size 2 --broker redis://127.0.0.1:" + port +
      " --otlp-endpoint http://127.0.0.1:" + std::to_string(serve.otlp_port) + "/v1/traces" +
      " --stats-file " + (dir / "stats.json").string() + " --ids-file " + (dir / "ids.txt").string() + " 2>" +
      (dir / "capture.log").string();
  ASSERT_EQ(run(command), 0) << read_text(dir / "capture.log");

  const json stats = json::parse(read_text(dir / "stats.json"));
  ASSERT_TRUE(stats["done"].get<bool>());
  const std::uint64_t captured = stats["counters"]["captured"];
  const std::uint64_t sent = stats["counters"].value("sent", std::uint64_t{0});
  std::uint64_t dropped = 0;
  for (const auto& [reason, n] : stats["dropped"].items()) dropped += n.get<std::uint64_t>();
  EXPECT_EQ(captured, sent + dropped) << stats.dump();
  EXPECT_GT(stats["dropped"].value("busy", std::uint64_t{0}), 0U) << stats.dump();

  // Every captured FrameId has its trace: a `send` span, or a frame.dropped event with the reason.
  std::istringstream ids(read_text(dir / "ids.txt"));
  httplib::Client query("127.0.0.1", serve.query_port);
  std::map<std::string, std::uint64_t> dropped_by_reason;
  std::uint64_t frames = 0, with_send = 0;
  for (std::string id; std::getline(ids, id);) {
    ++frames;
    auto reply = query.Get("/api/traces/" + id);
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200) << id;
    bool has_send = false, has_drop = false;
    const json trace = json::parse(reply->body);
    for (const auto& span : trace["data"][0]["spans"]) {
      if (span["operationName"].get<std::string>().rfind("send ", 0) == 0) has_send = true;
      for (const auto& log : span["logs"]) {
        std::string event, reason;
        for (const auto& field : log["fields"]) {
          if (field["key"] == "event") event = field["value"];
          if (field["key"] == "frame.drop_reason") reason = field["value"];
        }
        if (event == "frame.dropped") {
          has_drop = true;
          ++dropped_by_reason[reason];
        }
      }
    }
    EXPECT_NE(has_send, has_drop) << id;
    with_send += has_send ? 1 : 0;
  }
  EXPECT_EQ(frames, captured);
  EXPECT_EQ(with_send, sent);
  std::map<std::string, std::uint64_t> counted;
  for (const auto& [reason, n] : stats["dropped"].items()) counted[reason] = n.get<std::uint64_t>();
  EXPECT_EQ(dropped_by_reason, counted);
  EXPECT_EQ(serve.stop(SIGTERM), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::testing
