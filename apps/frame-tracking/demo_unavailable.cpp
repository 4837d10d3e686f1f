// SPDX-License-Identifier: Apache-2.0
// `frame-tracking demo` in a build without the pipeline's components: says plainly which ones are missing.
#include "command.hpp"

#if !FRAME_TRACKING_HAS_PIPELINE
#include <iostream>
#include <string>

namespace frame_tracking::cli {
namespace {

#if FRAME_TRACKING_HAS_CAPTURE
constexpr bool kHasCapture = true;
#else
constexpr bool kHasCapture = false;
#endif
#if FRAME_TRACKING_HAS_REDIS
constexpr bool kHasRedis = true;
#else
constexpr bool kHasRedis = false;
#endif
#if FRAME_TRACKING_HAS_OTLP
constexpr bool kHasOtlp = true;
#else
constexpr bool kHasOtlp = false;
#endif
#if FRAME_TRACKING_HAS_STORE
constexpr bool kHasStore = true;
#else
constexpr bool kHasStore = false;
#endif

void setup(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("demo", "Trace real video through the reference pipeline (not built in this binary)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::string missing;
    const auto need = [&missing](bool present, const char* component, const char* packages) {
      if (!present) missing += std::string("  ") + component + " (" + packages + ")\n";
    };
    need(kHasCapture, "capture", "FRAME_TRACKING_WITH_CAPTURE; FFmpeg: libavformat-dev libavcodec-dev libswscale-dev");
    need(kHasRedis, "redis", "FRAME_TRACKING_WITH_REDIS; libhiredis-dev");
    need(kHasOtlp, "otlp", "FRAME_TRACKING_WITH_OTLP; libcurl4-openssl-dev libprotobuf-dev");
    need(kHasStore, "store", "FRAME_TRACKING_WITH_STORE; libsqlite3-dev libcpp-httplib-dev");
    std::cerr << "frame-tracking demo: this binary was built without components the demo needs:\n"
              << missing << "Install them with scripts/install-deps.sh, then `make build` (or cmake with the options ON).\n";
    exit_code = 1;
  });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("demo", frame_tracking::cli::setup);
#endif
