// SPDX-License-Identifier: Apache-2.0
// `frame-tracking pipeline`: the reference pipeline's processes (each its own OpenTelemetry service).
#include "command.hpp"
#include "pipeline/commands.hpp"

namespace frame_tracking::cli {
namespace {

void setup(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("pipeline", "Run one process of the reference video pipeline");
  cmd->require_subcommand(1);
  pipeline::add_rtsp_capture_command(*cmd, exit_code);
  pipeline::add_frame_buffer_command(*cmd, exit_code);
  pipeline::add_frame_processor_command(*cmd, exit_code);
  pipeline::add_metadata_storage_command(*cmd, exit_code);
  cmd->footer(
      "Shape: rtsp-capture → frames:metadata → frame-buffer → frames:ready:<processor> → frame-processor\n"
      "       → frames:results → metadata-storage. Every frame is one trace whose id is its FrameId.\n"
      "`frame-tracking demo` starts all of them with a service and a broker.");
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("pipeline", frame_tracking::cli::setup);
