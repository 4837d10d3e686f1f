// SPDX-License-Identifier: Apache-2.0
// Image helpers: gray downscale with libswscale, mean-absolute-difference motion score, mjpeg thumbnails.
#include "frame_tracking/capture/image_ops.hpp"

#include <cstdlib>
#include <string>

#include "ffmpeg_util.hpp"


namespace frame_tracking::capture {

namespace {

using namespace detail;

constexpr int kMaxSide = 16384;

Error invalid(std::string message) { return Error{ErrorCode::kInvalidInput, std::move(message)}; }

// Checks the target size and the picture; returns its FFmpeg format or an error message.
Result<AVPixelFormat> check(std::string_view what, const PictureView& picture, int width, int height) {
  const std::string prefix(what);
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) {
    return invalid(prefix + ": width and height must be in 1.." + std::to_string(kMaxSide) + ", got " +
                   std::to_string(width) + "x" + std::to_string(height));
  }
  if (picture.width <= 0 || picture.height <= 0 || picture.width > kMaxSide || picture.height > kMaxSide) {
    return invalid(prefix + ": picture.width and picture.height must be in 1.." + std::to_string(kMaxSide));
  }
  const AVPixelFormat format = av_get_pix_fmt(std::string(picture.pixel_format).c_str());
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
  if (format == AV_PIX_FMT_NONE || desc == nullptr || (desc->flags & AV_PIX_FMT_FLAG_HWACCEL) != 0 ||
      sws_isSupportedInput(format) == 0) {
    return invalid(prefix + ": picture.pixel_format '" + std::string(picture.pixel_format) +
                   "' is not a supported FFmpeg pixel format");
  }
  const int planes = av_pix_fmt_count_planes(format);
  for (int i = 0; i < planes; ++i) {
    if (picture.data[static_cast<std::size_t>(i)] == nullptr || picture.linesize[static_cast<std::size_t>(i)] == 0) {
      return invalid(prefix + ": picture.data[" + std::to_string(i) + "] is null or its linesize is 0");
    }
  }
  return format;
}

// The luma plane alone, viewed as gray, when the format stores 8-bit luma contiguously in plane 0.
bool luma_is_gray(AVPixelFormat format) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
  return (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)) == 0 &&
         desc->comp[0].plane == 0 && desc->comp[0].depth == 8 && desc->comp[0].step == 1 &&
         desc->comp[0].offset == 0 && desc->comp[0].shift == 0;
}

// The deprecated full-range "J" formats as their plain layout; libswscale wants the range set apart.
AVPixelFormat plain_layout(AVPixelFormat format, bool& full_range) {
  full_range = true;
  switch (format) {
    case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
    default: full_range = false; return format;
  }
}

