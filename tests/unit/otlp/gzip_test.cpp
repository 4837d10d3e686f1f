// SPDX-License-Identifier: Apache-2.0
// GzipCompressor: output is a gzip member that zlib inflates back to the input, reusable across calls.
#include "gzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

namespace frame_tracking::otlp::detail {
namespace {

std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(GzipTest, RoundTripsAndReusesTheStream) {
  GzipCompressor gzip(6);
  std::string out;
  const std::string first(10000, 'a');
  ASSERT_TRUE(gzip.compress(first, out));
  EXPECT_EQ(out.substr(0, 2), "\x1f\x8b");  // gzip magic (RFC 1952 §2.3.1)
  EXPECT_LT(out.size(), 100U);
  EXPECT_EQ(gunzip(out), first);
  ASSERT_TRUE(gzip.compress("second body", out));
  EXPECT_EQ(gunzip(out), "second body");
  ASSERT_TRUE(gzip.compress("", out));
  EXPECT_EQ(gunzip(out), "");
}

}  // namespace
}  // namespace frame_tracking::otlp::detail
