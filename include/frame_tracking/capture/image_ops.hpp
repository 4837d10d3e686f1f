// SPDX-License-Identifier: Apache-2.0
// Image helpers for frame processors: gray downscale (libswscale), motion score, JPEG thumbnail (libavcodec mjpeg).
#pragma once

#include <cstdint>
#include <vector>

#include "frame_tracking/capture/picture_view.hpp"
#include "frame_tracking/result.hpp"

namespace frame_tracking::capture {

/// An 8-bit gray image, row-major, `width` bytes per row (no padding). Value type; thread-compatible.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels{};  ///< width × height bytes.

  /// A PictureView ("gray") of these pixels, valid while this image lives unchanged.
  PictureView view() const noexcept;
};

/// Scales `picture` to an 8-bit gray image of `width` × `height` with libswscale's area filter.
/// For YUV and gray formats the luma plane is used as stored (no range conversion), so a uniform
/// picture stays exactly uniform and a same-size conversion copies luma exactly; RGB formats are
/// converted to luma by libswscale.
/// Errors (kInvalidInput): a size ≤ 0 or above 16384, a null plane, an unknown or unsupported
/// pixel_format; the message names the field. Thread-safe (the scaler is cached per thread).
Result<GrayImage> to_gray(const PictureView& picture, int width, int height);

/// Motion score of two gray images of the same size: the mean absolute difference of their pixels,
/// in [0, 255] (0 = identical). Errors (kInvalidInput) when the sizes differ or an image is empty or
/// its pixel count does not match width × height. Thread-safe.
Result<double> motion_score(const GrayImage& previous, const GrayImage& current);

/// Encodes `picture`, scaled to `width` × `height`, as a baseline JPEG (JFIF, 4:2:0) with
/// libavcodec's mjpeg encoder. `quality` is the JPEG qscale, 2 (best) … 31 (smallest).
/// Returns the complete file bytes (FF D8 … FF D9). Errors (kInvalidInput) as for to_gray, or a
/// quality outside 2..31; an encoder failure gives kInvalidInput with FFmpeg's message. Thread-safe.
Result<std::vector<std::uint8_t>> encode_jpeg(const PictureView& picture, int width, int height,
                                              int quality = 5);

}  // namespace frame_tracking::capture
