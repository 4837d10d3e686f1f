// SPDX-License-Identifier: Apache-2.0
// Regression: Jaeger API errors quoting a percent-decoded invalid UTF-8 trace id (same class as fuzz_jaeger_query's finding).
#include "../store/test_service.hpp"

#include <gtest/gtest.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace frame_tracking {
namespace {

class JaegerErrorUtf8 : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_test_dir("fuzz-findings");
    auto started = store::Service::start(testing::loopback_service_options(dir_));
    ASSERT_TRUE(started.has_value()) << started.error().message;
    service_ = std::move(*started);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// GET `target` on the query port; the reply must be 400 with Jaeger's error envelope.
  std::string error_message(const std::string& target) {
    httplib::Client query("127.0.0.1", service_->query_port());
    auto res = query.Get(target);
    if (!res) return "no response";
    EXPECT_EQ(res->status, 400) << res->body;
    auto body = nlohmann::json::parse(res->body, nullptr, false);
    if (!body.is_object() || !body["errors"].is_array()) return "not an envelope: " + res->body;
    return body["errors"][0]["msg"].get<std::string>();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Service> service_;
};

// Before the fix, dump() of the error envelope threw on the raw byte and the client got 500.
TEST_F(JaegerErrorUtf8, TraceIdPathSegment) {
  EXPECT_EQ(error_message("/api/traces/ab%FF"),
            "malformed trace id 'ab\xEF\xBF\xBD': expected up to 32 hex digits or a FrameId (8-4-4-4-12)");
}

TEST_F(JaegerErrorUtf8, TraceIdParameter) {
  EXPECT_EQ(error_message("/api/traces?traceID=%C3"),
            "unable to parse param 'traceID': invalid trace id '\xEF\xBF\xBD'");
}

}  // namespace
}  // namespace frame_tracking
