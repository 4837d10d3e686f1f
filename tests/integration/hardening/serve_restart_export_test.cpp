// SPDX-License-Identifier: Apache-2.0
// `frame-tracking serve` killed (SIGKILL) and restarted on the same port and store while a
// BatchSpanProcessor + OtlpHttpExporter export to it: every span ended is stored or counted dropped.
#include "../service/serve_process.hpp"
#include "exporting_provider.hpp"

#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr int kTraces = 20;
constexpr int kSpansPerTrace = 100;

std::string trace_hex(int t) {
  char text[33];
  std::snprintf(text, sizeof text, "0190a1b2c3d47e5f8a9b%012x", t + 1);
  return text;
}

/// Distinct span ids and spans returned for the test's traces, read through the Jaeger API.
std::pair<std::size_t, std::size_t> stored_spans(int query_port) {
  httplib::Client query("127.0.0.1", query_port);
  std::size_t distinct = 0, rows = 0;
  for (int t = 0; t < kTraces; ++t) {
    auto reply = query.Get("/api/traces/" + trace_hex(t));
    EXPECT_TRUE(reply) << trace_hex(t);
    if (!reply) continue;
    EXPECT_EQ(reply->status, 200) << trace_hex(t) << " " << reply->body;
    if (reply->status != 200) continue;
    std::set<std::string> ids;
    const json body = json::parse(reply->body);
    for (const auto& span : body["data"][0]["spans"]) {
      ids.insert(span["spanID"].get<std::string>());
      ++rows;
    }
    distinct += ids.size();
  }
  return {distinct, rows};
}

TEST(ServeRestartDuringExport, StoredPlusCountedDroppedEqualsEnded) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-restart-export-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ServeProcess serve;
  ASSERT_TRUE(serve.start(dir));
  const int port = serve.otlp_port;

  otlp::OtlpHttpExporterOptions eo;
  eo.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  // Retry long enough to outlast the restart (connection refused, then a new process): the
  // numbers then rarely depend on timing; the assertion holds either way.
  eo.timeout = milliseconds(20000);
  eo.max_attempts = 100;
  eo.initial_backoff = milliseconds(20);
  eo.max_backoff = milliseconds(200);
  BatchSpanProcessorOptions bo;
  bo.max_queue_size = 1024;
  bo.max_export_batch_size = 50;
  bo.schedule_delay = milliseconds(5);
  otlp::OtlpHttpExporter* exporter_view = nullptr;
  auto provider = exporting_provider(eo, bo, "restart-export", &exporter_view);
  Tracer tracer = provider->get_tracer("restart");

  constexpr int kSpans = kTraces * kSpansPerTrace;
  std::atomic<int> ended{0};
  std::thread producer([&] {
    for (int i = 0; i < kSpans; ++i) {
      tracer.start_span("work", {.new_root = true, .trace_id = TraceId::from_hex(trace_hex(i % kTraces))}).end();
      ended.store(i + 1);
      if (i % 10 == 9) std::this_thread::sleep_for(milliseconds(1));
    }
  });
  while (ended.load() < kSpans / 3) std::this_thread::sleep_for(milliseconds(1));
  EXPECT_EQ(serve.stop(SIGKILL), 128 + SIGKILL);
  ASSERT_TRUE(serve.start(dir, {}, port));
  producer.join();
  ASSERT_TRUE(provider->force_flush(std::chrono::seconds(60)));
  const TracingStats stats = provider->collect();
  ASSERT_TRUE(provider->shutdown(std::chrono::seconds(10)));

  EXPECT_EQ(stats.spans_ended, static_cast<std::uint64_t>(kSpans));
  EXPECT_EQ(stats.queue_size, 0U);
  const auto [distinct, rows] = stored_spans(serve.query_port);
  // A batch whose reply was lost with the killed process is sent again; the store keeps each
  // (trace id, span id) once and counts the second copy in spans_duplicate (at most that batch).
  EXPECT_EQ(rows, distinct);
  EXPECT_EQ(rows + stats.dropped_total(), static_cast<std::uint64_t>(kSpans))
      << "stored " << rows << ", dropped " << stats.dropped_total();
  auto health = httplib::Client("127.0.0.1", serve.admin_port).Get("/health");
  ASSERT_TRUE(health);
  const json service = json::parse(health->body);
  EXPECT_EQ(service["spans"].get<std::size_t>(), rows);
  EXPECT_LE(service["counters"]["spans_duplicate"].get<std::size_t>(), static_cast<std::size_t>(bo.max_export_batch_size));
  EXPECT_EQ(stats.spans_exported, exporter_view->stats().exported_spans);
  EXPECT_EQ(serve.stop(SIGTERM), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::testing
