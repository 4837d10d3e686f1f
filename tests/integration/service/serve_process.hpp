// SPDX-License-Identifier: Apache-2.0
// Test helper: runs the real `frame-tracking serve` binary on free loopback ports and reads its port lines.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace frame_tracking::testing {

/// A `frame-tracking serve --otlp-port 0 --query-port 0 --admin-port 0 --data-dir DIR` child
/// process. start() returns once the three "<name> listening on 127.0.0.1:PORT" lines were read.
/// Its standard output and standard error are both collected in `log`.
class ServeProcess {
 public:
  ServeProcess() = default;
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { stop(SIGTERM); }

  /// Starts the binary with `extra` flags; false (with a gtest failure) when it does not come up.
  /// `fixed_otlp_port` other than 0 binds the OTLP receiver to that port (a restart on the same port).
  bool start(const std::filesystem::path& data_dir, const std::vector<std::string>& extra = {},
             int fixed_otlp_port = 0) {
    std::vector<std::string> args = {FT_BINARY_DIR "/apps/frame-tracking/frame-tracking",
                                     "serve", "--otlp-port", std::to_string(fixed_otlp_port), "--query-port", "0",
                                     "--admin-port", "0", "--data-dir", data_dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe(out) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      ADD_FAILURE() << "cannot start " << argv[0];
      return false;
    }
    stdout_ = fdopen(out[0], "r");
    char line[512];
    while ((otlp_port == 0 || query_port == 0 || admin_port == 0) && std::fgets(line, sizeof line, stdout_) != nullptr) {
      std::string text(line);
      log += text;
      auto port = [&](const char* prefix, int& value) {
        std::string p = std::string(prefix) + " listening on 127.0.0.1:";
        if (text.rfind(p, 0) == 0) value = std::stoi(text.substr(p.size()));
      };
      port("otlp", otlp_port);
      port("query", query_port);
      port("admin", admin_port);
    }
    if (otlp_port == 0 || query_port == 0 || admin_port == 0) {
      ADD_FAILURE() << "serve did not print its ports; output:\n" << log;
      return false;
    }
    return true;
  }

  /// Sends `signal` and waits for the exit; returns the exit status (or 128 + signal).
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_ != nullptr) {
      char line[512];
      while (std::fgets(line, sizeof line, stdout_) != nullptr) log += line;
      std::fclose(stdout_);
      stdout_ = nullptr;
    }
    otlp_port = query_port = admin_port = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  int otlp_port = 0;
  int query_port = 0;
  int admin_port = 0;
  std::string log;

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

/// A test suite sharing one serve process (CRTP: each `Suite` has its own). The suite's
/// SetUpTestSuite calls start_suite_serve(); TearDownTestSuite stops it (expecting exit 0 on
/// SIGTERM) and removes its directory.
template <class Suite>
class ServeSuite : public ::testing::Test {
 protected:
  /// Starts `serve` with its data in `dir` and the `extra` flags; false (with a gtest failure) when it does not come up.
  static bool start_suite_serve(const std::filesystem::path& dir, const std::vector<std::string>& extra = {}) {
    dir_ = new std::filesystem::path(dir);
    serve_ = new ServeProcess();
    return serve_->start(*dir_, extra);
  }
  static void TearDownTestSuite() {
    if (serve_ != nullptr) {
      EXPECT_EQ(serve_->stop(SIGTERM), 0);
    }
    delete serve_;
    serve_ = nullptr;
    if (dir_ != nullptr) std::filesystem::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  static httplib::Client otlp() { return httplib::Client("127.0.0.1", serve_->otlp_port); }
  static httplib::Client query() { return httplib::Client("127.0.0.1", serve_->query_port); }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline ServeProcess* serve_ = nullptr;
};

}  // namespace frame_tracking::testing
