// SPDX-License-Identifier: Apache-2.0
// PictureView: a non-owning view of one decoded picture's planes (YUV, gray, RGB) in memory.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace frame_tracking::capture {

/// A non-owning view of a decoded picture: up to 4 planes, each `linesize[i]` bytes per row.
/// `pixel_format` is an FFmpeg pixel format name ("yuv420p", "yuvj420p", "nv12", "gray", "rgb24", ...);
/// the plane layout follows that format (for "yuv420p": plane 0 = Y width×height, planes 1 and 2 =
/// U and V (width+1)/2 × (height+1)/2). Unused planes are null with linesize 0.
/// The viewed memory belongs to whoever made the view (for a CapturedFrame: the decoder, valid only
/// during the on_frame callback). Value type; thread-compatible.
struct PictureView {
  int width = 0;                              ///< Pixels.
  int height = 0;                             ///< Pixels.
  std::string_view pixel_format{};            ///< FFmpeg pixel format name; static storage.
  std::array<const std::uint8_t*, 4> data{};  ///< Plane start pointers.
  std::array<int, 4> linesize{};              ///< Bytes per row of each plane (may exceed the row's pixels).
};

}  // namespace frame_tracking::capture
