// SPDX-License-Identifier: Apache-2.0
// Redis Streams transport throughput against a private redis-server on 127.0.0.1 (started by the bench).
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#include "frame_tracking/traced_messaging.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace frame_tracking;

/// redis-server on a free loopback port, no persistence, in a temp dir; stopped at exit.
class BenchRedis {
 public:
  BenchRedis() {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    close(s);
    dir_ = std::filesystem::temp_directory_path() / ("ft-bench-redis-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    pid_ = fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      execlp("redis-server", "redis-server", "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "",
             "--appendonly", "no", "--dir", dir_.c_str(), "--logfile", (dir_ / "redis.log").c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ~BenchRedis() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    std::filesystem::remove_all(dir_);
  }
  redis::RedisEndpoint endpoint() const {
    redis::RedisEndpoint e;
    e.port = port_;
    return e;
  }

 private:
  std::uint16_t port_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

BenchRedis& server() {
  static BenchRedis redis;
  return redis;
}

const std::string kPayload(1024, 'x');
const MessageHeaders kHeaders{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};

// One XADD of a 1 KiB payload with a traceparent field (a full loopback round trip).
void BM_RedisSend(benchmark::State& state) {
  redis::StreamProducer producer({server().endpoint(), 10000});
  for (auto _ : state) benchmark::DoNotOptimize(producer.send("bench:send", kPayload, kHeaders));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RedisSend);

// The same inside a recorded PRODUCER span with FrameMetadata (spans recorded, not exported).
void BM_RedisTracedSend(benchmark::State& state) {
  TracerProvider provider{TracerProviderOptions{}};
  const Tracer tracer = provider.get_tracer("bench");
  W3CTraceContextPropagator propagator;
  redis::StreamProducer producer({server().endpoint(), 10000});
  TracedProducer traced(producer, tracer, propagator);
  FrameMetadata metadata;
  metadata.frame_id = FrameId::generate();
  metadata.camera_id = "cam-1";
  metadata.width = 640;
  metadata.height = 480;
  metadata.size_bytes = kPayload.size();
  Context parent;
  for (auto _ : state) benchmark::DoNotOptimize(traced.send("bench:traced", kPayload, {}, &metadata, &parent));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RedisTracedSend);

// Consumer-group delivery: XREADGROUP of batches of 100 plus one XACK per message.
void BM_RedisPollAndAck(benchmark::State& state) {
  redis::StreamProducer producer({server().endpoint(), 0});
  redis::StreamConsumerOptions o;
  o.endpoint = server().endpoint();
  o.stream = "bench:consume";
  o.group = "bench";
  o.consumer = "c1";
  o.claim_min_idle = std::chrono::milliseconds{0};
  redis::StreamConsumer consumer(o);
  std::size_t messages = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < 100; ++i) producer.send(o.stream, kPayload, kHeaders);
    state.ResumeTiming();
    PollResult r = consumer.poll(100, std::chrono::milliseconds{100});
    for (const auto& m : r.messages) consumer.ack(m);
    messages += r.messages.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(BM_RedisPollAndAck);

}  // namespace

BENCHMARK_MAIN();