// Scales `picture` into `out` (already allocated) with `cache`, a per-thread scaler that is rebuilt only
// when the sizes or formats change. `out_full_range` asks for full-range (JPEG) output levels.
bool scale(ScalerPtr& cache, const PictureView& picture, AVPixelFormat format, int width, int height,
           AVPixelFormat out_format, bool out_full_range, std::uint8_t* const out_data[4],
           const int out_linesize[4]) {
  bool in_full_range = false;
  const AVPixelFormat in_format = plain_layout(format, in_full_range);
  cache.reset(sws_getCachedContext(cache.release(), picture.width, picture.height, in_format, width, height,
                                   out_format, SWS_AREA | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
  if (!cache) return false;
  // Force full range only where asked; otherwise keep libswscale's default (gray and RGB are full range).
  int* in_table = nullptr;
  int* out_table = nullptr;
  int in_range = 0, out_range = 0, brightness = 0, contrast = 0, saturation = 0;
  if ((in_full_range || out_full_range) &&
      sws_getColorspaceDetails(cache.get(), &in_table, &in_range, &out_table, &out_range, &brightness,
                               &contrast, &saturation) >= 0) {
    const int want_in = in_full_range ? 1 : in_range;
    const int want_out = out_full_range ? 1 : out_range;
    if (want_in != in_range || want_out != out_range) {
      sws_setColorspaceDetails(cache.get(), in_table, want_in, out_table, want_out, brightness, contrast,
                               saturation);
    }
  }
  const int rows = sws_scale(cache.get(), picture.data.data(), picture.linesize.data(), 0, picture.height,
                             out_data, out_linesize);
  return rows == height;
}

}  // namespace

PictureView GrayImage::view() const noexcept {
  PictureView v;
  v.width = width;
  v.height = height;
  v.pixel_format = "gray";
  v.data[0] = pixels.data();
  v.linesize[0] = width;
  return v;
}

Result<GrayImage> to_gray(const PictureView& picture, int width, int height) {
  Result<AVPixelFormat> format = check("to_gray", picture, width, height);
  if (!format) return format.error();
  PictureView source = picture;
  AVPixelFormat source_format = *format;
  if (luma_is_gray(source_format)) {  // use stored luma as is: no range conversion, no chroma work
    source.pixel_format = "gray";
    source_format = AV_PIX_FMT_GRAY8;
  }
  GrayImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  if (source_format == AV_PIX_FMT_GRAY8 && width == picture.width && height == picture.height) {
    for (int y = 0; y < height; ++y) {
      const std::uint8_t* row = picture.data[0] + static_cast<std::ptrdiff_t>(y) * picture.linesize[0];
      std::copy(row, row + width, image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * width);
    }
    return image;
  }
  std::uint8_t* out_data[4] = {image.pixels.data(), nullptr, nullptr, nullptr};
  const int out_linesize[4] = {width, 0, 0, 0};
  thread_local ScalerPtr gray_scaler;
  if (!scale(gray_scaler, source, source_format, width, height, AV_PIX_FMT_GRAY8, false, out_data,
             out_linesize)) {
    return invalid("to_gray: libswscale cannot convert " + std::string(picture.pixel_format) + " to gray");
  }
  return image;
}

Result<double> motion_score(const GrayImage& previous, const GrayImage& current) {
  if (previous.width != current.width || previous.height != current.height) {
    return invalid("motion_score: image sizes differ (" + std::to_string(previous.width) + "x" +
                   std::to_string(previous.height) + " vs " + std::to_string(current.width) + "x" +
                   std::to_string(current.height) + ")");
  }
  const std::size_t count = static_cast<std::size_t>(std::max(current.width, 0)) *
                            static_cast<std::size_t>(std::max(current.height, 0));
  if (count == 0) return invalid("motion_score: images are empty");
  if (previous.pixels.size() != count || current.pixels.size() != count) {
    return invalid("motion_score: pixels.size() must equal width*height");
  }
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    sum += static_cast<std::uint64_t>(std::abs(int{previous.pixels[i]} - int{current.pixels[i]}));
  }
  return static_cast<double>(sum) / static_cast<double>(count);
}

Result<std::vector<std::uint8_t>> encode_jpeg(const PictureView& picture, int width, int height, int quality) {
  Result<AVPixelFormat> format = check("encode_jpeg", picture, width, height);
  if (!format) return format.error();
  if (quality < 2 || quality > 31) {
    return invalid("encode_jpeg: quality must be in 2..31, got " + std::to_string(quality));
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return invalid("encode_jpeg: libavcodec has no mjpeg encoder");
  CodecPtr encoder(avcodec_alloc_context3(codec));
  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());
  if (!encoder || !frame || !packet) return invalid("encode_jpeg: out of memory");
  encoder->width = width;
  encoder->height = height;
  encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;  // full-range 4:2:0: what JPEG viewers expect
  encoder->time_base = AVRational{1, 25};
  encoder->flags |= AV_CODEC_FLAG_QSCALE;
  encoder->global_quality = FF_QP2LAMBDA * quality;
  int rc = avcodec_open2(encoder.get(), codec, nullptr);
  if (rc < 0) return invalid("encode_jpeg: cannot open the mjpeg encoder: " + error_text(rc));

  frame->format = AV_PIX_FMT_YUVJ420P;
  frame->width = width;
  frame->height = height;
  frame->quality = encoder->global_quality;
  frame->pict_type = AV_PICTURE_TYPE_I;
  if ((rc = av_frame_get_buffer(frame.get(), 0)) < 0) return invalid("encode_jpeg: " + error_text(rc));
  // Same memory layout as yuv420p; the scaler writes full-range levels into it.
  thread_local ScalerPtr jpeg_scaler;
  if (!scale(jpeg_scaler, picture, *format, width, height, AV_PIX_FMT_YUV420P, true, frame->data,
             frame->linesize)) {
    return invalid("encode_jpeg: libswscale cannot convert " + std::string(picture.pixel_format));
  }
  if ((rc = avcodec_send_frame(encoder.get(), frame.get())) < 0 ||
      (rc = avcodec_receive_packet(encoder.get(), packet.get())) < 0) {
    return invalid("encode_jpeg: mjpeg encoder failed: " + error_text(rc));
  }
  return std::vector<std::uint8_t>(packet->data, packet->data + packet->size);
}

}  // namespace frame_tracking::capture
