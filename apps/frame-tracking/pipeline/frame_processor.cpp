// SPDX-License-Identifier: Apache-2.0
// `pipeline frame-processor --name motion|thumbnail`: consume frames:ready:<name>, run a real per-frame step in a
// `detect` span (motion score against the camera's previous frame, or a JPEG thumbnail) and send frames:results.
#include "pipeline/commands.hpp"
#include "pipeline/frame_message.hpp"
#include "pipeline/process_runtime.hpp"

#include "frame_tracking/capture/image_ops.hpp"
#include "frame_tracking/traced_messaging.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace frame_tracking::pipeline {
namespace {

struct ProcessorOptions {
  ProcessOptions process;
  std::string name = "motion";
  int jpeg_quality = 5;
};

/// The gray thumbnail a frame message carries (size from the metadata attributes); an error names
/// what does not fit.
Result<capture::GrayImage> thumbnail_of(const ReceivedMessage& message, const FrameMetadata& metadata) {
  const auto number = [&](std::string_view key) -> int {
    auto it = metadata.attributes.find(std::string(key));
    int value = 0;
    if (it == metadata.attributes.end()) return 0;
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    return value;
  };
  capture::GrayImage image{number(kThumbWidth), number(kThumbHeight), {}};
  if (image.width <= 0 || image.height <= 0)
    return Error{ErrorCode::kMissingField, "frame_metadata.attributes: thumbnail.width/height missing or not positive"};
  if (message.payload.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height))
    return Error{ErrorCode::kInvalidInput, "payload: " + std::to_string(message.payload.size()) + " bytes, expected " +
                                               std::to_string(image.width) + "x" + std::to_string(image.height)};
  image.pixels.assign(message.payload.begin(), message.payload.end());
  return image;
}

int run(const ProcessorOptions& options) {
  if (options.name != "motion" && options.name != "thumbnail") {
    std::cerr << "frame-processor: --name '" << options.name << "': expected motion or thumbnail\n";
    return 2;
  }
  auto started = ProcessRuntime::start("frame-processor", options.process);
  if (!started) {
    std::cerr << "frame-processor: " << started.error().message << "\n";
    return 2;
  }
  ProcessRuntime& runtime = **started;
  std::unique_ptr<MessageProducer> producer = runtime.broker().producer({std::string(kResultsStream)});
  TracedProducer traced(*producer, runtime.tracer(), runtime.propagator());
  const std::string source = ready_stream(options.name);
  std::unique_ptr<MessageConsumer> consumer =
      runtime.broker().consumer(source, "frame-processor-" + options.name, runtime.instance_id());
  runtime.log(options.name + ": " + source + " → " + std::string(kResultsStream) + " on " + runtime.broker().url());

  std::map<std::string, capture::GrayImage> previous;  // motion: the last frame seen per camera
  const std::string group = "frame-processor-" + options.name;
  const int code = run_consumer_loop(runtime, *consumer, source, group, [&](const ReceivedMessage& message, Span& span) {
    const auto started = std::chrono::steady_clock::now();
    span.set_attribute("pipeline.stage", "process");
    span.set_attribute("frame.processor", options.name);
    auto metadata = message_metadata(message);
    if (!metadata) {
      runtime.drop_frame(span, runtime.frame_metrics().stage("process", kUnknownCamera), "bad_metadata");
      return;
    }
    // A drop is counted in the stage of the span that carries frame.dropped: `process`.
    metrics::FrameStage& stage = runtime.frame_metrics().stage("process", metadata->camera_id);
    std::string output;  // the payload sent on: JPEG bytes for thumbnail, nothing for motion
    {
      const Context parent{span.context(), {}};
      const std::array<AttributeView, 2> attributes{AttributeView{"pipeline.stage", std::string_view("detect")},
                                                    AttributeView{"frame.processor", std::string_view(options.name)}};
      const auto detect_started = std::chrono::steady_clock::now();
      Span detect = runtime.tracer().start_span("detect", {.parent = &parent, .attributes = attributes});
      set_frame_attributes(detect, *metadata);
      auto image = thumbnail_of(message, *metadata);
      if (!image) {
        detect.set_status(StatusCode::kError, image.error().message);
        runtime.drop_frame(span, stage, "bad_thumbnail");
        return;
      }
      metadata->attributes[std::string(kProcessor)] = options.name;
      if (options.name == "motion") {
        auto last = previous.find(metadata->camera_id);
        double score = 0;
        if (last != previous.end()) {
          auto scored = capture::motion_score(last->second, *image);
          if (scored) score = *scored;  // a size change (camera switched resolution) starts over at 0
        }
        char text[32];
        std::snprintf(text, sizeof(text), "%.3f", score);
        metadata->attributes[std::string(kMotionScore)] = text;
        detect.set_attribute("motion.score", score);
        detect.set_attribute("motion.first_frame", last == previous.end());
        previous.insert_or_assign(metadata->camera_id, std::move(*image));
      } else {
        auto jpeg = capture::encode_jpeg(image->view(), image->width, image->height, options.jpeg_quality);
        if (!jpeg) {
          detect.set_status(StatusCode::kError, jpeg.error().message);
          runtime.drop_frame(span, stage, "encode_failed");
          return;
        }
        output.assign(jpeg->begin(), jpeg->end());
        metadata->attributes[std::string(kJpegBytes)] = std::to_string(output.size());
        detect.set_attribute("thumbnail.jpeg_bytes", static_cast<std::int64_t>(output.size()));
      }
      runtime.frame_metrics().stage("detect", metadata->camera_id).processed(seconds_since(detect_started));
    }
    runtime.count("processed");
    const Context parent{span.context(), {}};
    SendResult sent = traced.send(kResultsStream, output, {}, &*metadata, &parent);
    runtime.count_send(*producer, kResultsStream, sent);
    if (!sent.ok()) {
      runtime.log("send failed: " + sent.error);
      runtime.drop_frame(span, stage, "send_failed");
      return;
    }
    runtime.count("sent");
    stage.processed(seconds_since(started));
  });
  return runtime.finish(code);
}

}  // namespace

void add_frame_processor_command(CLI::App& pipeline, int& exit_code) {
  auto options = std::make_shared<ProcessorOptions>();
  CLI::App* cmd = pipeline.add_subcommand("frame-processor", "Process the frames routed to one processor and send results");
  add_process_options(*cmd, options->process);
  cmd->add_option("--name", options->name, "motion (score against the camera's previous frame) or thumbnail (JPEG)")
      ->capture_default_str();
  cmd->add_option("--jpeg-quality", options->jpeg_quality, "thumbnail: JPEG qscale, 2 (best) .. 31")
      ->check(CLI::Range(2, 31))
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace frame_tracking::pipeline
