// SPDX-License-Identifier: Apache-2.0
// Service security against the real `frame-tracking serve`: loopback by default, request limits with
// exact statuses and bodies, the bearer token (flag, file, constant-time check), nothing secret logged.
#include "../service/serve_process.hpp"
#include "../../unit/store/otlp_builders.hpp"

#include "frame_tracking/store/service.hpp"
#include "jaeger_query.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-limits-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// The local IPv4 address (as /proc/net/tcp prints it, e.g. "0100007F" for 127.0.0.1) of the
/// socket listening on `port`; empty when none listens.
std::string listening_address(int port) {
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  char wanted[8];
  std::snprintf(wanted, sizeof wanted, ":%04X", port);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A" && local.size() == 13 && local.substr(8) == wanted) return local.substr(0, 8);
  }
  return {};
}

/// Runs `frame-tracking serve ARGS` expecting it to exit at once; returns {exit status, output}.
std::pair<int, std::string> run_serve_expecting_exit(const std::string& args) {
  std::string command = std::string(FT_BINARY_DIR "/apps/frame-tracking/frame-tracking") +
                        " serve --otlp-port 0 --query-port 0 --admin-port 0 " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, {}};
  char line[512];
  std::string output;
  while (std::fgets(line, sizeof line, pipe) != nullptr) output += line;
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string metrics_of(const ServeProcess& serve) {
  auto reply = httplib::Client("127.0.0.1", serve.admin_port).Get("/metrics");
  return reply ? reply->body : std::string();
}

/// The value of an unlabelled metric line `name <value>`, or -1.
long long metric_value(const std::string& page, const std::string& name) {
  auto at = page.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(page.substr(at + name.size() + 2));
}

/// One `serve` with small limits for the whole suite.
class ServiceLimitsTest : public ServeSuite<ServiceLimitsTest> {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(start_suite_serve(temp_dir("suite"), {"--max-body-size", "2KiB", "--max-header-size", "4KiB"}));
  }
};

TEST_F(ServiceLimitsTest, ListensOnLoopbackOnlyByDefault) {
  EXPECT_EQ(store::ServiceOptions{}.listen, "127.0.0.1");
  // The CLI default, checked on the live sockets: all three ports are bound to 127.0.0.1 only.
  EXPECT_EQ(listening_address(serve_->otlp_port), "0100007F");
  EXPECT_EQ(listening_address(serve_->query_port), "0100007F");
  EXPECT_EQ(listening_address(serve_->admin_port), "0100007F");
}

