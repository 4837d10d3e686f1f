// SPDX-License-Identifier: Apache-2.0
// The propagation test server continues the incoming W3C context on every onward call, in order.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

/// `frame-tracking propagation-test-server --port 0` as a child process; stopped with SIGTERM.
class ServerProcess {
 public:
  ServerProcess() {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      setenv("OTEL_TRACES_EXPORTER", "none", 1);
      execl(FT_CLI, FT_CLI, "propagation-test-server", "--port", "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[256] = {};
    if (out != nullptr && std::fgets(line, sizeof line, out) != nullptr) {
      std::string text(line);  // "listening on 127.0.0.1:PORT"
      port_ = std::stoi(text.substr(text.rfind(':') + 1));
    }
    if (out != nullptr) std::fclose(out);
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Received {
  std::string path;
  std::string traceparent;
  std::string tracestate;
  std::string body;
};

/// The downstream service: records what the propagation server sends it.
class EchoServer {
 public:
  EchoServer() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      received_.push_back({req.path, req.get_header_value("traceparent"), req.get_header_value("tracestate"), req.body});
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~EchoServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Received> received_;
};

constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

class PropagationServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(server_.port(), 0) << "the server did not print its port"; }

  int post(const httplib::Headers& headers, const std::string& body) {
    httplib::Client client("127.0.0.1", server_.port());
    auto result = client.Post("/test", headers, body, "application/json");
    return result ? result->status : -1;
  }

  ServerProcess server_;
  EchoServer echo_;
};

TEST_F(PropagationServerTest, CallsEachUrlInOrderContinuingTheIncomingContext) {
  const std::string body = R"([{"url":")" + echo_.url("/a") + R"(","arguments":[1]},{"url":")" + echo_.url("/b") +
                           R"(","arguments":{"x":2}}])";
  ASSERT_EQ(post({{"traceparent", kTraceparent}, {"tracestate", "foo=1,bar=2"}}, body), 200);
  auto calls = echo_.received();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].path, "/a");
  EXPECT_EQ(calls[0].body, "[1]");
  EXPECT_EQ(calls[1].path, "/b");
  EXPECT_EQ(calls[1].body, R"({"x":2})");
  for (const auto& c : calls) {
    ASSERT_EQ(c.traceparent.size(), 55u) << c.traceparent;
    EXPECT_EQ(c.traceparent.substr(0, 36), "00-4bf92f3577b34da6a3ce929d0e0e4736-");
    EXPECT_NE(c.traceparent.substr(36, 16), "00f067aa0ba902b7");
    EXPECT_EQ(c.traceparent.substr(53), "01");
    EXPECT_EQ(c.tracestate, "foo=1,bar=2");
  }
  EXPECT_NE(calls[0].traceparent, calls[1].traceparent);  // one client span per call
}

TEST_F(PropagationServerTest, HeaderNamesAreCaseInsensitive) {
  const std::string body = R"([{"url":")" + echo_.url("/a") + R"(","arguments":[]}])";
  ASSERT_EQ(post({{"TraceParent", kTraceparent}}, body), 200);
  auto calls = echo_.received();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].traceparent.substr(0, 36), "00-4bf92f3577b34da6a3ce929d0e0e4736-");
}

TEST_F(PropagationServerTest, RepeatedTraceparentStartsANewTrace) {
  const std::string body = R"([{"url":")" + echo_.url("/a") + R"(","arguments":[]}])";
  ASSERT_EQ(post({{"traceparent", kTraceparent}, {"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
                  {"tracestate", "foo=1"}},
                 body),
            200);
  auto calls = echo_.received();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].traceparent.size(), 55u);
  EXPECT_NE(calls[0].traceparent.substr(3, 32), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(calls[0].traceparent.substr(3, 32), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(calls[0].tracestate, "");
}

TEST_F(PropagationServerTest, BodyThatIsNotAnArrayIsABadRequest) {
  EXPECT_EQ(post({{"traceparent", kTraceparent}}, R"({"url":"x"})"), 400);
  EXPECT_EQ(post({}, R"([{"arguments":1}])"), 400);
  EXPECT_TRUE(echo_.received().empty());
}

}  // namespace
