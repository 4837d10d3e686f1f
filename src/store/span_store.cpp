// SPDX-License-Identifier: Apache-2.0
// SpanStore: one writer thread committing batched ingest transactions, a pool of read connections.
#include "frame_tracking/store/span_store.hpp"

#include "otlp_text.hpp"
#include "schema.hpp"
#include "span_rules.hpp"
#include "sqlite.hpp"
#include "tag_match.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include <time.h>
#include <unordered_map>
#include <unordered_set>

namespace frame_tracking::store {

namespace otlp_trace = opentelemetry::proto::trace::v1;
namespace otlp_common = opentelemetry::proto::common::v1;
namespace otlp_resource = opentelemetry::proto::resource::v1;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

std::int64_t system_clock_unix_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

using detail::service_name_of;
using detail::span_rule_error;

Error store_error(std::string message) { return Error{ErrorCode::kInvalidInput, std::move(message)}; }

std::int64_t clamp_time(std::uint64_t ns) {
  return ns > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(ns);
}

/// The span's `frame.id` in canonical form when it must be indexed: a frame that started its own
/// trace has frame.id == trace id (DESIGN.md decision 1) and is found through the trace index, so
/// only frames that joined another trace get the column (keeps the common ingest path cheaper).
std::optional<std::string> frame_id_column(const otlp_trace::Span& span) {
  for (const auto& kv : span.attributes()) {
    if (kv.key() != "frame.id") continue;
    std::string text = detail::any_value_as_string(kv.value());
    if (auto id = detail::parse_trace_id_text(text)) {
      if (std::equal(id->bytes().begin(), id->bytes().end(), span.trace_id().begin(), span.trace_id().end(),
                     [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); }))
        return std::nullopt;
      return detail::canonical_frame_id(*id);
    }
    return text;
  }
  return std::nullopt;
}

/// CPU time consumed by the calling thread, ns.
std::uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

