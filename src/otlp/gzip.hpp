// SPDX-License-Identifier: Apache-2.0
// Gzip compression of request bodies with zlib, reusing one deflate state (private header).
// Spec: RFC 1952 (gzip file format); OTLP/HTTP `Content-Encoding: gzip`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace frame_tracking::otlp::detail {

/// Compresses whole buffers into gzip members. Not thread-safe (one per exporter).
class GzipCompressor {
 public:
  /// `level`: zlib level 1 (fastest) … 9 (smallest).
  explicit GzipCompressor(int level);
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  /// Replaces `out` with the gzip encoding of `in`. Returns false (out unspecified) if zlib fails.
  bool compress(std::string_view in, std::string& out) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace frame_tracking::otlp::detail
