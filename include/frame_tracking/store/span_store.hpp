// SPDX-License-Identifier: Apache-2.0
// SpanStore: durable OTLP span storage in SQLite (WAL) with trace, FrameId and search lookups and retention.
#pragma once

#include "frame_tracking/result.hpp"
#include "frame_tracking/store/trace_query.hpp"
#include "frame_tracking/trace_context.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The store speaks the OTLP message classes generated from proto/ (target frame_tracking_proto):
// ingest takes the decoded request, lookups return OTLP TracesData (what /api/v3 also serves).
namespace opentelemetry::proto::collector::trace::v1 {
class ExportTraceServiceRequest;
}
namespace opentelemetry::proto::trace::v1 {
class TracesData;
}

namespace frame_tracking::store {

/// Wall clock as Unix ns; injectable so retention can be tested without waiting.
using Clock = std::function<std::int64_t()>;

/// The system clock as a Clock.
std::int64_t system_clock_unix_ns() noexcept;

/// Configuration of a SpanStore. Value type.
struct SpanStoreOptions {
  /// The SQLite database file (created with its parent directories if missing).
  std::filesystem::path path;
  /// Whole traces whose newest span ended longer ago than this are deleted. 0 = keep forever.
  /// The CLI refuses values below 24 h unless forced; the store itself accepts any value.
  std::chrono::nanoseconds retention = std::chrono::hours(72);
  /// Oldest traces (by first span start) are evicted while the used database size exceeds this
  /// many bytes. 0 = no limit.
  std::uint64_t max_store_bytes = 0;
  /// Wall clock used for retention (Unix ns).
  Clock clock = system_clock_unix_ns;
  /// How often the writer thread runs retention and size checks when idle.
  std::chrono::milliseconds maintenance_interval = std::chrono::seconds(10);
  /// Traces deleted per maintenance transaction, so deletion never stalls ingest for long.
  std::size_t delete_chunk_traces = 512;
  /// Ingest requests are grouped into one transaction up to about this many spans.
  std::size_t max_batch_spans = 20000;
  /// Spans returned per trace; a longer trace is cut and flagged `truncated`.
  std::size_t max_spans_per_trace = 100000;
  /// Read connections (concurrent queries beyond this wait for a free connection).
  std::size_t reader_connections = 4;
};

/// The outcome of one ingest call (OTLP partial-success semantics).
struct IngestResult {
  /// Spans stored by this call.
  std::uint64_t accepted_spans = 0;
  /// Spans refused because they break a rule (e.g. trace id not 16 bytes); not stored, counted.
  std::uint64_t rejected_spans = 0;
  /// Spans whose (trace id, span id) was stored already (an exporter's retry, or the same span
  /// twice in one request): not stored again, not an error, counted.
  std::uint64_t duplicate_spans = 0;
  /// Why the first rejected span was refused; empty when none was.
  std::string error_message;
};

/// One stored trace as OTLP data, spans in ingest order grouped by resource and scope.
/// `data` is shared (a type-erased deleter keeps this header free of the generated classes).
struct StoredTrace {
  TraceId trace_id;
  std::shared_ptr<opentelemetry::proto::trace::v1::TracesData> data;
  std::size_t span_count = 0;
  /// True when the trace has more than SpanStoreOptions::max_spans_per_trace spans and was cut.
  bool truncated = false;
};

/// An operation (span name) recorded for a service, with its OTLP span kind (0..5).
struct Operation {
  std::string name;
  int kind = 0;
};

/// Counters and sizes of a store, for /health and /metrics.
struct StoreStats {
  std::filesystem::path path;
  /// Database file + WAL size on disk, bytes.
  std::uint64_t file_bytes = 0;
  /// Pages in use × page size, bytes (what --max-store-size limits).
  std::uint64_t used_bytes = 0;
  std::uint64_t span_count = 0;
  std::uint64_t trace_count = 0;
  /// First span start of the oldest stored trace, Unix ns; unset when empty.
  std::optional<std::int64_t> oldest_trace_start_ns;
  std::uint64_t ingested_spans = 0;     ///< accepted since open
  std::uint64_t rejected_spans = 0;     ///< refused since open
  std::uint64_t duplicate_spans = 0;    ///< not stored again since open: (trace id, span id) was stored
  std::uint64_t failed_spans = 0;       ///< lost to a failed transaction (caller got an error)
  std::uint64_t expired_traces = 0;     ///< deleted by retention since open
  std::uint64_t evicted_traces = 0;     ///< deleted by the size limit since open
  std::uint64_t batches = 0;            ///< committed write transactions since open
  std::uint64_t writer_cpu_ns = 0;      ///< CPU time the writer thread spent committing batches
};

/// What one maintenance pass deleted.
struct MaintenanceResult {
  std::uint64_t expired_traces = 0;
  std::uint64_t evicted_traces = 0;
  /// True when more old traces remain (the next pass continues).
  bool more = false;
};

/// Stores OTLP spans in SQLite (WAL mode, versioned schema) and answers lookups.
/// One writer thread owns the write connection and commits ingest requests in batched
/// transactions; each query uses one of a pool of read connections, so readers never block the
/// writer. Thread safety: every method may be called from any thread concurrently.
/// Errors: methods return an Error (never throw) on SQLite failures or a closed store.
class SpanStore {
 public:
  /// Opens (creating or migrating) the database. Errors name the file and SQLite's message, or
  /// the schema version when the file was written by a newer version.
  static Result<std::unique_ptr<SpanStore>> open(SpanStoreOptions options);

  ~SpanStore();
  SpanStore(const SpanStore&) = delete;
  SpanStore& operator=(const SpanStore&) = delete;

  /// Validates and stores every span of `request`; returns only after the transaction holding
  /// them committed (so a reply sent afterwards is durable across a process crash). Spans
  /// breaking a rule (id lengths, all-zero ids) are rejected and counted, the others stored.
  /// Idempotent per span: a span whose (trace id, span id) is stored already is counted in
  /// duplicate_spans and not stored again (the first copy stays). Error when the transaction failed (nothing of the request stored) or the store is closed.
  Result<IngestResult> ingest(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request);

  /// The trace with this id, or an empty optional when no span of it is stored.
  Result<std::optional<StoredTrace>> find_trace(const TraceId& trace_id);

  /// Traces matching `query`, newest first, at most query.limit; each trace complete.
  Result<std::vector<StoredTrace>> search(const TraceQuery& query);

  /// Service names, sorted.
  Result<std::vector<std::string>> services();

  /// Operations of `service`, sorted by name then kind; `kind` filters when set (0..5).
  Result<std::vector<Operation>> operations(const std::string& service, std::optional<int> kind = std::nullopt);

  /// Current sizes and counters.
  StoreStats stats();

  /// Runs one retention/size pass now on the writer thread and waits for it (tests, admin).
  Result<MaintenanceResult> run_maintenance();

  /// Stops the writer after committing what is queued; later calls return errors. Idempotent.
  void close();

 private:
  struct Impl;
  explicit SpanStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace frame_tracking::store
