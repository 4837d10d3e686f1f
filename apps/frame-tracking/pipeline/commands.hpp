// SPDX-License-Identifier: Apache-2.0
// The four reference-pipeline processes, each a subcommand of `frame-tracking pipeline`.
#pragma once

#include <CLI/CLI.hpp>

namespace frame_tracking::pipeline {

/// `pipeline rtsp-capture`: VideoSource → capture_frame/decode_frame → send frames:metadata.
void add_rtsp_capture_command(CLI::App& pipeline, int& exit_code);
/// `pipeline frame-buffer`: process frames:metadata → route → send frames:ready:<processor>.
void add_frame_buffer_command(CLI::App& pipeline, int& exit_code);
/// `pipeline frame-processor --name motion|thumbnail`: process frames:ready:<name> → detect → send frames:results.
void add_frame_processor_command(CLI::App& pipeline, int& exit_code);
/// `pipeline metadata-storage`: process frames:results → store_frame (files under --out).
void add_metadata_storage_command(CLI::App& pipeline, int& exit_code);

}  // namespace frame_tracking::pipeline
