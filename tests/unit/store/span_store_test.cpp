// SPDX-License-Identifier: Apache-2.0
// Unit tests of SpanStore: round trip, rejection, deduplication, search criteria, retention, size limit, schema.
#include "frame_tracking/store/span_store.hpp"

#include "otlp_builders.hpp"

#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <sqlite3.h>
#include <unistd.h>
#include <filesystem>

namespace frame_tracking::store {
namespace {

using namespace frame_tracking::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;     // NOLINT(google-build-using-namespace)

constexpr std::uint64_t kT0 = 1'800'000'000'000'000'000ULL;  // 2027-01-15T08:00:00Z in Unix ns
constexpr std::uint64_t kMs = 1'000'000ULL;
constexpr std::string_view kTraceA = "0190a1b2c3d47e5f8a9b0c1d2e3f4051";
constexpr std::string_view kTraceB = "0190a1b2c3d47e5f8a9b0c1d2e3f4052";
constexpr std::string_view kTraceC = "0190a1b2c3d47e5f8a9b0c1d2e3f4053";

class SpanStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ft-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    options_.path = dir_ / "spans.db";
    options_.clock = [this] { return now_ns_; };
    options_.maintenance_interval = 1h;  // maintenance only when a test asks
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  SpanStore& open() {
    auto opened = SpanStore::open(options_);
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    store_ = std::move(*opened);
    return *store_;
  }
  static TraceId id(std::string_view hex) { return *TraceId::from_hex(hex); }

  /// Trace A: camera → detector (frame.id set), trace B: another service, trace C: an error span.
  static otlp_collector::ExportTraceServiceRequest three_traces() {
    otlp_collector::ExportTraceServiceRequest request;
    auto* capture = add_scope(request, "capture", "capture-lib");
    auto* root = add_span(capture, kTraceA, "1111111111111111", "", "capture_frame", 1, kT0, kT0 + 5 * kMs);
    add_string_attribute(root->mutable_attributes(), "frame.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051");
    add_string_attribute(root->mutable_attributes(), "camera.id", "cam 1");
    auto* event = root->add_events();
    event->set_name("frame.dropped");
    event->set_time_unix_nano(kT0 + 4 * kMs);
    add_string_attribute(event->mutable_attributes(), "frame.drop_reason", "queue full");
    auto* send = add_span(capture, kTraceA, "2222222222222222", "1111111111111111", "send frames", 4, kT0 + 1 * kMs,
                          kT0 + 2 * kMs);
    auto* link = send->add_links();
    link->set_trace_id(bytes_from_hex(kTraceB));
    link->set_span_id(bytes_from_hex("3333333333333333"));
    auto* detector = add_scope(request, "detector");
    add_span(detector, kTraceB, "3333333333333333", "", "detect", 2, kT0 + 10 * kMs, kT0 + 40 * kMs);
    auto* failed = add_span(detector, kTraceC, "4444444444444444", "", "detect", 2, kT0 + 20 * kMs, kT0 + 21 * kMs);
    failed->mutable_status()->set_code(otlp_trace::Status::STATUS_CODE_ERROR);
    failed->mutable_status()->set_message("model not loaded");
    return request;
  }

  std::vector<std::string> search_ids(const TraceQuery& query) {
    auto found = store_->search(query);
    EXPECT_TRUE(found.has_value());
    std::vector<std::string> ids;
    if (found)
      for (const auto& trace : *found) ids.push_back(trace.trace_id.to_hex());
    return ids;
  }

  std::filesystem::path dir_;
  SpanStoreOptions options_;
  std::int64_t now_ns_ = static_cast<std::int64_t>(kT0);
  std::unique_ptr<SpanStore> store_;
};

TEST_F(SpanStoreTest, StoresAndReturnsSpansWithEveryField) {
  auto& store = open();
  auto request = three_traces();
  auto result = store.ingest(request);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->accepted_spans, 4U);
  EXPECT_EQ(result->rejected_spans, 0U);

