// SPDX-License-Identifier: Apache-2.0
// The store's SQLite schema and its forward migrations (version in PRAGMA user_version).
#include "schema.hpp"

#include <array>

namespace frame_tracking::store::detail {
namespace {

// migrations[i] takes the schema from version i to i + 1. Never edit a released entry: append.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 0 → 1: spans as serialized OTLP Span messages, with the columns every index needs.
    R"sql(
CREATE TABLE services (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE operations (id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL REFERENCES services(id),
                         name TEXT NOT NULL, kind INTEGER NOT NULL, UNIQUE (service_id, name, kind));
-- serialized OTLP Resource / InstrumentationScope, deduplicated
CREATE TABLE resources (id INTEGER PRIMARY KEY, body BLOB NOT NULL UNIQUE);
CREATE TABLE scopes (id INTEGER PRIMARY KEY, body BLOB NOT NULL UNIQUE);
-- one row per trace: first span start, last span end (retention reads end_ns), span count
CREATE TABLE traces (trace_id BLOB PRIMARY KEY, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
                     span_count INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX traces_by_start ON traces (start_ns);
CREATE INDEX traces_by_end ON traces (end_ns);
-- body = serialized OTLP Span (attributes, events, links, status, trace state)
CREATE TABLE spans (id INTEGER PRIMARY KEY, trace_id BLOB NOT NULL, service_id INTEGER NOT NULL,
                    operation_id INTEGER NOT NULL, start_ns INTEGER NOT NULL, duration_ns INTEGER NOT NULL,
                    frame_id TEXT, resource_id INTEGER NOT NULL, scope_id INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX spans_by_trace ON spans (trace_id);
CREATE INDEX spans_by_service_time ON spans (service_id, start_ns);
CREATE INDEX spans_by_operation_time ON spans (operation_id, start_ns);
CREATE INDEX spans_by_time ON spans (start_ns);
CREATE INDEX spans_by_frame_id ON spans (frame_id) WHERE frame_id IS NOT NULL;
)sql",
    // 1 → 2: a span is stored once per (trace id, span id), so an exporter's retry of a batch that
    // was already committed stores nothing twice. The span id of the existing rows comes from their
    // body: a serialized Span starts with field 1 (trace_id, 16 bytes) then field 2 (span_id, 8
    // bytes), i.e. 0a 10 <16 bytes> 12 08 <8 bytes>. Copies stored twice by older versions are
    // merged (the first one stays) and the trace span counts follow. The unique index replaces
    // spans_by_trace (same leading column).
    R"sql(
ALTER TABLE spans ADD COLUMN span_id BLOB;
UPDATE spans SET span_id = substr(body, 21, 8) WHERE substr(body, 1, 2) = x'0a10' AND substr(body, 19, 2) = x'1208';
DELETE FROM spans WHERE span_id IS NOT NULL AND id NOT IN (SELECT min(id) FROM spans GROUP BY trace_id, span_id);
UPDATE traces SET span_count = (SELECT count(*) FROM spans WHERE spans.trace_id = traces.trace_id);
DROP INDEX spans_by_trace;
CREATE UNIQUE INDEX spans_by_span_id ON spans (trace_id, span_id);
)sql",
};

}  // namespace

bool migrate(Connection& db, std::string& error) {
  std::int64_t version = db.query_int("PRAGMA user_version");
  if (version < 0) {
    error = "cannot read schema version: " + db.last_error();
    return false;
  }
  if (version > kSchemaVersion) {
    error = "schema version " + std::to_string(version) + " is newer than this build understands (" +
            std::to_string(kSchemaVersion) + ")";
    return false;
  }
  // auto_vacuum can only be chosen before the first table exists; it lets --max-store-size shrink the file.
  if (version == 0 && !db.exec("PRAGMA auto_vacuum = INCREMENTAL", error)) return false;
  for (auto v = version; v < kSchemaVersion; ++v) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrations[static_cast<std::size_t>(v)] +
                      "PRAGMA user_version = " + std::to_string(v + 1) + "; COMMIT;";
    if (!db.exec(sql, error)) {
      std::string ignored;
      db.exec("ROLLBACK", ignored);
      error = "migration to schema version " + std::to_string(v + 1) + " failed: " + error;
      return false;
    }
  }
  return true;
}

}  // namespace frame_tracking::store::detail