TraceId trace_id_from_blob(std::string_view blob) {
  std::array<std::uint8_t, TraceId::kSize> bytes{};
  std::copy_n(blob.begin(), std::min(blob.size(), bytes.size()), bytes.begin());
  return TraceId(bytes);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct SpanStore::Impl {
  struct PendingIngest {
    const ExportTraceServiceRequest* request = nullptr;
    std::size_t spans = 0;
    std::promise<Result<IngestResult>> done;
  };

  /// A read connection with its fixed statements.
  struct Reader {
    detail::Connection db;
    detail::Statement trace_spans;
    detail::Statement resource_body;
    detail::Statement scope_body;
  };

  SpanStoreOptions options;

  // Writer state (writer thread only, after open).
  detail::Connection writer;
  detail::Statement insert_span, insert_trace, update_trace, intern_service_insert, intern_service_select, intern_operation_insert,
      intern_operation_select, intern_resource_insert, intern_resource_select, intern_scope_insert,
      intern_scope_select, delete_trace_spans, delete_trace_row, expired_traces, oldest_traces;
  std::unordered_map<std::string, std::int64_t> service_ids, resource_ids, scope_ids, operation_ids;
  bool maintenance_more = false;

  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::deque<PendingIngest*> queue;
  std::deque<std::promise<Result<MaintenanceResult>>*> maintenance_requests;
  bool stopping = false;
  std::thread writer_thread;
  std::atomic<bool> closed{false};

  // Readers.
  std::mutex readers_mutex;
  std::condition_variable readers_cv;
  std::vector<std::unique_ptr<Reader>> idle_readers;

  // Resource and scope cache shared by readers (rows are immutable once written).
  std::shared_mutex cache_mutex;
  std::unordered_map<std::int64_t, std::shared_ptr<const otlp_resource::Resource>> resources;
  std::unordered_map<std::int64_t, std::shared_ptr<const otlp_common::InstrumentationScope>> scopes;

  // Counters.
  std::atomic<std::uint64_t> span_count{0}, trace_count{0}, ingested{0}, rejected{0}, duplicates{0}, failed{0},
      expired{0}, evicted{0}, batches{0}, writer_cpu_ns{0};

  // ---- opening ----

  std::optional<Error> open_all() {
    std::error_code ec;
    if (options.path.has_parent_path()) std::filesystem::create_directories(options.path.parent_path(), ec);
    std::string error;
    if (!writer.open(options.path.string(), error)) return store_error("store: cannot open " + error);
    if (!writer.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;"
                     "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 10000;",
                     error) ||
        !detail::migrate(writer, error))
      return store_error("store: " + options.path.string() + ": " + error);
    if (writer.query_int("PRAGMA journal_mode = WAL") < 0)
      return store_error("store: " + options.path.string() + ": cannot enable WAL mode");
    auto prepare = [&](detail::Statement& s, const char* sql) {
      if (!s.prepare(writer.get(), sql) && error.empty()) error = std::string(sql) + ": " + writer.last_error();
    };
    prepare(insert_span,
            "INSERT INTO spans (trace_id, service_id, operation_id, start_ns, duration_ns, frame_id, resource_id, "
            "scope_id, body, span_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
            "ON CONFLICT (trace_id, span_id) DO NOTHING");
    prepare(insert_trace,
            "INSERT OR IGNORE INTO traces (trace_id, start_ns, end_ns, span_count) VALUES (?1, ?2, ?3, ?4)");
    prepare(update_trace,
            "UPDATE traces SET start_ns = min(start_ns, ?2), end_ns = max(end_ns, ?3), span_count = span_count + ?4 "
            "WHERE trace_id = ?1");
    prepare(intern_service_insert, "INSERT OR IGNORE INTO services (name) VALUES (?1)");
    prepare(intern_service_select, "SELECT id FROM services WHERE name = ?1");
    prepare(intern_operation_insert, "INSERT OR IGNORE INTO operations (service_id, name, kind) VALUES (?1, ?2, ?3)");
    prepare(intern_operation_select, "SELECT id FROM operations WHERE service_id = ?1 AND name = ?2 AND kind = ?3");
    prepare(intern_resource_insert, "INSERT OR IGNORE INTO resources (body) VALUES (?1)");
    prepare(intern_resource_select, "SELECT id FROM resources WHERE body = ?1");
    prepare(intern_scope_insert, "INSERT OR IGNORE INTO scopes (body) VALUES (?1)");
    prepare(intern_scope_select, "SELECT id FROM scopes WHERE body = ?1");
    prepare(delete_trace_spans, "DELETE FROM spans WHERE trace_id = ?1");
    prepare(delete_trace_row, "DELETE FROM traces WHERE trace_id = ?1");
    prepare(expired_traces, "SELECT trace_id FROM traces WHERE end_ns < ?1 ORDER BY end_ns LIMIT ?2");
    prepare(oldest_traces, "SELECT trace_id FROM traces ORDER BY start_ns LIMIT ?1");
    if (!error.empty()) return store_error("store: " + error);
    span_count = static_cast<std::uint64_t>(std::max<std::int64_t>(0, writer.query_int("SELECT count(*) FROM spans")));
    trace_count =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, writer.query_int("SELECT count(*) FROM traces")));

    for (std::size_t i = 0; i < std::max<std::size_t>(1, options.reader_connections); ++i) {
      auto reader = std::make_unique<Reader>();
      if (!reader->db.open(options.path.string(), error) || !reader->db.exec("PRAGMA query_only = 1", error))
        return store_error("store: reader: " + error);
      if (!reader->trace_spans.prepare(reader->db.get(),
                                       "SELECT resource_id, scope_id, body FROM spans WHERE trace_id = ?1 "
                                       "ORDER BY id LIMIT ?2") ||
          !reader->resource_body.prepare(reader->db.get(), "SELECT body FROM resources WHERE id = ?1") ||
          !reader->scope_body.prepare(reader->db.get(), "SELECT body FROM scopes WHERE id = ?1"))
        return store_error("store: reader: " + reader->db.last_error());
      idle_readers.push_back(std::move(reader));
    }
    writer_thread = std::thread([this] { writer_loop(); });
    return std::nullopt;
  }

  // ---- writer ----

  void writer_loop() {
    auto next_maintenance = std::chrono::steady_clock::now() + options.maintenance_interval;
    for (;;) {
      std::vector<PendingIngest*> batch;
      std::vector<std::promise<Result<MaintenanceResult>>*> maintenance;
      {
        std::unique_lock lock(queue_mutex);
        auto wake = maintenance_more ? std::chrono::steady_clock::now() : next_maintenance;
        queue_cv.wait_until(lock, wake, [&] { return stopping || !queue.empty() || !maintenance_requests.empty(); });
        std::size_t spans = 0;
        while (!queue.empty() && (batch.empty() || spans + queue.front()->spans <= options.max_batch_spans)) {
          spans += queue.front()->spans;
          batch.push_back(queue.front());
          queue.pop_front();
        }
        maintenance.assign(maintenance_requests.begin(), maintenance_requests.end());
        maintenance_requests.clear();
        if (stopping && batch.empty() && queue.empty() && maintenance.empty()) break;
      }
      if (!batch.empty()) {
        auto cpu_start = thread_cpu_ns();
        commit_batch(batch);
        writer_cpu_ns += thread_cpu_ns() - cpu_start;
      }
      auto now = std::chrono::steady_clock::now();
      if (!maintenance.empty() || now >= next_maintenance || maintenance_more) {
        auto result = maintain();
        for (auto* request : maintenance) request->set_value(result);
        if (!maintenance_more) next_maintenance = now + options.maintenance_interval;
      }
    }
  }

  void reset_caches() {
    service_ids.clear();
    resource_ids.clear();
    scope_ids.clear();
    operation_ids.clear();
  }

  /// Interns `key` (a name or serialized message) through the insert/select pair; -1 on error.
  std::int64_t intern(std::unordered_map<std::string, std::int64_t>& cache, detail::Statement& insert,
                      detail::Statement& select, const std::string& key, bool blob) {
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    auto bind = [&](detail::Statement& s) {
      if (blob) s.reset().bind_blob(1, key.data(), key.size());
      else s.reset().bind(1, std::string_view(key));
    };
    bind(insert);
    if (insert.step() != SQLITE_DONE) return -1;
    bind(select);
    if (select.step() != SQLITE_ROW) return -1;
    std::int64_t id = select.column_int(0);
    select.reset();  // an unfinished statement would pin an old read snapshot
    cache.emplace(key, id);
    return id;
  }

  std::int64_t intern_operation(std::int64_t service_id, const std::string& name, int kind) {
    std::string key = std::to_string(service_id) + '\x1f' + std::to_string(kind) + '\x1f' + name;
    if (auto it = operation_ids.find(key); it != operation_ids.end()) return it->second;
    intern_operation_insert.reset().bind(1, service_id).bind(2, std::string_view(name)).bind(3, kind);
    if (intern_operation_insert.step() != SQLITE_DONE) return -1;
    intern_operation_select.reset().bind(1, service_id).bind(2, std::string_view(name)).bind(3, kind);
    if (intern_operation_select.step() != SQLITE_ROW) return -1;
    std::int64_t id = intern_operation_select.column_int(0);
    intern_operation_select.reset();
    operation_ids.emplace(std::move(key), id);
    return id;
  }

  struct TraceAggregate {
    std::int64_t start_ns = std::numeric_limits<std::int64_t>::max();
    std::int64_t end_ns = std::numeric_limits<std::int64_t>::min();
    std::int64_t spans = 0;
  };

  /// Writes every request of `batch` in one transaction and answers each caller after COMMIT.
  void commit_batch(const std::vector<PendingIngest*>& batch) {
    std::string error;
    std::vector<IngestResult> results(batch.size());
    std::map<std::string, TraceAggregate> traces;
    std::uint64_t stored = 0;
    bool ok = writer.exec("BEGIN IMMEDIATE", error);
    std::string body;
    for (std::size_t i = 0; ok && i < batch.size(); ++i) {
      IngestResult& result = results[i];
      for (const auto& rs : batch[i]->request->resource_spans()) {
        std::string resource_blob = rs.resource().SerializeAsString();
        std::int64_t resource_id = intern(resource_ids, intern_resource_insert, intern_resource_select,
                                          resource_blob, true);
        std::int64_t service_id = intern(service_ids, intern_service_insert, intern_service_select,
                                         service_name_of(rs.resource()), false);
        if (resource_id < 0 || service_id < 0) {
          ok = false;
          break;
        }
        for (const auto& ss : rs.scope_spans()) {
          std::int64_t scope_id =
              intern(scope_ids, intern_scope_insert, intern_scope_select, ss.scope().SerializeAsString(), true);
          if (scope_id < 0) {
            ok = false;
            break;
          }
          for (const auto& span : ss.spans()) {
            if (const char* rule = span_rule_error(span)) {
              if (result.rejected_spans++ == 0) result.error_message = rule;
              continue;
            }
            std::int64_t operation_id = intern_operation(service_id, span.name(), span.kind());
            if (operation_id < 0) {
              ok = false;
              break;
            }
            std::int64_t start = clamp_time(span.start_time_unix_nano());
            std::int64_t end = std::max(start, clamp_time(span.end_time_unix_nano()));
            body.clear();
            span.SerializeToString(&body);
            insert_span.reset()
                .bind_blob_static(1, span.trace_id().data(), span.trace_id().size())
                .bind(2, service_id)
                .bind(3, operation_id)
                .bind(4, start)
                .bind(5, end - start)
                .bind(7, resource_id)
                .bind(8, scope_id)
                .bind_blob_static(9, body.data(), body.size())
                .bind_blob_static(10, span.span_id().data(), span.span_id().size());
            if (auto frame_id = frame_id_column(span)) insert_span.bind(6, std::string_view(*frame_id));
            if (insert_span.step() != SQLITE_DONE) {
              ok = false;
              break;
            }
            if (sqlite3_changes(writer.get()) == 0) {  // (trace id, span id) is stored already
              ++result.duplicate_spans;
              continue;
            }
            auto& aggregate = traces[span.trace_id()];
            aggregate.start_ns = std::min(aggregate.start_ns, start);
            aggregate.end_ns = std::max(aggregate.end_ns, end);
            ++aggregate.spans;
            ++result.accepted_spans;
          }
          if (!ok) break;
        }
        if (!ok) break;
      }
      stored += result.accepted_spans;
    }
    std::uint64_t new_traces = 0;
    for (auto it = traces.begin(); ok && it != traces.end(); ++it) {
      // INSERT OR IGNORE then UPDATE (rather than an upsert) tells new traces from known ones.
      for (auto* s : {&insert_trace, &update_trace}) {
        s->reset()
            .bind_blob(1, it->first.data(), it->first.size())
            .bind(2, it->second.start_ns)
            .bind(3, it->second.end_ns)
            .bind(4, it->second.spans);
        if (s->step() != SQLITE_DONE) {
          ok = false;
          break;
        }
        if (s == &insert_trace && sqlite3_changes(writer.get()) == 1) {
          ++new_traces;
          break;
        }
      }
    }
    if (ok && !writer.exec("COMMIT", error)) ok = false;
    if (!ok) {
      if (error.empty()) error = writer.last_error();
      std::string ignored;
      writer.exec("ROLLBACK", ignored);
      reset_caches();
      std::uint64_t lost = 0;
      for (auto* pending : batch) {
        lost += pending->spans;
        pending->done.set_value(store_error("store: write transaction failed: " + error));
      }
      failed += lost;
      return;
    }
    ++batches;
    span_count += stored;
    trace_count += new_traces;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      ingested += results[i].accepted_spans;
      rejected += results[i].rejected_spans;
      duplicates += results[i].duplicate_spans;
      batch[i]->done.set_value(std::move(results[i]));
    }
  }

  /// Deletes the traces selected by `select` (bound by the caller); returns how many, or -1.
  std::int64_t delete_selected(detail::Statement& select) {
    std::vector<std::string> ids;
    while (select.step() == SQLITE_ROW) ids.emplace_back(select.column_blob(0));
    std::int64_t spans_deleted = 0;
    for (const auto& id : ids) {
      delete_trace_spans.reset().bind_blob(1, id.data(), id.size());
      if (delete_trace_spans.step() != SQLITE_DONE) return -1;
      spans_deleted += sqlite3_changes(writer.get());
      delete_trace_row.reset().bind_blob(1, id.data(), id.size());
      if (delete_trace_row.step() != SQLITE_DONE) return -1;
    }
    span_count -= std::min<std::uint64_t>(span_count, static_cast<std::uint64_t>(spans_deleted));
    trace_count -= std::min<std::uint64_t>(trace_count, ids.size());
    return static_cast<std::int64_t>(ids.size());
  }

  std::uint64_t used_bytes(detail::Connection& db) {
    std::int64_t pages = db.query_int("PRAGMA page_count", 0) - db.query_int("PRAGMA freelist_count", 0);
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, pages) * db.query_int("PRAGMA page_size", 4096));
  }

  /// One retention + size pass: at most delete_chunk_traces traces each, one transaction each.
  Result<MaintenanceResult> maintain() {
    MaintenanceResult result;
    std::string error;
    auto chunk = static_cast<std::int64_t>(std::max<std::size_t>(1, options.delete_chunk_traces));
    if (options.retention.count() > 0) {
      std::int64_t cutoff = options.clock() - static_cast<std::int64_t>(options.retention.count());
      if (!writer.exec("BEGIN IMMEDIATE", error)) return store_error("store: retention: " + error);
      expired_traces.reset().bind(1, cutoff).bind(2, chunk);
      std::int64_t n = delete_selected(expired_traces);
      if (n < 0 || !writer.exec("COMMIT", error)) {
        std::string ignored;
        writer.exec("ROLLBACK", ignored);
        return store_error("store: retention: " + (error.empty() ? writer.last_error() : error));
      }
      result.expired_traces = static_cast<std::uint64_t>(n);
      expired += result.expired_traces;
      if (n == chunk) result.more = true;
    }
    if (options.max_store_bytes > 0 && used_bytes(writer) > options.max_store_bytes) {
      if (!writer.exec("BEGIN IMMEDIATE", error)) return store_error("store: size limit: " + error);
      oldest_traces.reset().bind(1, chunk);
      std::int64_t n = delete_selected(oldest_traces);
      if (n < 0 || !writer.exec("COMMIT", error)) {
        std::string ignored;
        writer.exec("ROLLBACK", ignored);
        return store_error("store: size limit: " + (error.empty() ? writer.last_error() : error));
      }
      writer.exec("PRAGMA incremental_vacuum", error);
      result.evicted_traces = static_cast<std::uint64_t>(n);
      evicted += result.evicted_traces;
      if (n > 0 && used_bytes(writer) > options.max_store_bytes) result.more = true;
    }
    maintenance_more = result.more;
    return result;
  }

  // ---- readers ----

  struct ReaderLease {
    Impl* impl;
    std::unique_ptr<Reader> reader;
    ~ReaderLease() {
      // A statement left mid-result keeps its read transaction (an old snapshot) open.
      reader->trace_spans.reset();
      reader->resource_body.reset();
      reader->scope_body.reset();
      std::lock_guard lock(impl->readers_mutex);
      impl->idle_readers.push_back(std::move(reader));
      impl->readers_cv.notify_one();
    }
    Reader* operator->() const { return reader.get(); }
  };

  ReaderLease lease() {
    std::unique_lock lock(readers_mutex);
    readers_cv.wait(lock, [&] { return !idle_readers.empty(); });
    auto reader = std::move(idle_readers.back());
    idle_readers.pop_back();
    return ReaderLease{this, std::move(reader)};
  }

  std::shared_ptr<const otlp_resource::Resource> resource(Reader& reader, std::int64_t id) {
    {
      std::shared_lock lock(cache_mutex);
      if (auto it = resources.find(id); it != resources.end()) return it->second;
    }
    auto message = std::make_shared<otlp_resource::Resource>();
    reader.resource_body.reset().bind(1, id);
    if (reader.resource_body.step() == SQLITE_ROW) {
      auto body = reader.resource_body.column_blob(0);
      message->ParseFromArray(body.data(), static_cast<int>(body.size()));
    }
    std::unique_lock lock(cache_mutex);
    return resources.emplace(id, std::move(message)).first->second;
  }

  std::shared_ptr<const otlp_common::InstrumentationScope> scope(Reader& reader, std::int64_t id) {
    {
      std::shared_lock lock(cache_mutex);
      if (auto it = scopes.find(id); it != scopes.end()) return it->second;
    }
    auto message = std::make_shared<otlp_common::InstrumentationScope>();
    reader.scope_body.reset().bind(1, id);
    if (reader.scope_body.step() == SQLITE_ROW) {
      auto body = reader.scope_body.column_blob(0);
      message->ParseFromArray(body.data(), static_cast<int>(body.size()));
    }
    std::unique_lock lock(cache_mutex);
    return scopes.emplace(id, std::move(message)).first->second;
  }

  /// Loads one trace on `reader`; empty optional when no span is stored.
  std::optional<StoredTrace> load_trace(Reader& reader, const std::string& trace_id_bytes) {
    StoredTrace trace;
    trace.trace_id = trace_id_from_blob(trace_id_bytes);
    trace.data = std::make_unique<otlp_trace::TracesData>();
    auto limit = static_cast<std::int64_t>(options.max_spans_per_trace);
    auto& s = reader.trace_spans;
    s.reset().bind_blob(1, trace_id_bytes.data(), trace_id_bytes.size()).bind(2, limit + 1);
    // Spans keep ingest order; consecutive spans of one resource and scope share a ScopeSpans.
    std::map<std::int64_t, otlp_trace::ResourceSpans*> by_resource;
    std::map<std::pair<std::int64_t, std::int64_t>, otlp_trace::ScopeSpans*> by_scope;
    while (s.step() == SQLITE_ROW) {
      if (trace.span_count == options.max_spans_per_trace) {
        trace.truncated = true;
        break;
      }
      std::int64_t resource_id = s.column_int(0);
      std::int64_t scope_id = s.column_int(1);
      auto& rs = by_resource[resource_id];
      if (rs == nullptr) {
        rs = trace.data->add_resource_spans();
        *rs->mutable_resource() = *resource(reader, resource_id);
      }
      auto& ss = by_scope[{resource_id, scope_id}];
      if (ss == nullptr) {
        ss = rs->add_scope_spans();
        *ss->mutable_scope() = *scope(reader, scope_id);
      }
      auto body = s.column_blob(2);
      ss->add_spans()->ParseFromArray(body.data(), static_cast<int>(body.size()));
      ++trace.span_count;
    }
    if (trace.span_count == 0) return std::nullopt;
    return trace;
  }
};

