// SPDX-License-Identifier: Apache-2.0
// Tests of parse_host_port: hosts with and without a port, and every rejected port and host.
#include "frame_tracking/host_port.hpp"

#include <gtest/gtest.h>

namespace frame_tracking {
namespace {

TEST(HostPortTest, SplitsHostAndPort) {
  auto hp = parse_host_port("10.1.2.3:6380");
  ASSERT_TRUE(hp) << hp.error().message;
  EXPECT_EQ(*hp, (HostPort{"10.1.2.3", 6380}));
  EXPECT_EQ(*parse_host_port("broker:1"), (HostPort{"broker", 1}));
  EXPECT_EQ(*parse_host_port("broker:65535"), (HostPort{"broker", 65535}));
}

TEST(HostPortTest, PortIsOptional) {
  auto hp = parse_host_port("cache");
  ASSERT_TRUE(hp) << hp.error().message;
  EXPECT_EQ(hp->host, "cache");
  EXPECT_EQ(hp->port, std::nullopt);
}

TEST(HostPortTest, ThePortFollowsTheLastColon) {
  EXPECT_EQ(*parse_host_port("a:b:5672"), (HostPort{"a:b", 5672}));
}

TEST(HostPortTest, RejectsPortsOutsideTheRangeOrNotDecimal) {
  struct Case {
    std::string_view authority;
    std::string_view message;
  };
  for (const Case& c : {Case{"h:0", "port '0' is not in 1..65535"}, Case{"h:65536", "port '65536' is not in 1..65535"},
                        Case{"h:70000", "port '70000' is not in 1..65535"}, Case{"h:", "port '' is not in 1..65535"},
                        Case{"h:-1", "port '-1' is not in 1..65535"}, Case{"h:+80", "port '+80' is not in 1..65535"},
                        Case{"h:80x", "port '80x' is not in 1..65535"}, Case{"h: 80", "port ' 80' is not in 1..65535"},
                        Case{"h:99999999999", "port '99999999999' is not in 1..65535"},
                        Case{"[::1]", "port '1]' is not in 1..65535"}}) {
    auto hp = parse_host_port(c.authority);
    ASSERT_FALSE(hp) << c.authority;
    EXPECT_EQ(hp.error(), (Error{ErrorCode::kInvalidInput, std::string(c.message)})) << c.authority;
  }
}

TEST(HostPortTest, RejectsAnEmptyHostAfterCheckingThePort) {
  EXPECT_EQ(parse_host_port("").error().message, "host is empty");
  EXPECT_EQ(parse_host_port(":6379").error().message, "host is empty");
  EXPECT_EQ(parse_host_port(":0").error().message, "port '0' is not in 1..65535");
}

}  // namespace
}  // namespace frame_tracking