TEST_F(ServiceLimitsTest, RefusesLargeBodiesWith413NamingTheLimitInTheRequestsEncoding) {
  const std::string message = "body: larger than 2048 bytes after decompression (--max-body-size)";
  auto as_json = otlp().Post("/v1/traces", std::string(3000, ' ') + "{}", "application/json");
  ASSERT_TRUE(as_json);
  EXPECT_EQ(as_json->status, 413);
  EXPECT_EQ(as_json->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(as_json->body, R"({"code":8,"message":")" + message + R"("})");

  auto as_protobuf = otlp().Post("/v1/traces", std::string(3000, '\0'), "application/x-protobuf");
  ASSERT_TRUE(as_protobuf);
  EXPECT_EQ(as_protobuf->status, 413);
  EXPECT_EQ(as_protobuf->get_header_value("Content-Type"), "application/x-protobuf");
  // google.rpc.Status{code = 8 (RESOURCE_EXHAUSTED), message}
  EXPECT_EQ(as_protobuf->body, std::string("\x08\x08\x12", 3) + static_cast<char>(message.size()) + message);

  // Exactly at the limit is fine.
  auto at_limit = otlp().Post("/v1/traces", std::string(2046, ' ') + "{}", "application/json");
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(at_limit->status, 200);
  EXPECT_EQ(at_limit->body, "{}");
}

TEST_F(ServiceLimitsTest, RefusesDeepNestingInJsonAndProtobufWith400NamingTheRule) {
  // 64 levels pass the depth rule (and then fail as not-an-object); 65 levels break it.
  auto at_limit = otlp().Post("/v1/traces", std::string(64, '[') + std::string(64, ']'), "application/json");
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(at_limit->status, 400);
  EXPECT_EQ(at_limit->body.find("nested deeper"), std::string::npos) << at_limit->body;
  auto too_deep = otlp().Post("/v1/traces", std::string(65, '[') + std::string(65, ']'), "application/json");
  ASSERT_TRUE(too_deep);
  EXPECT_EQ(too_deep->status, 400);
  EXPECT_EQ(too_deep->body, R"({"code":3,"message":"body: JSON nested deeper than 64 levels"})");

  // An attribute value nested 150 kvlists deep: protobuf's recursion limit (100) refuses it.
  otlp_collector::ExportTraceServiceRequest request;
  auto* kv = request.add_resource_spans()->mutable_resource()->add_attributes();
  for (int i = 0; i < 150; ++i) {
    kv->set_key("k");
    kv = kv->mutable_value()->mutable_kvlist_value()->add_values();
  }
  std::string body = request.SerializeAsString();
  ASSERT_LE(body.size(), 2048U);
  auto deep_protobuf = otlp().Post("/v1/traces", body, "application/x-protobuf");
  ASSERT_TRUE(deep_protobuf);
  EXPECT_EQ(deep_protobuf->status, 400);
  const std::string message =
      "body: not a valid protobuf ExportTraceServiceRequest (truncated, wrong wire type, or nested too deeply)";
  EXPECT_EQ(deep_protobuf->body, std::string("\x08\x03\x12", 3) + static_cast<char>(message.size()) + message);
}

TEST_F(ServiceLimitsTest, RefusesLargeHeadersWith431AndOverlongLinesWith414Or400) {
  const std::string too_large = "431 request headers larger than 4096 bytes (--max-header-size)";
  for (int port : {serve_->otlp_port, serve_->query_port, serve_->admin_port}) {
    httplib::Client client("127.0.0.1", port);
    httplib::Headers headers = {{"X-Padding-1", std::string(2500, 'a')}, {"X-Padding-2", std::string(2500, 'b')}};
    auto reply = client.Get("/api/services", headers);
    ASSERT_TRUE(reply) << port;
    EXPECT_EQ(reply->status, 431) << port;
    EXPECT_EQ(reply->get_header_value("Content-Type"), "text/plain");
    EXPECT_EQ(reply->body, too_large) << port;
  }
  auto post = otlp().Post("/v1/traces", httplib::Headers{{"X-Padding", std::string(4100, 'c')}}, "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 431);
  EXPECT_EQ(post->body, too_large);

  // A header line longer than the whole limit is cut off while it arrives (431); cpp-httplib's own
  // request line limit answers before the handlers run, and the body says which rule.
  auto long_line = query().Get("/api/services", httplib::Headers{{"X-Long", std::string(9000, 'd')}});
  ASSERT_TRUE(long_line);
  EXPECT_EQ(long_line->status, 431);
  EXPECT_EQ(long_line->body, too_large);
  auto long_uri = query().Get("/api/traces?service=" + std::string(9000, 'e'));
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(long_uri->status, 414);
  EXPECT_EQ(long_uri->body, "414 request line longer than 8192 bytes");

  EXPECT_EQ(metric_value(metrics_of(*serve_), "frame_tracking_service_requests_header_too_large_total"), 5);
}

/// A connected client socket to 127.0.0.1:`port` with a 10 s receive timeout (so a test cannot hang).
int connect_raw(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Everything the server sends until it closes the connection (or the receive timeout).
std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

std::string tiny_headers(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "a: b\r\n";
  return text;
}

// cpp-httplib 0.11 reads every header line before a handler can count them; the service's stream
// stops at --max-header-size bytes of header lines, answers 431 and closes the connection.
TEST_F(ServiceLimitsTest, TenThousandTinyHeadersGet431AfterTheLimitNotAfterTheLastHeader) {
  const std::string too_large = "431 request headers larger than 4096 bytes (--max-header-size)";
  const auto before = metric_value(metrics_of(*serve_), "frame_tracking_service_requests_header_too_large_total");
  int fd = connect_raw(serve_->otlp_port);
  ASSERT_GE(fd, 0);
  const std::string request = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n" + tiny_headers(10000) + "\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  const std::string reply = read_all(fd);
  ::close(fd);
  EXPECT_EQ(reply.substr(0, reply.find("\r\n")), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_NE(reply.find("\r\nConnection: close\r\n"), std::string::npos) << reply;
  EXPECT_EQ(reply.substr(reply.find("\r\n\r\n") + 4), too_large);
  EXPECT_EQ(metric_value(metrics_of(*serve_), "frame_tracking_service_requests_header_too_large_total"), before + 1);
}

// Header lines that never end: the service stops reading (the client's writes fail) instead of
// buffering until the read timeout. 16 MiB of 6-byte lines would be 2.8 million headers.
TEST_F(ServiceLimitsTest, EndlessHeaderLinesAreCutOffAndTheConnectionClosed) {
  int fd = connect_raw(serve_->query_port);
  ASSERT_GE(fd, 0);
  int small = 64 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  const std::string start = "GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  ASSERT_EQ(::send(fd, start.data(), start.size(), MSG_NOSIGNAL), static_cast<ssize_t>(start.size()));
  const std::string chunk = tiny_headers(10000);
  constexpr std::size_t kTotal = 16 * 1024 * 1024;
  std::size_t sent = 0;
  int error = 0;
  while (sent < kTotal) {
    ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n < 0) {
      error = errno;
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  EXPECT_TRUE(error == EPIPE || error == ECONNRESET) << "sent " << sent << " bytes, errno " << error;
  EXPECT_LT(sent, kTotal);
  ::close(fd);
}

TEST_F(ServiceLimitsTest, CapsTheSearchLimitAt1500Traces) {
  auto capped = query().Get("/api/traces?service=x&limit=1500");
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->status, 200);
  auto refused = query().Get("/api/traces?service=x&limit=1501");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(refused->body,
            R"j({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"unable to parse param 'limit': 1501 is larger than the maximum 1500 (--max-search-traces)"}]})j"
            "\n");
}

TEST(ServiceLimitsParsers, RefusesMoreTraceIdsThanTheSearchLimit) {
  std::multimap<std::string, std::string> params;
  for (std::size_t i = 0; i < service::kMaxSearchLimit; ++i) params.emplace("traceID", std::to_string(i + 1));
  EXPECT_TRUE(service::parse_search_params(params, 0));
  params.emplace("traceID", "ffff");
  auto refused = service::parse_search_params(params, 0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "unable to parse param 'traceID': more than 1500 trace ids in one request");
  // serve --max-search-traces 10
  auto lowered = service::parse_search_params({{"limit", "11"}}, 0, 10);
  ASSERT_FALSE(lowered);
  EXPECT_EQ(lowered.error().message, "unable to parse param 'limit': 11 is larger than the maximum 10 (--max-search-traces)");
  EXPECT_EQ(service::parse_search_params({{"limit", "10"}}, 0, 10)->query.limit, 10U);
}

// ---- the bearer token ----

TEST(ServiceToken, ReadsTheTokenFromAFileAndNeverLogsItOrThePayload) {
  auto dir = temp_dir("token-file");
  const std::string token = "tok-5f3a9c1e-never-logged";
  std::ofstream(dir / "token") << token << "\n";
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir, {"--auth-token-file", (dir / "token").string()}));

  const std::string payload_marker = "payload-marker-7d1e";
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, payload_marker);
  add_string_attribute(add_span(scope, "0190a1b2c3d47e5f8a9b0c1d2e3f4051", "1111111111111111", "", payload_marker, 1,
                                1'000'000'000, 2'000'000'000)
                           ->mutable_attributes(),
                       "secret.attribute", payload_marker);
  httplib::Client otlp("127.0.0.1", serve.otlp_port);
  EXPECT_EQ(otlp.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf")->status, 401);
  for (const std::string& wrong : {std::string("x"), token.substr(0, token.size() - 1), token + "x",
                                   std::string(token.size(), 'x'), std::string("bearer ") + token}) {
    httplib::Client client("127.0.0.1", serve.otlp_port);
    client.set_default_headers({{"Authorization", "Bearer " + wrong}});
    auto reply = client.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 401) << wrong;
    EXPECT_EQ(reply->body, "401 unauthorized: send 'Authorization: Bearer <token>' (--auth-token)");
  }
  otlp.set_bearer_token_auth(token);
  EXPECT_EQ(otlp.Post("/v1/traces", request.SerializeAsString(), "application/x-protobuf")->status, 200);
  EXPECT_EQ(otlp.Post("/v1/traces", "{\"" + payload_marker + "\": [", "application/json")->status, 400);
  httplib::Client query("127.0.0.1", serve.query_port);
  EXPECT_EQ(query.Get("/api/services")->status, 401);
  query.set_bearer_token_auth(token);
  auto services = query.Get("/api/services");
  ASSERT_TRUE(services);
  EXPECT_EQ(json::parse(services->body)["data"], json::array({payload_marker}));
  EXPECT_NE(metrics_of(serve).find("\nframe_tracking_service_requests_unauthorized_total 7\n"), std::string::npos);

  EXPECT_EQ(serve.stop(SIGTERM), 0);
  EXPECT_EQ(serve.log.find(token), std::string::npos) << serve.log;
  EXPECT_EQ(serve.log.find(payload_marker), std::string::npos) << serve.log;
  EXPECT_NE(serve.log.find("otlp listening on 127.0.0.1:"), std::string::npos) << serve.log;
  std::filesystem::remove_all(dir);
}

TEST(ServiceToken, RefusesAMissingOrEmptyTokenFileAndBothTokenFlags) {
  auto dir = temp_dir("token-errors");
  const std::string data = " --data-dir " + dir.string();
  auto missing = run_serve_expecting_exit("--auth-token-file " + (dir / "absent").string() + data);
  EXPECT_EQ(missing.first, 2);
  EXPECT_EQ(missing.second, "frame-tracking serve: --auth-token-file '" + (dir / "absent").string() + "': cannot be read\n");
  std::ofstream(dir / "empty") << " \n";
  auto empty = run_serve_expecting_exit("--auth-token-file " + (dir / "empty").string() + data);
  EXPECT_EQ(empty.first, 2);
  EXPECT_EQ(empty.second,
            "frame-tracking serve: --auth-token-file '" + (dir / "empty").string() + "': the file holds no token\n");
  auto both = run_serve_expecting_exit("--auth-token a --auth-token-file " + (dir / "empty").string() + data);
  EXPECT_NE(both.first, 0);
  EXPECT_NE(both.second.find("excludes"), std::string::npos) << both.second;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::testing