  auto trace = store.find_trace(id(kTraceA));
  ASSERT_TRUE(trace.has_value());
  ASSERT_TRUE(trace->has_value());
  EXPECT_EQ((*trace)->span_count, 2U);
  EXPECT_FALSE((*trace)->truncated);
  const auto& data = *(*trace)->data;
  ASSERT_EQ(data.resource_spans_size(), 1);
  EXPECT_EQ(data.resource_spans(0).resource().SerializeAsString(),
            request.resource_spans(0).resource().SerializeAsString());
  ASSERT_EQ(data.resource_spans(0).scope_spans_size(), 1);
  EXPECT_EQ(data.resource_spans(0).scope_spans(0).scope().name(), "capture-lib");
  ASSERT_EQ(data.resource_spans(0).scope_spans(0).spans_size(), 2);
  EXPECT_EQ(data.resource_spans(0).scope_spans(0).spans(0).SerializeAsString(),
            request.resource_spans(0).scope_spans(0).spans(0).SerializeAsString());
  EXPECT_EQ(data.resource_spans(0).scope_spans(0).spans(1).SerializeAsString(),
            request.resource_spans(0).scope_spans(0).spans(1).SerializeAsString());

  auto missing = store.find_trace(id("00000000000000000000000000000001"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());

  auto stats = store.stats();
  EXPECT_EQ(stats.span_count, 4U);
  EXPECT_EQ(stats.trace_count, 3U);
  EXPECT_EQ(stats.ingested_spans, 4U);
  EXPECT_EQ(stats.oldest_trace_start_ns, static_cast<std::int64_t>(kT0));
}

TEST_F(SpanStoreTest, RejectsSpansWithBadIdsAndCountsThem) {
  auto& store = open();
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "capture");
  add_span(scope, "0102", "1111111111111111", "", "short trace id", 1, kT0, kT0 + 1);
  add_span(scope, "00000000000000000000000000000000", "1111111111111111", "", "zero trace id", 1, kT0, kT0 + 1);
  add_span(scope, kTraceA, "0000000000000000", "", "zero span id", 1, kT0, kT0 + 1);
  add_span(scope, kTraceA, "1111111111111111", "", "good", 1, kT0, kT0 + 1);
  auto result = store.ingest(request);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->accepted_spans, 1U);
  EXPECT_EQ(result->rejected_spans, 3U);
  EXPECT_EQ(result->error_message, "span.traceId: must be 16 bytes");
  EXPECT_EQ(store.stats().rejected_spans, 3U);
  EXPECT_EQ(store.stats().span_count, 1U);
}

