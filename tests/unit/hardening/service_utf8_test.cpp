// SPDX-License-Identifier: Apache-2.0
// Regression: service error messages that quote invalid UTF-8 from a request (found by fuzz_otlp_json and fuzz_jaeger_query).
#include "jaeger_query.hpp"
#include "otlp_receiver.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace frame_tracking::service {
namespace {

constexpr std::int64_t kNowNs = 1'796'040'000'000'000'000;

// fuzz_otlp_json artifact crash-5ad5f8ae…: the JSON parse error quoted the invalid byte, and
// building the JSON Status threw nlohmann type_error 316 out of receive_traces (the server
// answered 500 instead of 400).
TEST(ServiceUtf8Regression, OtlpJsonParseErrorQuotingInvalidUtf8Is400) {
  std::string pattern = (std::filesystem::temp_directory_path() / "ft-hardening-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  store::SpanStoreOptions options;
  options.path = dir / "spans.db";
  auto store = store::SpanStore::open(options);
  ASSERT_TRUE(store.has_value()) << store.error().message;

  ReceiveOutcome outcome;
  const HttpReply reply = receive_traces(**store, OtlpEncoding::kJson, "{\"resourceSp\x83" "ans\":[]}", outcome);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.content_type, "application/json");
  const auto body = nlohmann::json::parse(reply.body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_NE(body["message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(outcome.accepted_spans + outcome.rejected_spans + outcome.failed_spans, 0u);
  (*store)->close();
  std::filesystem::remove_all(dir);
}

TEST(ServiceUtf8Regression, StatusReplyReplacesInvalidBytes) {
  EXPECT_EQ(otlp_status_reply(400, 3, "bad \xff", OtlpEncoding::kJson).body, "{\"code\":3,\"message\":\"bad \xEF\xBF\xBD\"}");
  EXPECT_EQ(otlp_status_reply(400, 3, "bad \xff", OtlpEncoding::kProtobuf).body,
            std::string("\x08\x03\x12\x07" "bad \xEF\xBF\xBD", 11));
}

// fuzz_jaeger_query artifact crash-3101529b…: `limit=\r…\xff…` was quoted raw in the error, which
// the service puts into a JSON envelope (dump() threw; the client got 500 instead of 400).
TEST(ServiceUtf8Regression, SearchParamErrorsAreUtf8) {
  auto limit = parse_search_params({{"limit", "\r\xff" "0"}}, kNowNs);
  ASSERT_FALSE(limit.has_value());
  EXPECT_EQ(limit.error().message,
            "unable to parse param 'limit': strconv.ParseInt: parsing \"\r\xEF\xBF\xBD" "0\": invalid syntax");
  auto start = parse_search_params({{"start", "99999999999999999999\xfe"}}, kNowNs);
  ASSERT_FALSE(start.has_value());
  EXPECT_EQ(start.error().message,
            "unable to parse param 'start': strconv.ParseInt: parsing \"99999999999999999999\xEF\xBF\xBD\": value out of range");
  auto tag = parse_search_params({{"tag", "\xc3"}}, kNowNs);
  ASSERT_FALSE(tag.has_value());
  EXPECT_EQ(tag.error().message, "malformed 'tag' parameter, expecting key:value, received: \xEF\xBF\xBD");
  auto duration = parse_go_duration("1\xff");
  ASSERT_FALSE(duration.has_value());
  EXPECT_EQ(duration.error().message, "time: unknown unit \"\xEF\xBF\xBD\" in duration \"1\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace frame_tracking::service
