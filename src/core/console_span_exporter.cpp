// SPDX-License-Identifier: Apache-2.0
// ConsoleSpanExporter: OTLP/JSON lines on a stdio stream.
#include "frame_tracking/console_span_exporter.hpp"

#include "frame_tracking/otlp_json.hpp"

namespace frame_tracking {

ConsoleSpanExporter::ConsoleSpanExporter(std::FILE* stream, bool owns_stream) noexcept
    : stream_(stream), owns_stream_(owns_stream) {}

ConsoleSpanExporter::~ConsoleSpanExporter() { shutdown(std::chrono::microseconds(0)); }

ExportResult ConsoleSpanExporter::export_batch(std::span<const SpanData* const> spans) noexcept {
  std::lock_guard lock(mutex_);
  if (shut_down_ || stream_ == nullptr) return ExportResult::kFailure;
  try {
    line_.clear();
    append_otlp_json(spans, line_);
    line_.push_back('\n');
  } catch (...) {
    return ExportResult::kFailure;
  }
  if (std::fwrite(line_.data(), 1, line_.size(), stream_) != line_.size()) return ExportResult::kFailure;
  return std::fflush(stream_) == 0 ? ExportResult::kSuccess : ExportResult::kFailure;
}

bool ConsoleSpanExporter::force_flush(std::chrono::microseconds) noexcept {
  std::lock_guard lock(mutex_);
  return shut_down_ || stream_ == nullptr || std::fflush(stream_) == 0;
}

bool ConsoleSpanExporter::shutdown(std::chrono::microseconds) noexcept {
  std::lock_guard lock(mutex_);
  if (shut_down_) return true;
  shut_down_ = true;
  if (stream_ == nullptr) return true;
  bool ok = owns_stream_ ? std::fclose(stream_) == 0 : std::fflush(stream_) == 0;
  stream_ = nullptr;
  return ok;
}

}  // namespace frame_tracking