TEST_F(SpanStoreTest, SearchesByEveryCriterion) {
  auto& store = open();
  ASSERT_TRUE(store.ingest(three_traces()).has_value());
  const std::string a(kTraceA), b(kTraceB), c(kTraceC);
  using Ids = std::vector<std::string>;

  EXPECT_EQ(search_ids({}), (Ids{c, b, a}));  // no service: newest span start first
  EXPECT_EQ(search_ids({.service = "capture"}), (Ids{a}));
  EXPECT_EQ(search_ids({.service = "detector"}), (Ids{c, b}));
  EXPECT_EQ(search_ids({.service = "nobody"}), Ids{});
  EXPECT_EQ(search_ids({.service = "detector", .operation = "detect"}), (Ids{c, b}));
  EXPECT_EQ(search_ids({.service = "capture", .operation = "send frames"}), (Ids{a}));
  EXPECT_EQ(search_ids({.operation = "nothing"}), Ids{});
  EXPECT_EQ(search_ids({.start_min_ns = kT0 + 10 * kMs}), (Ids{c, b}));
  EXPECT_EQ(search_ids({.start_min_ns = kT0 + 1 * kMs, .start_max_ns = kT0 + 10 * kMs}), (Ids{b, a}));
  EXPECT_EQ(search_ids({.duration_min_ns = 5 * kMs}), (Ids{b, a}));
  EXPECT_EQ(search_ids({.duration_max_ns = 1 * kMs}), (Ids{c, a}));
  EXPECT_EQ(search_ids({.duration_min_ns = 2 * kMs, .duration_max_ns = 10 * kMs}), (Ids{a}));
  EXPECT_EQ(search_ids({.limit = 2}), (Ids{c, b}));

  // Tags: span attributes (with spaces), resource, events, links, derived Jaeger tags, frame.id in both forms.
  EXPECT_EQ(search_ids({.tags = {{"camera.id", "cam 1"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.tags = {{"camera.id", "cam 2"}}}), Ids{});
  EXPECT_EQ(search_ids({.tags = {{"service.name", "detector"}}}), (Ids{c, b}));
  EXPECT_EQ(search_ids({.tags = {{"frame.drop_reason", "queue full"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.tags = {{"span.kind", "producer"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.tags = {{"error", "true"}}}), (Ids{c}));
  EXPECT_EQ(search_ids({.tags = {{"otel.status_code", "ERROR"}, {"otel.status_description", "model not loaded"}}}),
            (Ids{c}));
  EXPECT_EQ(search_ids({.tags = {{"otel.scope.name", "capture-lib"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.tags = {{"frame.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.tags = {{"frame.id", "0190A1B2C3D47E5F8A9B0C1D2E3F4051"}}}), (Ids{a}));
  EXPECT_EQ(search_ids({.service = "detector", .tags = {{"frame.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051"}}}),
            Ids{});
  EXPECT_EQ(search_ids({.tags = {{"frame.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4051"}, {"camera.id", "cam 2"}}}),
            Ids{});

  EXPECT_FALSE(store.search({.limit = 0}).has_value());
}

TEST_F(SpanStoreTest, ListsServicesAndOperations) {
  auto& store = open();
  ASSERT_TRUE(store.ingest(three_traces()).has_value());
  auto services = store.services();
  ASSERT_TRUE(services.has_value());
  EXPECT_EQ(*services, (std::vector<std::string>{"capture", "detector"}));
  auto operations = store.operations("capture");
  ASSERT_TRUE(operations.has_value());
  ASSERT_EQ(operations->size(), 2U);
  EXPECT_EQ((*operations)[0].name, "capture_frame");
  EXPECT_EQ((*operations)[0].kind, 1);
  EXPECT_EQ((*operations)[1].name, "send frames");
  EXPECT_EQ((*operations)[1].kind, 4);
  auto producers = store.operations("capture", 4);
  ASSERT_TRUE(producers.has_value());
  ASSERT_EQ(producers->size(), 1U);
  EXPECT_EQ((*producers)[0].name, "send frames");
}

TEST_F(SpanStoreTest, RetentionDeletesWholeOldTracesOnly) {
  options_.retention = 72h;
  auto& store = open();
  constexpr std::uint64_t kHour = 3600ULL * 1'000'000'000ULL;
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "capture");
  add_span(scope, kTraceA, "1111111111111111", "", "day old", 1, kT0 - 24 * kHour, kT0 - 24 * kHour + kMs);
  add_span(scope, kTraceB, "2222222222222222", "", "too old", 1, kT0 - 73 * kHour, kT0 - 73 * kHour + kMs);
  // Trace C started long ago but its newest span is recent: the whole trace stays.
  add_span(scope, kTraceC, "3333333333333333", "", "old part", 1, kT0 - 80 * kHour, kT0 - 80 * kHour + kMs);
  add_span(scope, kTraceC, "4444444444444444", "", "new part", 1, kT0 - 1 * kHour, kT0 - 1 * kHour + kMs);
  ASSERT_TRUE(store.ingest(request).has_value());

  auto pass = store.run_maintenance();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->expired_traces, 1U);
  EXPECT_TRUE(store.find_trace(id(kTraceA))->has_value());
  EXPECT_FALSE(store.find_trace(id(kTraceB))->has_value());
  ASSERT_TRUE(store.find_trace(id(kTraceC))->has_value());
  EXPECT_EQ((*store.find_trace(id(kTraceC)))->span_count, 2U);

  now_ns_ += static_cast<std::int64_t>(49 * kHour);  // trace A is now 73 h old
  ASSERT_TRUE(store.run_maintenance().has_value());
  EXPECT_FALSE(store.find_trace(id(kTraceA))->has_value());
  auto stats = store.stats();
  EXPECT_EQ(stats.expired_traces, 2U);
  EXPECT_EQ(stats.trace_count, 1U);
  EXPECT_EQ(stats.span_count, 2U);
}

TEST_F(SpanStoreTest, SizeLimitEvictsOldestTracesFirstAndCountsThem) {
  options_.retention = 0ns;
  options_.delete_chunk_traces = 10;
  auto& store = open();
  std::string payload(2000, 'x');
  for (int t = 0; t < 200; ++t) {
    otlp_collector::ExportTraceServiceRequest request;
    auto* scope = add_scope(request, "capture");
    char trace_hex[33];
    std::snprintf(trace_hex, sizeof trace_hex, "%032x", t + 1);
    auto* span = add_span(scope, trace_hex, "1111111111111111", "", "big", 1, kT0 + static_cast<std::uint64_t>(t) * kMs,
                          kT0 + static_cast<std::uint64_t>(t) * kMs + 1);
    add_string_attribute(span->mutable_attributes(), "payload", payload);
    ASSERT_TRUE(store.ingest(request).has_value());
  }
  std::uint64_t used = store.stats().used_bytes;
  options_.max_store_bytes = used / 2;
  store_.reset();
  auto& limited = open();
  for (int i = 0; i < 100; ++i) {
    auto pass = limited.run_maintenance();
    ASSERT_TRUE(pass.has_value());
    if (!pass->more) break;
  }
  auto stats = limited.stats();
  EXPECT_LE(stats.used_bytes, used / 2);
  EXPECT_GT(stats.evicted_traces, 0U);
  EXPECT_EQ(stats.trace_count, 200U - stats.evicted_traces);
  // Oldest first: the first trace is gone, the newest is kept.
  EXPECT_FALSE(limited.find_trace(id("00000000000000000000000000000001"))->has_value());
  EXPECT_TRUE(limited.find_trace(id("000000000000000000000000000000c8"))->has_value());
}

TEST_F(SpanStoreTest, CutsVeryLongTracesAndSaysSo) {
  options_.max_spans_per_trace = 2;
  auto& store = open();
  otlp_collector::ExportTraceServiceRequest request;
  auto* scope = add_scope(request, "capture");
  for (char c : std::string("123")) add_span(scope, kTraceA, std::string(16, c), "", "s", 1, kT0, kT0 + 1);
  ASSERT_TRUE(store.ingest(request).has_value());
  auto trace = store.find_trace(id(kTraceA));
  ASSERT_TRUE(trace.has_value() && trace->has_value());
  EXPECT_EQ((*trace)->span_count, 2U);
  EXPECT_TRUE((*trace)->truncated);
}

TEST_F(SpanStoreTest, KeepsDataAcrossReopenAndRefusesNewerSchema) {
  open();
  ASSERT_TRUE(store_->ingest(three_traces()).has_value());
  store_.reset();
  auto& reopened = open();
  EXPECT_EQ(reopened.stats().span_count, 4U);
  EXPECT_TRUE(reopened.find_trace(id(kTraceB))->has_value());
  store_.reset();

  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto refused = SpanStore::open(options_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, "store: " + options_.path.string() +
                                         ": schema version 99 is newer than this build understands (2)");
}

/// One integer from a query on the store file (opened apart from the store), or -1.
std::int64_t query_int(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW)
      value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return value;
}

TEST_F(SpanStoreTest, StoresEachTraceAndSpanIdOnceAndCountsDuplicates) {
  auto& store = open();
  ASSERT_TRUE(store.ingest(three_traces()).has_value());
  auto retry = store.ingest(three_traces());  // an exporter's retry of a committed batch
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->accepted_spans, 0U);
  EXPECT_EQ(retry->duplicate_spans, 4U);
  EXPECT_EQ(retry->rejected_spans, 0U);
  EXPECT_EQ(retry->error_message, "");

  // One span stored already, one new span sent twice in the same request.
  otlp_collector::ExportTraceServiceRequest mixed;
  auto* scope = add_scope(mixed, "capture", "capture-lib");
  add_span(scope, kTraceA, "1111111111111111", "", "capture_frame", 1, kT0, kT0 + 5 * kMs);
  add_span(scope, kTraceA, "5555555555555555", "1111111111111111", "encode", 1, kT0 + 5 * kMs, kT0 + 9 * kMs);
  add_span(scope, kTraceA, "5555555555555555", "1111111111111111", "encode", 1, kT0 + 5 * kMs, kT0 + 9 * kMs);
  auto result = store.ingest(mixed);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->accepted_spans, 1U);
  EXPECT_EQ(result->duplicate_spans, 2U);

  auto trace = store.find_trace(id(kTraceA));
  ASSERT_TRUE(trace.has_value() && trace->has_value());
  EXPECT_EQ((*trace)->span_count, 3U);
  auto stats = store.stats();
  EXPECT_EQ(stats.span_count, 5U);
  EXPECT_EQ(stats.trace_count, 3U);
  EXPECT_EQ(stats.ingested_spans, 5U);
  EXPECT_EQ(stats.duplicate_spans, 6U);
  store_.reset();
  EXPECT_EQ(query_int(options_.path, "SELECT count(*) FROM spans"), 5);
  EXPECT_EQ(query_int(options_.path, "SELECT span_count FROM traces WHERE trace_id = x'" + std::string(kTraceA) + "'"), 3);
}

TEST_F(SpanStoreTest, MigratesVersion1FilesAndMergesTheirDuplicates) {
  open();
  ASSERT_TRUE(store_->ingest(three_traces()).has_value());
  store_.reset();
  {
    // Turn the file back into schema 1 (no span_id column) holding every span twice, as a
    // version-1 store did after an exporter's retry.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.path.c_str(), &db), SQLITE_OK);
    const char* downgrade =
        "DROP INDEX spans_by_span_id; ALTER TABLE spans DROP COLUMN span_id;"
        "CREATE INDEX spans_by_trace ON spans (trace_id);"
        "INSERT INTO spans (trace_id, service_id, operation_id, start_ns, duration_ns, frame_id, resource_id, scope_id,"
        " body) SELECT trace_id, service_id, operation_id, start_ns, duration_ns, frame_id, resource_id, scope_id, body"
        " FROM spans;"
        "UPDATE traces SET span_count = 2 * span_count; PRAGMA user_version = 1;";
    ASSERT_EQ(sqlite3_exec(db, downgrade, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  ASSERT_EQ(query_int(options_.path, "SELECT count(*) FROM spans"), 8);

  auto& migrated = open();
  EXPECT_EQ(migrated.stats().span_count, 4U);
  EXPECT_EQ(migrated.stats().trace_count, 3U);
  auto trace = migrated.find_trace(id(kTraceA));
  ASSERT_TRUE(trace.has_value() && trace->has_value());
  EXPECT_EQ((*trace)->span_count, 2U);
  auto retry = migrated.ingest(three_traces());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->accepted_spans, 0U);
  EXPECT_EQ(retry->duplicate_spans, 4U);
  store_.reset();
  EXPECT_EQ(query_int(options_.path, "PRAGMA user_version"), 2);
  EXPECT_EQ(query_int(options_.path, "SELECT sum(span_count) FROM traces"), 4);
  EXPECT_EQ(query_int(options_.path, "SELECT count(*) FROM spans WHERE span_id IS NULL"), 0);
}

TEST_F(SpanStoreTest, ClosedStoreReturnsErrors) {
  auto& store = open();
  store.close();
  auto result = store.ingest(three_traces());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "store: closed");
  EXPECT_FALSE(store.find_trace(id(kTraceA)).has_value());
}

}  // namespace
}  // namespace frame_tracking::store
