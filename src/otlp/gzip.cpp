// SPDX-License-Identifier: Apache-2.0
// zlib-backed gzip compressor for OTLP request bodies.
#include "gzip.hpp"

#include <zlib.h>

namespace frame_tracking::otlp::detail {

struct GzipCompressor::State {
  z_stream stream{};
  bool ready = false;
};

GzipCompressor::GzipCompressor(int level) : state_(std::make_unique<State>()) {
  // windowBits 15 + 16 selects the gzip wrapper instead of zlib's.
  state_->ready = deflateInit2(&state_->stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipCompressor::~GzipCompressor() {
  if (state_->ready) deflateEnd(&state_->stream);
}

bool GzipCompressor::compress(std::string_view in, std::string& out) noexcept {
  if (!state_->ready) return false;
  z_stream& z = state_->stream;
  if (deflateReset(&z) != Z_OK) return false;
  try {
    out.resize(deflateBound(&z, static_cast<uLong>(in.size())));
  } catch (...) {
    return false;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) return false;
  out.resize(z.total_out);
  return true;
}

}  // namespace frame_tracking::otlp::detail
