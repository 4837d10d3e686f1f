// SPDX-License-Identifier: Apache-2.0
// The OTLP exporter's log lines never carry credentials of its endpoint URL or its headers.
#include "frame_tracking/diagnostics.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "otlp_corpus.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace frame_tracking::otlp {
namespace {

TEST(ExporterLogs, NameTheEndpointWithoutItsCredentials) {
  const int port = 1;  // nothing listens on 127.0.0.1:1 (tcpmux): every export is refused at once
  std::mutex mutex;
  std::vector<std::string> lines;
  set_log_handler([&](LogLevel, std::string_view message) {
    std::lock_guard lock(mutex);
    lines.emplace_back(message);
  });
  OtlpHttpExporterOptions o;
  o.endpoint = "http://collector-user:s3cret-password@127.0.0.1:" + std::to_string(port) + "/v1/traces";
  o.headers = {{"api-key", "s3cret-header"}};
  o.max_attempts = 1;
  OtlpHttpExporter exporter(o);
  const testing::OtlpCorpus corpus = testing::make_otlp_corpus();
  EXPECT_EQ(exporter.export_batch(corpus.batch()), ExportResult::kFailure);
  set_log_handler({});
  ASSERT_EQ(lines.size(), 1U);
  const std::string expected = "OTLP export to http://***@127.0.0.1:" + std::to_string(port) + "/v1/traces failed (";
  EXPECT_EQ(lines[0].substr(0, expected.size()), expected) << lines[0];
  EXPECT_EQ(lines[0].find("s3cret"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace frame_tracking::otlp
