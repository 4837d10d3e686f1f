// SPDX-License-Identifier: Apache-2.0
// Test support: broker-neutral traced flows (frames through any MessageProducer/MessageConsumer) and
// exact checks of the span trees they leave in an in-memory exporter.
#pragma once

#include "frame_tracking/frame_id.hpp"
#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/in_memory_span_exporter.hpp"
#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traced_messaging.hpp"
#include "frame_tracking/tracer_provider.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking::testing {

/// One process' tracing: a provider exporting synchronously into an in-memory store.
struct TracingProcess {
  explicit TracingProcess(const std::string& service);
  std::shared_ptr<InMemorySpanStore> store = std::make_shared<InMemorySpanStore>();
  std::unique_ptr<TracerProvider> provider;
  Tracer tracer;
  W3CTraceContextPropagator propagator;
};

/// The W3C Trace Context example parent (trace 4bf92f3577b34da6a3ce929d0e0e4736, span
/// 00f067aa0ba902b7, sampled) as received from another process, with `trace_state`.
Context remote_parent(std::string_view trace_state);

/// The value of attribute `key` of `span`, if set.
std::optional<AttributeValue> attribute(const SpanData& span, std::string_view key);

/// The string attribute `key` of `span`; "<unset>" when absent or not a string.
std::string string_attribute(const SpanData& span, std::string_view key);

/// The integer attribute `key` of `span`; -1 when absent or not an integer.
std::int64_t int_attribute(const SpanData& span, std::string_view key);

/// The metadata of frame `sequence` of camera "cam-1", whose FrameId is the trace id of `root`.
FrameMetadata frame_metadata(const SpanContext& root, std::uint64_t sequence);

/// Capture side of the reference pipeline for `count` frames: `capture_frame` (root, trace id =
/// FrameId) with a traced send of the frame as its child. Returns how many sends succeeded.
std::size_t capture_frames(TracingProcess& process, MessageProducer& producer, const std::string& destination,
                           std::size_t count);

/// Storage side: processes every message in its own `process` span with a `store_frame` child,
/// then acks it. Stops after `count` messages or when a poll stays empty for `idle`.
std::size_t store_frames(TracingProcess& process, MessageConsumer& consumer, std::size_t count,
                         std::chrono::milliseconds idle = std::chrono::milliseconds{5000});

/// Processes each of `messages` in its own `process` span through a TracedConsumer of `process` on
/// `consumer` and settles it as done (an ack, expected to succeed), as a consumer that handles
/// everything would. Returns the spans `process` has recorded.
std::vector<std::unique_ptr<SpanData>> process_messages(TracingProcess& process, MessageConsumer& consumer,
                                                        const std::vector<ReceivedMessage>& messages);

/// Result of checking the traces of the reference pipeline.
struct TraceCensus {
  std::size_t traces = 0;
  std::size_t complete = 0;  ///< exactly capture_frame → send → process → store_frame, nothing else
  std::size_t orphans = 0;   ///< spans whose parent is not in the collected spans
  std::vector<std::string> problems;
};

/// Checks every trace in `spans` against the exact reference tree. `destination` is the
/// messaging.destination.name on both sides; `system` the messaging.system.
TraceCensus census(const std::vector<std::unique_ptr<SpanData>>& spans, const std::string& destination,
                   const std::string& system);

/// Both processes' spans together.
std::vector<std::unique_ptr<SpanData>> all_spans(TracingProcess& a, TracingProcess& b);

/// Checks that the spans of `capture` and `storage` together form exactly `traces` traces, every one
/// complete (see census), with no orphan span. Test failures name the first problem.
void expect_complete_traces(TracingProcess& capture, TracingProcess& storage, const std::string& destination,
                            const std::string& system, std::size_t traces);

}  // namespace frame_tracking::testing
