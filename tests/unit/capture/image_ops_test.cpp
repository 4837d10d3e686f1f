// SPDX-License-Identifier: Apache-2.0
// Tests of the image helpers on small synthetic pictures: exact gray conversion, motion score, JPEG output.
#include "frame_tracking/capture/image_ops.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace frame_tracking::capture {
namespace {

// A yuv420p picture of width × height with every Y sample `luma` and neutral chroma.
struct Yuv420 {
  Yuv420(int w, int h, std::uint8_t luma)
      : y(static_cast<std::size_t>(w * h), luma), u(static_cast<std::size_t>((w / 2) * (h / 2)), 128), v(u) {
    view.width = w;
    view.height = h;
    view.pixel_format = "yuv420p";
    view.data = {y.data(), u.data(), v.data(), nullptr};
    view.linesize = {w, w / 2, w / 2, 0};
  }
  std::vector<std::uint8_t> y, u, v;
  PictureView view;
};

TEST(ImageOpsTest, SameSizeGrayCopiesLumaExactlyAndSkipsRowPadding) {
  // 3×2 gray picture stored with 8 bytes per row (5 bytes of padding each).
  const std::vector<std::uint8_t> stored = {1, 2, 3, 99, 99, 99, 99, 99, 4, 5, 6, 99, 99, 99, 99, 99};
  PictureView view;
  view.width = 3;
  view.height = 2;
  view.pixel_format = "gray";
  view.data[0] = stored.data();
  view.linesize[0] = 8;
  Result<GrayImage> gray = to_gray(view, 3, 2);
  ASSERT_TRUE(gray) << gray.error().message;
  EXPECT_EQ(gray->width, 3);
  EXPECT_EQ(gray->height, 2);
  EXPECT_EQ(gray->pixels, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
}

TEST(ImageOpsTest, YuvLumaIsUsedWithoutRangeConversion) {
  Yuv420 picture(8, 4, 81);
  Result<GrayImage> same = to_gray(picture.view, 8, 4);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->pixels, std::vector<std::uint8_t>(32, 81));
  Result<GrayImage> small = to_gray(picture.view, 4, 2);
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->pixels, std::vector<std::uint8_t>(8, 81));
}

TEST(ImageOpsTest, AreaDownscaleAveragesBlocks) {
  // 4×4 gray made of four uniform 2×2 blocks: 10, 50 / 90, 250.
  GrayImage image{4, 4, {10, 10, 50, 50, 10, 10, 50, 50, 90, 90, 250, 250, 90, 90, 250, 250}};
  Result<GrayImage> half = to_gray(image.view(), 2, 2);
  ASSERT_TRUE(half) << half.error().message;
  EXPECT_EQ(half->pixels, (std::vector<std::uint8_t>{10, 50, 90, 250}));
  Result<GrayImage> one = to_gray(image.view(), 1, 1);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->pixels, (std::vector<std::uint8_t>{100}));
}

TEST(ImageOpsTest, RgbIsConvertedToLuma) {
  const std::vector<std::uint8_t> white(4 * 2 * 3, 255), black(4 * 2 * 3, 0);
  for (const auto* rgb : {&white, &black}) {
    PictureView view;
    view.width = 4;
    view.height = 2;
    view.pixel_format = "rgb24";
    view.data[0] = rgb->data();
    view.linesize[0] = 12;
    Result<GrayImage> gray = to_gray(view, 2, 1);
    ASSERT_TRUE(gray) << gray.error().message;
    EXPECT_EQ(gray->pixels, std::vector<std::uint8_t>(2, (*rgb)[0]));
  }
}

TEST(ImageOpsTest, ToGrayRejectsBadInputNamingTheField) {
  Yuv420 picture(8, 4, 81);
  EXPECT_EQ(to_gray(picture.view, 0, 4).error().message, "to_gray: width and height must be in 1..16384, got 0x4");
  PictureView unknown = picture.view;
  unknown.pixel_format = "no-such-format";
  EXPECT_EQ(to_gray(unknown, 4, 2).error().message,
            "to_gray: picture.pixel_format 'no-such-format' is not a supported FFmpeg pixel format");
  PictureView missing_plane = picture.view;
  missing_plane.data[2] = nullptr;
  EXPECT_EQ(to_gray(missing_plane, 4, 2).error().message, "to_gray: picture.data[2] is null or its linesize is 0");
  PictureView empty;
  empty.pixel_format = "gray";
  EXPECT_EQ(to_gray(empty, 4, 2).error().message,
            "to_gray: picture.width and picture.height must be in 1..16384");
}

TEST(ImageOpsTest, MotionScoreIsTheMeanAbsoluteDifference) {
  const GrayImage a{2, 2, {0, 10, 20, 30}};
  const GrayImage b{2, 2, {5, 5, 25, 255}};
  Result<double> score = motion_score(a, b);
  ASSERT_TRUE(score);
  EXPECT_DOUBLE_EQ(*score, (5 + 5 + 5 + 225) / 4.0);
  EXPECT_DOUBLE_EQ(*motion_score(a, a), 0.0);
  EXPECT_DOUBLE_EQ(*motion_score(GrayImage{1, 1, {0}}, GrayImage{1, 1, {255}}), 255.0);
}

TEST(ImageOpsTest, MotionScoreRejectsMismatchedImages) {
  EXPECT_EQ(motion_score(GrayImage{2, 2, {0, 0, 0, 0}}, GrayImage{1, 4, {0, 0, 0, 0}}).error().message,
            "motion_score: image sizes differ (2x2 vs 1x4)");
  EXPECT_EQ(motion_score(GrayImage{}, GrayImage{}).error().message, "motion_score: images are empty");
  EXPECT_EQ(motion_score(GrayImage{2, 2, {0}}, GrayImage{2, 2, {0, 0, 0, 0}}).error().message,
            "motion_score: pixels.size() must equal width*height");
}

TEST(ImageOpsTest, EncodeJpegMakesACompleteJfifFile) {
  Yuv420 picture(64, 48, 200);
  Result<std::vector<std::uint8_t>> jpeg = encode_jpeg(picture.view, 32, 24, 5);
  ASSERT_TRUE(jpeg) << jpeg.error().message;
  ASSERT_GT(jpeg->size(), 4u);
  EXPECT_EQ((*jpeg)[0], 0xFF);
  EXPECT_EQ((*jpeg)[1], 0xD8);  // SOI
  EXPECT_EQ((*jpeg)[jpeg->size() - 2], 0xFF);
  EXPECT_EQ((*jpeg)[jpeg->size() - 1], 0xD9);  // EOI
  EXPECT_EQ(encode_jpeg(picture.view, 32, 24, 1).error().message, "encode_jpeg: quality must be in 2..31, got 1");
  EXPECT_EQ(encode_jpeg(picture.view, 32, 0).error().message,
            "encode_jpeg: width and height must be in 1..16384, got 32x0");
}

}  // namespace
}  // namespace frame_tracking::capture
