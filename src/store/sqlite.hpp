// SPDX-License-Identifier: Apache-2.0
// Minimal RAII wrappers over the SQLite C API: a connection and a prepared statement (private to the store).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace frame_tracking::store::detail {

/// An open SQLite connection; closes on destruction. Thread-compatible (one thread at a time).
class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Opens `path` read-write (creating it); returns false and sets `error` on failure.
  bool open(const std::string& path, std::string& error);
  /// Runs one or more statements without results; false and `error` ("<sql>: <message>") on failure.
  bool exec(std::string_view sql, std::string& error);
  /// Runs a single-value query (e.g. a PRAGMA); returns `fallback` on failure.
  std::int64_t query_int(const char* sql, std::int64_t fallback = -1);
  sqlite3* get() const noexcept { return db_; }
  std::string last_error() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "not open"; }

 private:
  sqlite3* db_ = nullptr;
};

/// A prepared statement, reset before each use. Thread-compatible.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql) { prepare(db, sql); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept {
    std::swap(stmt_, other.stmt_);
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Prepares `sql`; returns false when it does not compile (see Connection::last_error).
  bool prepare(sqlite3* db, std::string_view sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                              nullptr) == SQLITE_OK;
  }
  bool valid() const noexcept { return stmt_ != nullptr; }

  /// Resets the statement and clears its bindings, ready for new parameters.
  Statement& reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_blob(int index, const void* data, std::size_t size) {
    sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_TRANSIENT);
    return *this;
  }
  /// Binds without copying: `data` must stay valid until the next step() or reset().
  Statement& bind_blob_static(int index, const void* data, std::size_t size) {
    sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_STATIC);
    return *this;
  }
  Statement& bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  /// Steps once: SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string_view column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
  }
  std::string_view column_blob(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace frame_tracking::store::detail
