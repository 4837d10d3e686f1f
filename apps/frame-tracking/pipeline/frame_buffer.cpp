// SPDX-License-Identifier: Apache-2.0
// `pipeline frame-buffer`: consume frames:metadata in a consumer group and route each frame to the stream of the
// processor that wants it (frames:ready:<processor>); a frame no processor wants is dropped (no_route).
#include "pipeline/commands.hpp"
#include "pipeline/frame_message.hpp"
#include "pipeline/process_runtime.hpp"
#include "pipeline/route_rule.hpp"

#include "frame_tracking/traced_messaging.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

namespace frame_tracking::pipeline {
namespace {

struct BufferOptions {
  ProcessOptions process;
  std::vector<std::string> routes{"motion=*"};
};

int run(const BufferOptions& options) {
  std::vector<RouteRule> rules;
  for (const std::string& text : options.routes) {
    auto rule = RouteRule::parse(text);
    if (!rule) {
      std::cerr << "frame-buffer: " << rule.error().message << "\n";
      return 2;
    }
    rules.push_back(std::move(*rule));
  }
  auto started = ProcessRuntime::start("frame-buffer", options.process);
  if (!started) {
    std::cerr << "frame-buffer: " << started.error().message << "\n";
    return 2;
  }
  ProcessRuntime& runtime = **started;
  std::vector<std::string> destinations;
  for (const RouteRule& rule : rules) {
    const std::string stream = ready_stream(rule.processor);
    if (std::find(destinations.begin(), destinations.end(), stream) == destinations.end()) destinations.push_back(stream);
  }
  std::unique_ptr<MessageProducer> producer = runtime.broker().producer(destinations);
  TracedProducer traced(*producer, runtime.tracer(), runtime.propagator());
  std::unique_ptr<MessageConsumer> consumer =
      runtime.broker().consumer(std::string(kMetadataStream), "frame-buffer", runtime.instance_id());
  runtime.log("routing " + std::string(kMetadataStream) + " on " + runtime.broker().url() + " with " +
              std::to_string(rules.size()) + " rule(s)");

  const std::string source(kMetadataStream);
  const int code = run_consumer_loop(runtime, *consumer, source, "frame-buffer", [&](const ReceivedMessage& message, Span& span) {
    const auto started = std::chrono::steady_clock::now();
    span.set_attribute("pipeline.stage", "route");
    auto metadata = message_metadata(message);
    if (!metadata) {
      runtime.drop_frame(span, runtime.frame_metrics().stage("route", kUnknownCamera), "bad_metadata");
      return;
    }
    metrics::FrameStage& stage = runtime.frame_metrics().stage("route", metadata->camera_id);
    const std::optional<std::string> processor = route(rules, *metadata);
    if (!processor) {
      runtime.drop_frame(span, stage, "no_route");
      return;
    }
    span.set_attribute("frame.processor", *processor);
    const Context parent{span.context(), {}};
    const std::string destination = ready_stream(*processor);
    SendResult sent = traced.send(destination, message.payload, {}, &*metadata, &parent);
    runtime.count_send(*producer, destination, sent);
    if (!sent.ok()) {
      runtime.log("send failed: " + sent.error);
      runtime.drop_frame(span, stage, "send_failed");
      return;
    }
    runtime.count("routed." + *processor);
    runtime.count("forwarded");
    stage.processed(seconds_since(started));
  });
  return runtime.finish(code);
}

}  // namespace

void add_frame_buffer_command(CLI::App& pipeline, int& exit_code) {
  auto options = std::make_shared<BufferOptions>();
  CLI::App* cmd = pipeline.add_subcommand("frame-buffer", "Route frames from frames:metadata to frames:ready:<processor>");
  add_process_options(*cmd, options->process);
  cmd->add_option("--route", options->routes,
                  "PROCESSOR=MATCH[,MATCH...]; MATCH is * (any frame), a camera id, or FIELD:VALUE on camera_id, "
                  "format or a metadata attribute (e.g. key_frame:true). First matching rule wins.")
      ->capture_default_str();
  cmd->footer("Example: frame-tracking pipeline frame-buffer --route motion=cam-1,cam-2 --route thumbnail=*");
  cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace frame_tracking::pipeline
