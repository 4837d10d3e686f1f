// SPDX-License-Identifier: Apache-2.0
// StoreHarness: the SpanStore a fuzz target drives as the service does (one per process, in a temporary directory).
#pragma once

#include "fuzz_check.hpp"

#include "frame_tracking/store/span_store.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

namespace frame_tracking::fuzz {

/// A SpanStore in a fresh directory under $TMPDIR (or /tmp), removed at exit. Retention is off
/// and maintenance rare, so every input sees only ingest and queries. Not thread-safe to create;
/// the store itself is.
class StoreHarness {
 public:
  StoreHarness() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ft-fuzz-XXXXXX";
    FT_FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    store::SpanStoreOptions options;
    options.path = dir_ / "spans.db";
    options.retention = std::chrono::nanoseconds{0};
    options.maintenance_interval = std::chrono::hours(24);
    auto opened = store::SpanStore::open(std::move(options));
    FT_FUZZ_CHECK(opened.has_value());
    store_ = std::move(*opened);
  }
  ~StoreHarness() {
    store_->close();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  StoreHarness(const StoreHarness&) = delete;
  StoreHarness& operator=(const StoreHarness&) = delete;

  store::SpanStore& store() noexcept { return *store_; }

  /// The process-wide harness, created on first use.
  static StoreHarness& instance() {
    static StoreHarness harness;
    return harness;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::SpanStore> store_;
};

}  // namespace frame_tracking::fuzz
