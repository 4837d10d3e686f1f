// SPDX-License-Identifier: Apache-2.0
// Tests of split_url: the cut into userinfo, host:port and path, with and without each part.
#include "frame_tracking/url_parts.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

TEST(UrlPartsTest, CutsEveryPart) {
  auto parts = split_url("amqp://user:p%40ss@broker:5673/%2f", "amqp://");
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ(parts->userinfo, "user:p%40ss");
  EXPECT_EQ(parts->host_port, "broker:5673");
  EXPECT_EQ(parts->path, "%2f");
}

TEST(UrlPartsTest, UserinfoAndPathAreOptional) {
  auto parts = split_url("redis://cache", "redis://");
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ(parts->userinfo, std::nullopt);
  EXPECT_EQ(parts->host_port, "cache");
  EXPECT_EQ(parts->path, std::nullopt);
}

TEST(UrlPartsTest, AnEmptyPathIsNotAMissingOne) {
  auto parts = split_url("redis://h:6379/", "redis://");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->host_port, "h:6379");
  EXPECT_EQ(parts->path, "");
}

TEST(UrlPartsTest, TheUserinfoEndsAtTheLastAtSignAndThePathStartsAtTheFirstSlash) {
  auto parts = split_url("amqp://a@b@h/v/x@y", "amqp://");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->userinfo, "a@b");
  EXPECT_EQ(parts->host_port, "h");
  EXPECT_EQ(parts->path, "v/x@y");
}

TEST(UrlPartsTest, RejectsAnotherScheme) {
  EXPECT_EQ(split_url("http://h", "redis://").error(),
            (Error{ErrorCode::kInvalidInput, "'http://h' does not start with redis://"}));
  EXPECT_EQ(split_url("", "amqp://").error().message, "'' does not start with amqp://");
  EXPECT_EQ(split_url("AMQP://h", "amqp://").error().message, "'AMQP://h' does not start with amqp://");
}

}  // namespace
}  // namespace frame_tracking
