// SPDX-License-Identifier: Apache-2.0
// The store's disk fills up: `frame-tracking serve` runs with a file-size limit (RLIMIT_FSIZE, the
// same write error a full disk gives SQLite, without mounting anything). The receiver answers 503
// with Retry-After, counts the spans it could not store, and senders count them as dropped.
#include "../service/serve_process.hpp"
#include "exporting_provider.hpp"
#include "../../unit/store/otlp_builders.hpp"

#include "frame_tracking/batch_span_processor.hpp"
#include "frame_tracking/otlp/otlp_http_exporter.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <csignal>

#include <sys/resource.h>

namespace frame_tracking::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr rlim_t kFileLimitBytes = 512 * 1024;
constexpr int kSpansPerRequest = 100;

/// Starts `serve` with every file it writes limited to kFileLimitBytes. A write past the limit
/// fails with EFBIG (SIGXFSZ is ignored, in this process and so in the child), which SQLite
/// reports like a full disk.
bool start_with_file_limit(ServeProcess& serve, const std::filesystem::path& dir) {
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit saved{};
  getrlimit(RLIMIT_FSIZE, &saved);
  rlimit limited = saved;
  limited.rlim_cur = kFileLimitBytes;
  setrlimit(RLIMIT_FSIZE, &limited);
  const bool started = serve.start(dir);
  setrlimit(RLIMIT_FSIZE, &saved);
  return started;
}

/// A request of kSpansPerRequest spans (a minute old) in one new trace, with some attribute bulk.
std::string request_body(int n) {
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "disk-full");
  char trace[33];
  std::snprintf(trace, sizeof trace, "%032x", 0x5000 + n);
  for (int s = 0; s < kSpansPerRequest; ++s) {
    char span[17];
    std::snprintf(span, sizeof span, "%016x", s + 1);
    auto* added = add_span(scope, trace, span, "", "write", 1, now - 60'000'000'000ULL, now - 59'000'000'000ULL);
    add_string_attribute(added->mutable_attributes(), "padding", std::string(200, static_cast<char>('a' + s % 26)));
  }
  return request.SerializeAsString();
}

std::uint64_t metric(const std::string& text, const std::string& name) {
  auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? ~0ULL : std::stoull(text.substr(at + name.size() + 2));
}

TEST(StoreDiskFull, RefusesWith503CountsTheSpansAndSendersCountThemDropped) {
  auto dir = std::filesystem::temp_directory_path() / ("ft-disk-full-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ServeProcess serve;
  ASSERT_TRUE(start_with_file_limit(serve, dir));
  httplib::Client client("127.0.0.1", serve.otlp_port);
  httplib::Client admin("127.0.0.1", serve.admin_port);

  // 1. A plain client, no retries: ~2.5 MB of spans into files limited to 512 KiB.
  constexpr int kRequests = 60;
  int accepted = 0, refused = 0;
  std::string refusal_body, refusal_retry_after, refusal_type;
  for (int i = 0; i < kRequests; ++i) {
    auto reply = client.Post("/v1/traces", request_body(i), "application/x-protobuf");
    ASSERT_TRUE(reply);
    ASSERT_TRUE(reply->status == 200 || reply->status == 503) << reply->status << " " << reply->body;
    if (reply->status == 200) {
      ++accepted;
    } else {
      if (refused++ == 0) {
        refusal_body = reply->body;
        refusal_retry_after = reply->get_header_value("Retry-After");
        refusal_type = reply->get_header_value("Content-Type");
      }
    }
  }
  ASSERT_GT(refused, 0);
  EXPECT_EQ(refusal_retry_after, "1");
  EXPECT_EQ(refusal_type, "application/x-protobuf");
  // RLIMIT_FSIZE fails the write with EFBIG, which SQLite reports as an I/O error; a full disk
  // (ENOSPC) reads "database or disk is full". Both take this path.
  const std::string message = "store: write transaction failed: COMMIT: disk I/O error";
  // google.rpc.Status{code = 14 (UNAVAILABLE), message}: retryable, the store may have room later
  // (retention, --max-store-size eviction, an operator freeing disk).
  EXPECT_EQ(refusal_body, std::string("\x08\x0e\x12", 3) + static_cast<char>(message.size()) + message);

  json health = json::parse(admin.Get("/health")->body);
  EXPECT_EQ(health["spans"], accepted * kSpansPerRequest);
  EXPECT_EQ(health["counters"]["spans_ingested"], accepted * kSpansPerRequest);
  EXPECT_EQ(health["counters"]["spans_dropped"], refused * kSpansPerRequest);
  const std::string metrics = admin.Get("/metrics")->body;
  EXPECT_EQ(metric(metrics, "frame_tracking_service_spans_received_total"), std::uint64_t{kRequests} * kSpansPerRequest);
  EXPECT_EQ(metric(metrics, "frame_tracking_service_spans_ingested_total") +
                metric(metrics, "frame_tracking_service_spans_dropped_total"),
            std::uint64_t{kRequests} * kSpansPerRequest);
  EXPECT_NE(metrics.find("frame_tracking_service_requests_total{server=\"otlp\",code=\"503\"} " + std::to_string(refused) + "\n"),
            std::string::npos);
  // Reads still work on a full disk.
  auto found = httplib::Client("127.0.0.1", serve.query_port).Get("/api/traces/00000000000000000000000000005000");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, 200);

  // 2. The SDK exporting into the full store: what is not stored is counted dropped.
  otlp::OtlpHttpExporterOptions eo;
  eo.endpoint = "http://127.0.0.1:" + std::to_string(serve.otlp_port) + "/v1/traces";
  eo.timeout = milliseconds(500);  // shorter than Retry-After: 1, so a refused batch fails at once
  BatchSpanProcessorOptions bo;
  bo.max_queue_size = 4096;
  bo.max_export_batch_size = 100;
  bo.schedule_delay = milliseconds(5);
  otlp::OtlpHttpExporter* exporter_view = nullptr;
  auto provider = exporting_provider(eo, bo, "disk-full-sdk", &exporter_view);
  Tracer tracer = provider->get_tracer("disk-full");
  constexpr int kSdkSpans = 1000;
  for (int i = 0; i < kSdkSpans; ++i) tracer.start_span("sdk-write").end();
  ASSERT_TRUE(provider->force_flush(std::chrono::seconds(30)));
  const TracingStats stats = provider->collect();
  ASSERT_TRUE(provider->shutdown(std::chrono::seconds(5)));

  health = json::parse(admin.Get("/health")->body);
  const std::uint64_t sdk_stored = health["spans"].get<std::uint64_t>() - std::uint64_t(accepted) * kSpansPerRequest;
  EXPECT_EQ(stats.spans_ended, std::uint64_t{kSdkSpans});
  EXPECT_EQ(sdk_stored + stats.dropped_total(), std::uint64_t{kSdkSpans})
      << "stored " << sdk_stored << ", dropped " << stats.dropped_total();
  EXPECT_EQ(stats.dropped_export_failed, exporter_view->stats().failed_spans);
  EXPECT_EQ(serve.stop(SIGTERM), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking::testing
