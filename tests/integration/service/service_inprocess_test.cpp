// SPDX-License-Identifier: Apache-2.0
// Integration tests of the service run in-process: retention with an injected clock, forwarding upstream.
#include "frame_tracking/store/service.hpp"

#include "../../unit/store/otlp_builders.hpp"
#include "../../unit/store/test_service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <unistd.h>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

constexpr std::int64_t kHourNs = 3600LL * 1'000'000'000;
constexpr std::int64_t kNow = 1'800'000'000'000'000'000LL;  // 2027-01-15T08:00:00Z

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-service-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

std::string one_span_request(const char* trace_hex, const char* service, std::int64_t start_ns) {
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, service);
  add_span(scope, trace_hex, "1111111111111111", "", "op", 1, static_cast<std::uint64_t>(start_ns),
           static_cast<std::uint64_t>(start_ns) + 1000);
  return request.SerializeAsString();
}

TEST(ServiceInProcess, RetentionKeepsADayOldTraceAndDeletesOlderOnes) {
  auto dir = temp_dir("retention");
  std::atomic<std::int64_t> now{kNow};
  auto options = loopback_service_options(dir);
  options.store.retention = 72h;
  options.store.clock = [&now] { return now.load(); };
  auto service = store::Service::start(options);
  ASSERT_TRUE(service.has_value()) << service.error().message;
  httplib::Client otlp("127.0.0.1", (*service)->otlp_port());
  httplib::Client query("127.0.0.1", (*service)->query_port());
  const char* day_old = "0190a1b2c3d47e5f8a9b0c1d2e3f4001";
  const char* too_old = "0190a1b2c3d47e5f8a9b0c1d2e3f4002";
  ASSERT_EQ(otlp.Post("/v1/traces", one_span_request(day_old, "cam", kNow - 24 * kHourNs), "application/x-protobuf")->status, 200);
  ASSERT_EQ(otlp.Post("/v1/traces", one_span_request(too_old, "cam", kNow - 73 * kHourNs), "application/x-protobuf")->status, 200);
  EXPECT_EQ(query.Get(std::string("/api/traces/") + too_old)->status, 200);

  auto pass = (*service)->store().run_maintenance();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->expired_traces, 1U);
  EXPECT_EQ(query.Get(std::string("/api/traces/") + day_old)->status, 200);
  EXPECT_EQ(query.Get(std::string("/api/traces/") + too_old)->status, 404);

  now += 49 * kHourNs;  // the day-old trace is now 73 h old
  ASSERT_TRUE((*service)->store().run_maintenance().has_value());
  EXPECT_EQ(query.Get(std::string("/api/traces/") + day_old)->status, 404);
  httplib::Client admin("127.0.0.1", (*service)->admin_port());
  json health = json::parse(admin.Get("/health")->body);
  EXPECT_EQ(health["counters"]["traces_expired"], 2);
  EXPECT_EQ(health["traces"], 0);
  (*service)->stop();
  std::filesystem::remove_all(dir);
}

TEST(ServiceInProcess, ForwardsAcceptedRequestsUpstream) {
  auto upstream_dir = temp_dir("upstream");
  auto local_dir = temp_dir("local");
  auto upstream = store::Service::start(loopback_service_options(upstream_dir));
  ASSERT_TRUE(upstream.has_value());
  auto options = loopback_service_options(local_dir);
  options.forward_url = "http://127.0.0.1:" + std::to_string((*upstream)->otlp_port()) + "/v1/traces";
  auto local = store::Service::start(options);
  ASSERT_TRUE(local.has_value()) << local.error().message;

  const char* trace = "0190a1b2c3d47e5f8a9b0c1d2e3f4099";
  httplib::Client otlp("127.0.0.1", (*local)->otlp_port());
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_EQ(otlp.Post("/v1/traces", one_span_request(trace, "edge", now_ns), "application/x-protobuf")->status, 200);

  // Forwarding is asynchronous: wait (bounded) for the upstream store to hold the trace.
  auto id = *TraceId::from_hex(trace);
  bool arrived = false;
  for (int i = 0; i < 500 && !arrived; ++i) {
    auto found = (*upstream)->store().find_trace(id);
    arrived = found.has_value() && found->has_value();
    if (!arrived) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(arrived);
  // The counter moves once the upstream's 200 is read, just after the upstream committed.
  httplib::Client admin("127.0.0.1", (*local)->admin_port());
  json health;
  for (int i = 0; i < 500; ++i) {
    health = json::parse(admin.Get("/health")->body);
    if (health["forward"]["forwarded"] == 1) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(health["forward"]["forwarded"], 1);
  EXPECT_EQ(health["forward"]["failed"], 0);
  EXPECT_EQ(health["forward"]["dropped"], 0);
  (*local)->stop();
  (*upstream)->stop();
  std::filesystem::remove_all(upstream_dir);
  std::filesystem::remove_all(local_dir);
}

TEST(ServiceInProcess, CountsForwardFailuresWithoutBlockingIngest) {
  auto dir = temp_dir("forward-fail");
  auto options = loopback_service_options(dir);
  options.forward_url = "http://127.0.0.1:1/v1/traces";  // nothing listens on port 1
  auto service = store::Service::start(options);
  ASSERT_TRUE(service.has_value());
  httplib::Client otlp("127.0.0.1", (*service)->otlp_port());
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto reply = otlp.Post("/v1/traces", one_span_request("0190a1b2c3d47e5f8a9b0c1d2e3f4098", "edge", now_ns),
                         "application/x-protobuf");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);  // stored locally whatever happens upstream
  httplib::Client admin("127.0.0.1", (*service)->admin_port());
  json health;
  for (int i = 0; i < 600; ++i) {  // 5 attempts with 0.1+0.2+0.4+0.8 s backoff
    health = json::parse(admin.Get("/health")->body);
    if (health["forward"]["failed"] == 1) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(health["forward"]["failed"], 1);
  EXPECT_EQ(health["forward"]["retries"], 4);
  EXPECT_EQ(health["spans"], 1);
  (*service)->stop();
  std::filesystem::remove_all(dir);
}

TEST(ServiceInProcess, ReportsAPortInUseByItsFlag) {
  auto dir = temp_dir("port-in-use");
  auto first = store::Service::start(loopback_service_options(dir));
  ASSERT_TRUE(first.has_value());
  auto options = loopback_service_options(temp_dir("port-in-use-2"));
  options.query_port = (*first)->query_port();
  auto second = store::Service::start(options);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().message, "cannot listen on 127.0.0.1:" + std::to_string((*first)->query_port()) +
                                        " (--query-port): address in use or not available");
  (*first)->stop();
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(temp_dir("port-in-use-2"));
}

}  // namespace
}  // namespace frame_tracking::testing
