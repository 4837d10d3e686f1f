// SPDX-License-Identifier: Apache-2.0
// OtlpHttpExporterOptions::from_env: defaults, _TRACES_ precedence, endpoint rules, one warning per bad value.
#include "frame_tracking/diagnostics.hpp"
#include "frame_tracking/otlp/otlp_http_exporter_options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace frame_tracking::otlp {
namespace {

// Captures warnings for the duration of a test.
class OtlpOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_log_handler([this](LogLevel level, std::string_view message) {
      if (level == LogLevel::kWarning) warnings.emplace_back(message);
    });
  }
  void TearDown() override { set_log_handler({}); }

  static OtlpHttpExporterOptions read(std::map<std::string, std::string, std::less<>> vars) {
    return OtlpHttpExporterOptions::from_env(fixed_environment(std::move(vars)));
  }

  std::vector<std::string> warnings;
};

TEST_F(OtlpOptionsTest, DefaultsFollowTheSpec) {
  const auto o = read({});
  EXPECT_EQ(o.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(o.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_TRUE(o.headers.empty());
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(o.compression, OtlpCompression::kNone);
  EXPECT_TRUE(warnings.empty());
}

TEST_F(OtlpOptionsTest, GenericEndpointIsABaseUrl) {
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}}).endpoint,
            "http://collector:4318/v1/traces");
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw.example/otlp/"}}).endpoint,
            "https://gw.example/otlp/v1/traces");
}

TEST_F(OtlpOptionsTest, TracesEndpointIsUsedAsIsAndWins) {
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318"},
                  {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:9999/custom/path"}})
                .endpoint,
            "http://b:9999/custom/path");
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:9999"}}).endpoint, "http://b:9999/");
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1"}}).endpoint,
            "http://a:1/v1/traces");
}

TEST_F(OtlpOptionsTest, ProtocolTimeoutCompressionAndTheirTracesVariants) {
  const auto o = read({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"},
                       {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "HTTP/JSON"},
                       {"OTEL_EXPORTER_OTLP_TIMEOUT", "500"},
                       {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500"},
                       {"OTEL_EXPORTER_OTLP_COMPRESSION", "none"},
                       {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip"}});
  EXPECT_EQ(o.protocol, OtlpProtocol::kHttpJson);
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(o.compression, OtlpCompression::kGzip);
  EXPECT_EQ(read({{"OTEL_EXPORTER_OTLP_TIMEOUT", "0"}}).timeout, std::chrono::milliseconds(0));
  EXPECT_TRUE(warnings.empty());
}

TEST_F(OtlpOptionsTest, HeadersArePercentDecodedAndTrimmed) {
  const auto o = read({{"OTEL_EXPORTER_OTLP_HEADERS", "ignored=1"},
                       {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", " api-key = s3cr%3Dt ,Authorization=Basic%20eHk=,, x-b=%2C"}});
  const std::vector<std::pair<std::string, std::string>> expected{
      {"api-key", "s3cr=t"}, {"Authorization", "Basic eHk="}, {"x-b", ","}};
  EXPECT_EQ(o.headers, expected);
  EXPECT_TRUE(warnings.empty());
}

TEST_F(OtlpOptionsTest, EachBadValueWarnsOnceNamingTheVariableAndFallsBack) {
  const auto o = read({{"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"},
                       {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"},
                       {"OTEL_EXPORTER_OTLP_HEADERS", "good=1,bad"},
                       {"OTEL_EXPORTER_OTLP_TIMEOUT", "-5"},
                       {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd"}});
  EXPECT_EQ(o.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(o.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_TRUE(o.headers.empty());
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(o.compression, OtlpCompression::kNone);
  const std::vector<std::string> expected{
      "OTEL_EXPORTER_OTLP_ENDPOINT=\"collector:4318\" ignored: not an http:// or https:// URL; using "
      "http://localhost:4318/v1/traces",
      "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=\"grpc\" ignored: the OTLP/HTTP exporter supports \"http/protobuf\" and "
      "\"http/json\"; using http/protobuf",
      "OTEL_EXPORTER_OTLP_HEADERS=\"good=1,bad\" ignored: member \"bad\" has no '='; using no extra headers",
      "OTEL_EXPORTER_OTLP_TIMEOUT=\"-5\" ignored: expected an integer number of milliseconds >= 0; using 10000",
      "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION=\"zstd\" ignored: expected \"gzip\" or \"none\"; using none"};
  EXPECT_EQ(warnings, expected);
}

TEST_F(OtlpOptionsTest, HeaderRulesAreEnforced) {
  read({{"OTEL_EXPORTER_OTLP_HEADERS", "bad key=1"}});
  read({{"OTEL_EXPORTER_OTLP_HEADERS", "k=%0d%0aInjected: yes"}});
  read({{"OTEL_EXPORTER_OTLP_HEADERS", "k=%zz"}});
  const std::vector<std::string> expected{
      "OTEL_EXPORTER_OTLP_HEADERS=\"bad key=1\" ignored: header name \"bad key\" is not an HTTP token; using no "
      "extra headers",
      "OTEL_EXPORTER_OTLP_HEADERS=\"k=%0d%0aInjected: yes\" ignored: the value of \"k\" holds CR, LF or NUL; using "
      "no extra headers",
      "OTEL_EXPORTER_OTLP_HEADERS=\"k=%zz\" ignored: bad percent-encoding in member \"k=%zz\"; using no extra "
      "headers"};
  EXPECT_EQ(warnings, expected);
}

}  // namespace
}  // namespace frame_tracking::otlp
