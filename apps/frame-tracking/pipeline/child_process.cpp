// SPDX-License-Identifier: Apache-2.0
// ChildProcess: a program started with fork/exec, its output in a log file, stopped by PID.
#include "pipeline/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace frame_tracking::pipeline {

Result<ChildProcess> ChildProcess::spawn(ChildSpec spec) {
  ChildProcess child(std::move(spec));
  std::vector<char*> argv;
  for (auto& arg : child.spec_.argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  if (argv.size() < 2) return Error{ErrorCode::kInvalidInput, child.spec_.name + ": empty command line"};
  // The environment is built before fork: the child may only make async-signal-safe calls.
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const auto& [key, value] : child.spec_.environment) replaced = replaced || key == name;
    if (!replaced) environment.emplace_back(text);
  }
  for (const auto& [key, value] : child.spec_.environment) environment.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int report[2];  // the child writes errno here if exec fails; close-on-exec closes it on success
  if (pipe2(report, O_CLOEXEC) != 0) return Error{ErrorCode::kInvalidInput, std::string("pipe: ") + std::strerror(errno)};
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(report[0]);
    close(report[1]);
    return Error{ErrorCode::kInvalidInput, child.spec_.name + ": fork: " + std::strerror(errno)};
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    close(report[0]);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (!child.spec_.log_file.empty()) {
      const int fd = open(child.spec_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
      }
    }
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
      close(null_fd);
    }
    execvpe(argv[0], argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] ssize_t written = write(report[1], &error, sizeof(error));
    _exit(127);
  }
  close(report[1]);
  int exec_error = 0;
  ssize_t got = 0;
  do {
    got = read(report[0], &exec_error, sizeof(exec_error));
  } while (got < 0 && errno == EINTR);
  close(report[0]);
  child.pid_ = pid;
  if (got == static_cast<ssize_t>(sizeof(exec_error))) {
    int status = 0;
    waitpid(pid, &status, 0);
    child.pid_ = -1;
    return Error{ErrorCode::kInvalidInput,
                 child.spec_.name + ": cannot run '" + child.spec_.argv[0] + "': " + std::strerror(exec_error)};
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : spec_(std::move(other.spec_)), pid_(std::exchange(other.pid_, -1)), status_(other.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (running()) stop();
    spec_ = std::move(other.spec_);
    pid_ = std::exchange(other.pid_, -1);
    status_ = other.status_;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (running()) stop(std::chrono::seconds(5));
}

bool ChildProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  const pid_t got = waitpid(pid_, &status, WNOHANG);
  if (got == pid_) {
    status_ = status;
    return false;
  }
  return got == 0;
}

std::string ChildProcess::describe() const {
  if (!status_) return "is running";
  if (WIFEXITED(*status_)) return "exited with status " + std::to_string(WEXITSTATUS(*status_));
  if (WIFSIGNALED(*status_))
    return "was killed by signal " + std::to_string(WTERMSIG(*status_)) + " (" + strsignal(WTERMSIG(*status_)) + ")";
  return "stopped (wait status " + std::to_string(*status_) + ")";
}

bool ChildProcess::succeeded() const noexcept { return status_ && WIFEXITED(*status_) && WEXITSTATUS(*status_) == 0; }

bool ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

bool ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return true;
  kill(pid_, SIGTERM);
  if (wait_for(grace)) return true;
  kill(pid_, SIGKILL);
  wait_for(std::chrono::seconds(5));
  return false;
}

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  return port;
}

}  // namespace frame_tracking::pipeline
