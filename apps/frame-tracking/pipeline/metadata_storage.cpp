// SPDX-License-Identifier: Apache-2.0
// `pipeline metadata-storage`: consume frames:results and write each frame's metadata JSON (and its JPEG
// thumbnail) under --out in a `store_frame` span.
#include "pipeline/commands.hpp"
#include "pipeline/frame_message.hpp"
#include "pipeline/process_runtime.hpp"

#include "frame_tracking/traced_messaging.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace frame_tracking::pipeline {
namespace {

struct StorageOptions {
  ProcessOptions process;
  std::string out = "frames";
};

/// Writes `bytes` to `path` through a temporary sibling and a rename; "" or the error.
std::string write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) return "cannot write " + temporary.string();
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return error ? "cannot rename to " + path.string() + ": " + error.message() : std::string();
}

/// A camera id as a directory name: characters outside [A-Za-z0-9._-] become '_'.
std::string safe_name(std::string_view text) {
  std::string out(text.empty() ? "unknown" : text);
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
  if (out == "." || out == "..") out = "_";
  return out;
}

int run(const StorageOptions& options) {
  auto started = ProcessRuntime::start("metadata-storage", options.process);
  if (!started) {
    std::cerr << "metadata-storage: " << started.error().message << "\n";
    return 2;
  }
  ProcessRuntime& runtime = **started;
  std::unique_ptr<MessageConsumer> consumer =
      runtime.broker().consumer(std::string(kResultsStream), "metadata-storage", runtime.instance_id());
  runtime.log("storing " + std::string(kResultsStream) + " from " + runtime.broker().url() + " under " + options.out);

  const std::string source(kResultsStream);
  const int code = run_consumer_loop(runtime, *consumer, source, "metadata-storage", [&](const ReceivedMessage& message, Span& span) {
    const auto started = std::chrono::steady_clock::now();
    span.set_attribute("pipeline.stage", "storage");
    auto metadata = message_metadata(message);
    if (!metadata) {
      runtime.drop_frame(span, runtime.frame_metrics().stage("storage", kUnknownCamera), "bad_metadata");
      return;
    }
    metrics::FrameStage& stage = runtime.frame_metrics().stage("storage", metadata->camera_id);
    const Context parent{span.context(), {}};
    const std::array<AttributeView, 1> attributes{AttributeView{"pipeline.stage", std::string_view("store")}};
    const auto store_started = std::chrono::steady_clock::now();
    Span store = runtime.tracer().start_span("store_frame", {.parent = &parent, .attributes = attributes});
    set_frame_attributes(store, *metadata);
    const std::filesystem::path directory = std::filesystem::path(options.out) / safe_name(metadata->camera_id);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    const std::string id = metadata->frame_id.to_string();
    std::string failure = error ? "cannot create " + directory.string() + ": " + error.message() : std::string();
    if (failure.empty() && !message.payload.empty()) {
      failure = write_file(directory / (id + ".jpg"), message.payload);
      store.set_attribute("file.thumbnail", (directory / (id + ".jpg")).string());
    }
    if (failure.empty()) failure = write_file(directory / (id + ".json"), metadata->to_json());
    store.set_attribute("file.path", (directory / (id + ".json")).string());
    store.set_attribute("file.bytes", static_cast<std::int64_t>(message.payload.size()));
    if (!failure.empty()) {
      runtime.log(failure);
      store.set_status(StatusCode::kError, failure);
      runtime.drop_frame(span, stage, "store_failed");
      return;
    }
    runtime.count("stored");
    runtime.frame_metrics().stage("store", metadata->camera_id).processed(seconds_since(store_started));
    stage.processed(seconds_since(started));
    // End to end: the capture's wall-clock time (from the metadata) to now, stored.
    const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    if (metadata->capture_time_unix_ns > 0 && now_ns >= metadata->capture_time_unix_ns)
      runtime.frame_metrics()
          .end_to_end(metadata->camera_id)
          .Observe(static_cast<double>(now_ns - metadata->capture_time_unix_ns) * 1e-9);
  });
  return runtime.finish(code);
}

}  // namespace

void add_metadata_storage_command(CLI::App& pipeline, int& exit_code) {
  auto options = std::make_shared<StorageOptions>();
  CLI::App* cmd = pipeline.add_subcommand("metadata-storage", "Store each frame's metadata JSON and thumbnail");
  add_process_options(*cmd, options->process);
  cmd->add_option("--out", options->out, "Directory written: OUT/<camera>/<frame id>.json (+ .jpg)")->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace frame_tracking::pipeline