// ---------------------------------------------------------------------------------------------

SpanStore::SpanStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SpanStore::~SpanStore() { close(); }

Result<std::unique_ptr<SpanStore>> SpanStore::open(SpanStoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  if (auto error = impl->open_all()) return *error;
  return std::unique_ptr<SpanStore>(new SpanStore(std::move(impl)));
}

void SpanStore::close() {
  {
    std::lock_guard lock(impl_->queue_mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer_thread.joinable()) impl_->writer_thread.join();
  impl_->closed = true;
}

Result<IngestResult> SpanStore::ingest(const ExportTraceServiceRequest& request) {
  Impl::PendingIngest pending;
  pending.request = &request;
  for (const auto& rs : request.resource_spans())
    for (const auto& ss : rs.scope_spans()) pending.spans += static_cast<std::size_t>(ss.spans_size());
  if (pending.spans == 0) return IngestResult{};
  auto future = pending.done.get_future();
  {
    std::lock_guard lock(impl_->queue_mutex);
    if (impl_->stopping) return store_error("store: closed");
    impl_->queue.push_back(&pending);
  }
  impl_->queue_cv.notify_one();
  return future.get();
}

Result<MaintenanceResult> SpanStore::run_maintenance() {
  std::promise<Result<MaintenanceResult>> done;
  auto future = done.get_future();
  {
    std::lock_guard lock(impl_->queue_mutex);
    if (impl_->stopping) return store_error("store: closed");
    impl_->maintenance_requests.push_back(&done);
  }
  impl_->queue_cv.notify_one();
  return future.get();
}

Result<std::optional<StoredTrace>> SpanStore::find_trace(const TraceId& trace_id) {
  if (impl_->closed) return store_error("store: closed");
  auto reader = impl_->lease();
  std::string id(reinterpret_cast<const char*>(trace_id.bytes().data()), TraceId::kSize);
  return impl_->load_trace(*reader.reader, id);
}

Result<std::vector<StoredTrace>> SpanStore::search(const TraceQuery& query) {
  if (impl_->closed) return store_error("store: closed");
  if (query.limit == 0) return Error{ErrorCode::kInvalidInput, "limit: must be at least 1"};
  auto reader = impl_->lease();
  sqlite3* db = reader->db.get();

  // Resolve service and operation names to ids; an unknown name matches nothing.
  std::optional<std::int64_t> service_id;
  if (!query.service.empty()) {
    detail::Statement s(db, "SELECT id FROM services WHERE name = ?1");
    s.bind(1, std::string_view(query.service));
    if (s.step() != SQLITE_ROW) return std::vector<StoredTrace>{};
    service_id = s.column_int(0);
  }
  std::vector<std::int64_t> operation_ids;
  if (!query.operation.empty()) {
    detail::Statement s(db, service_id ? "SELECT id FROM operations WHERE name = ?1 AND service_id = ?2"
                                       : "SELECT id FROM operations WHERE name = ?1");
    s.bind(1, std::string_view(query.operation));
    if (service_id) s.bind(2, *service_id);
    while (s.step() == SQLITE_ROW) operation_ids.push_back(s.column_int(0));
    if (operation_ids.empty()) return std::vector<StoredTrace>{};
  }
  std::optional<std::string> frame_id;
  std::optional<TraceId> frame_trace;
  for (const auto& [key, value] : query.tags) {
    if (key != "frame.id") continue;
    frame_id = detail::normalize_frame_id(value);
    frame_trace = detail::parse_trace_id_text(value);
  }

  std::string sql = "SELECT trace_id, resource_id, scope_id, body FROM spans WHERE 1";
  // A frame's spans are in its own trace (trace id = FrameId) or carry the frame_id column.
  if (frame_id) sql += frame_trace ? " AND (frame_id = ? OR trace_id = ?)" : " AND frame_id = ?";
  if (service_id) sql += " AND service_id = ?";
  if (!operation_ids.empty()) {
    sql += " AND operation_id IN (";
    for (std::size_t i = 0; i < operation_ids.size(); ++i) sql += (i ? "," : "") + std::to_string(operation_ids[i]);
    sql += ")";
  }
  if (query.start_min_ns) sql += " AND start_ns >= ?";
  if (query.start_max_ns) sql += " AND start_ns <= ?";
  if (query.duration_min_ns) sql += " AND duration_ns >= ?";
  if (query.duration_max_ns) sql += " AND duration_ns <= ?";
  sql += " ORDER BY start_ns DESC";
  detail::Statement s(db, sql);
  if (!s.valid()) return store_error("store: search: " + reader->db.last_error());
  int index = 1;
  if (frame_id) s.bind(index++, std::string_view(*frame_id));
  if (frame_id && frame_trace) s.bind_blob(index++, frame_trace->bytes().data(), TraceId::kSize);
  if (service_id) s.bind(index++, *service_id);
  if (query.start_min_ns) s.bind(index++, *query.start_min_ns);
  if (query.start_max_ns) s.bind(index++, *query.start_max_ns);
  if (query.duration_min_ns) s.bind(index++, *query.duration_min_ns);
  if (query.duration_max_ns) s.bind(index++, *query.duration_max_ns);

  std::vector<std::string> trace_ids;
  std::unordered_set<std::string> seen;
  otlp_trace::Span span;
  while (trace_ids.size() < query.limit && s.step() == SQLITE_ROW) {
    std::string id(s.column_blob(0));
    if (seen.count(id) != 0) continue;
    if (!query.tags.empty()) {
      auto body = s.column_blob(3);
      if (!span.ParseFromArray(body.data(), static_cast<int>(body.size()))) continue;
      auto resource = impl_->resource(*reader.reader, s.column_int(1));
      auto scope = impl_->scope(*reader.reader, s.column_int(2));
      bool all = std::all_of(query.tags.begin(), query.tags.end(), [&](const auto& tag) {
        return detail::span_has_tag(span, *resource, *scope, tag.first, tag.second);
      });
      if (!all) continue;
    }
    seen.insert(id);
    trace_ids.push_back(std::move(id));
  }
  std::vector<StoredTrace> traces;
  for (const auto& id : trace_ids)
    if (auto trace = impl_->load_trace(*reader.reader, id)) traces.push_back(std::move(*trace));
  return traces;
}

Result<std::vector<std::string>> SpanStore::services() {
  if (impl_->closed) return store_error("store: closed");
  auto reader = impl_->lease();
  detail::Statement s(reader->db.get(), "SELECT name FROM services ORDER BY name");
  std::vector<std::string> names;
  while (s.step() == SQLITE_ROW) names.emplace_back(s.column_text(0));
  return names;
}

Result<std::vector<Operation>> SpanStore::operations(const std::string& service, std::optional<int> kind) {
  if (impl_->closed) return store_error("store: closed");
  auto reader = impl_->lease();
  detail::Statement s(reader->db.get(),
                      "SELECT o.name, o.kind FROM operations o JOIN services s ON s.id = o.service_id "
                      "WHERE s.name = ?1 AND (?2 IS NULL OR o.kind = ?2) ORDER BY o.name, o.kind");
  s.bind(1, std::string_view(service));
  if (kind) s.bind(2, *kind);
  std::vector<Operation> operations;
  while (s.step() == SQLITE_ROW) operations.push_back({std::string(s.column_text(0)), static_cast<int>(s.column_int(1))});
  return operations;
}

StoreStats SpanStore::stats() {
  StoreStats stats;
  stats.path = impl_->options.path;
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    auto size = std::filesystem::file_size(impl_->options.path.string() + suffix, ec);
    if (!ec) stats.file_bytes += size;
  }
  stats.span_count = impl_->span_count;
  stats.trace_count = impl_->trace_count;
  stats.ingested_spans = impl_->ingested;
  stats.rejected_spans = impl_->rejected;
  stats.duplicate_spans = impl_->duplicates;
  stats.failed_spans = impl_->failed;
  stats.expired_traces = impl_->expired;
  stats.evicted_traces = impl_->evicted;
  stats.batches = impl_->batches;
  stats.writer_cpu_ns = impl_->writer_cpu_ns;
  if (!impl_->closed) {
    auto reader = impl_->lease();
    stats.used_bytes = impl_->used_bytes(reader->db);
    detail::Statement s(reader->db.get(), "SELECT min(start_ns) FROM traces");
    if (s.step() == SQLITE_ROW && !s.column_is_null(0)) stats.oldest_trace_start_ns = s.column_int(0);
  }
  return stats;
}

}  // namespace frame_tracking::store
