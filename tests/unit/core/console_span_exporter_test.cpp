// SPDX-License-Identifier: Apache-2.0
// ConsoleSpanExporter tests: one OTLP/JSON ExportTraceServiceRequest per line.
#include "tracing_test_util.hpp"

#include "frame_tracking/console_span_exporter.hpp"
#include "frame_tracking/otlp_json.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace frame_tracking {
namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST(ConsoleSpanExporterTest, WritesOneJsonLinePerBatch) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  auto store = std::make_shared<InMemorySpanStore>();
  {
    TracerProviderOptions options;
    options.resource = Resource({{"service.name", std::string("console")}});
    options.id_generator = std::make_unique<testing::SequentialIdGenerator>();
    options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<ConsoleSpanExporter>(file)));
    options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store)));
    TracerProvider provider(std::move(options));
    Tracer tracer = provider.get_tracer("cam", "1");
    Span a = tracer.start_span("capture_frame", {.start_time_unix_ns = 10});
    a.set_attribute("camera.id", "cam-1");
    a.end(20);
    tracer.start_span("decode_frame", {.new_root = true, .start_time_unix_ns = 30}).end(40);
    auto spans = store->take();
    ASSERT_EQ(spans.size(), 2u);
    const SpanData* first[] = {spans[0].get()};
    const SpanData* second[] = {spans[1].get()};
    std::string expected = to_otlp_json(first) + "\n" + to_otlp_json(second) + "\n";
    EXPECT_EQ(read_all(file), expected);
    EXPECT_NE(expected.find("\"name\":\"capture_frame\""), std::string::npos);
  }
  std::fclose(file);
}

TEST(ConsoleSpanExporterTest, FailsAfterShutdown) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  ConsoleSpanExporter exporter(file, /*owns_stream=*/true);
  EXPECT_TRUE(exporter.shutdown(std::chrono::microseconds(0)));
  SpanData span;
  const SpanData* batch[] = {&span};
  EXPECT_EQ(exporter.export_batch(batch), ExportResult::kFailure);
}

}  // namespace
}  // namespace frame_tracking
