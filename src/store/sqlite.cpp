// SPDX-License-Identifier: Apache-2.0
// Minimal RAII wrappers over the SQLite C API (connection part).
#include "sqlite.hpp"

#include <utility>

namespace frame_tracking::store::detail {

Connection::~Connection() { sqlite3_close_v2(db_); }

Connection& Connection::operator=(Connection&& other) noexcept {
  std::swap(db_, other.db_);
  return *this;
}

bool Connection::open(const std::string& path, std::string& error) {
  sqlite3_close_v2(db_);
  db_ = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    error = path + ": " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
  return true;
}

bool Connection::exec(std::string_view sql, std::string& error) {
  char* message = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error = text.substr(0, 60) + ": " + (message != nullptr ? message : "unknown error");
    sqlite3_free(message);
    return false;
  }
  return true;
}

std::int64_t Connection::query_int(const char* sql, std::int64_t fallback) {
  Statement s(db_, sql);
  if (!s.valid() || s.step() != SQLITE_ROW) return fallback;
  return s.column_int(0);
}

}  // namespace frame_tracking::store::detail
