// SPDX-License-Identifier: Apache-2.0
// LocalBroker: a throwaway redis-server or RabbitMQ node on a free loopback port.
#include "pipeline/local_broker.hpp"

#include "pipeline/pipeline_run.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace frame_tracking::pipeline {
namespace {

namespace fs = std::filesystem;

/// A connected socket to 127.0.0.1:port, or -1.
int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/// True when a Redis server on `port` answers PING with +PONG.
bool redis_pong(int port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  timeval timeout{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  const char ping[] = "PING\r\n";
  char reply[16] = {};
  const bool ok = write(fd, ping, sizeof(ping) - 1) == static_cast<ssize_t>(sizeof(ping) - 1) &&
                  read(fd, reply, sizeof(reply) - 1) > 0 && std::strncmp(reply, "+PONG", 5) == 0;
  close(fd);
  return ok;
}

Error failure(const std::string& what, ChildProcess& child) {
  return Error{ErrorCode::kInvalidInput, what + " (" + child.name() + " " + (child.running() ? "is running" : child.describe()) +
                                             "); the end of " + child.log_file() + ":\n" + log_tail(child.log_file())};
}

}  // namespace

bool loopback_port_open(int port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  close(fd);
  return true;
}

Result<std::unique_ptr<LocalBroker>> LocalBroker::start_redis(const std::string& dir) {
  std::unique_ptr<LocalBroker> broker(new LocalBroker());
  std::error_code error;
  fs::create_directories(dir, error);
  const int port = free_loopback_port();
  if (port == 0) return Error{ErrorCode::kInvalidInput, "no free loopback port for redis-server"};
  auto child = ChildProcess::spawn({.name = "redis-server",
                                    .argv = {"redis-server", "--bind", "127.0.0.1", "--port", std::to_string(port), "--save",
                                             "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"},
                                    .log_file = (fs::path(dir) / "redis-server.log").string(),
                                    .environment = {}});
  if (!child) return Error{ErrorCode::kInvalidInput, child.error().message + " (install redis-server: scripts/install-deps.sh)"};
  broker->processes_.push_back(std::move(*child));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!redis_pong(port)) {
    if (!broker->processes_[0].running() || std::chrono::steady_clock::now() > deadline)
      return failure("redis-server did not answer PING on 127.0.0.1:" + std::to_string(port), broker->processes_[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  broker->url_ = "redis://127.0.0.1:" + std::to_string(port);
  return broker;
}

Result<std::unique_ptr<LocalBroker>> LocalBroker::start_rabbitmq(const std::string& dir) {
  std::unique_ptr<LocalBroker> broker(new LocalBroker());
  std::vector<fs::path> installs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/rabbitmq/lib", error))
    if (entry.path().filename().string().starts_with("rabbitmq_server-")) installs.push_back(entry.path() / "sbin");
  if (installs.empty())
    return Error{ErrorCode::kInvalidInput, "no /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin (install rabbitmq-server)"};
  std::sort(installs.begin(), installs.end());
  const fs::path sbin = installs.back();
  const fs::path work = fs::absolute(dir);
  for (const char* sub : {"home", "mnesia", "log"}) fs::create_directories(work / sub, error);
  const int amqp_port = free_loopback_port();
  const int dist_port = free_loopback_port();
  const int epmd_port = free_loopback_port();
  {
    std::ofstream conf(work / "rabbitmq.conf");
    conf << "listeners.tcp.default = 127.0.0.1:" << amqp_port << "\nlog.console = false\nlog.file.level = warning\n";
    std::ofstream plugins(work / "enabled_plugins");
    plugins << "[].\n";
  }
  broker->beam_pid_file_ = (work / "beam.pid").string();
  const char* path = std::getenv("PATH");
  const std::vector<std::pair<std::string, std::string>> environment{
      {"HOME", (work / "home").string()},
      {"RABBITMQ_NODENAME", "ft_demo_" + std::to_string(amqp_port) + "@localhost"},
      {"RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"},
      {"RABBITMQ_NODE_PORT", std::to_string(amqp_port)},
      {"RABBITMQ_DIST_PORT", std::to_string(dist_port)},
      {"ERL_EPMD_PORT", std::to_string(epmd_port)},
      {"ERL_EPMD_ADDRESS", "127.0.0.1"},
      {"RABBITMQ_MNESIA_BASE", (work / "mnesia").string()},
      {"RABBITMQ_LOG_BASE", (work / "log").string()},
      {"RABBITMQ_CONFIG_FILE", (work / "rabbitmq.conf").string()},
      {"RABBITMQ_ENABLED_PLUGINS_FILE", (work / "enabled_plugins").string()},
      {"RABBITMQ_PID_FILE", broker->beam_pid_file_},
      {"RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"},
      {"PATH", sbin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
  };
  auto epmd = ChildProcess::spawn({.name = "epmd",
                                   .argv = {"epmd", "-port", std::to_string(epmd_port), "-address", "127.0.0.1"},
                                   .log_file = (work / "epmd.log").string(),
                                   .environment = environment});
  if (!epmd) return epmd.error();
  broker->processes_.push_back(std::move(*epmd));
  auto server = ChildProcess::spawn({.name = "rabbitmq-server",
                                     .argv = {(sbin / "rabbitmq-server").string()},
                                     .log_file = (work / "rabbitmq-server.log").string(),
                                     .environment = environment});
  if (!server) return server.error();
  broker->processes_.push_back(std::move(*server));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!loopback_port_open(amqp_port)) {
    if (!broker->processes_[1].running() || std::chrono::steady_clock::now() > deadline)
      return failure("RabbitMQ did not open its AMQP port 127.0.0.1:" + std::to_string(amqp_port), broker->processes_[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  broker->url_ = "amqp://guest:guest@127.0.0.1:" + std::to_string(amqp_port);
  return broker;
}

LocalBroker::~LocalBroker() { stop(); }

void LocalBroker::stop() {
  // The rabbitmq-server script stops the Erlang VM on SIGTERM; the VM is stopped by its own PID
  // too, so a script that died early cannot leave it behind; epmd goes last.
  for (std::size_t i = processes_.size(); i-- > 0;) {
    processes_[i].stop(std::chrono::seconds(20));
    if (i == 1 && !beam_pid_file_.empty()) {
      std::ifstream file(beam_pid_file_);
      pid_t beam = 0;
      if (file >> beam && beam > 0 && kill(beam, SIGTERM) == 0) {
        for (int tries = 0; tries < 100 && kill(beam, 0) == 0; ++tries) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (kill(beam, 0) == 0) kill(beam, SIGKILL);
      }
    }
  }
  processes_.clear();
}

}  // namespace frame_tracking::pipeline
