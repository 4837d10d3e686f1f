// SPDX-License-Identifier: Apache-2.0
// check_message_context: a consumer's view of one received message (trace context, frame metadata), with invariants.
#pragma once

#include "fuzz_check.hpp"

#include "frame_tracking/frame_metadata.hpp"
#include "frame_tracking/message_transport.hpp"
#include "frame_tracking/propagation.hpp"
#include "frame_tracking/traced_messaging.hpp"

#include <memory>
#include <string_view>

namespace frame_tracking::fuzz {

/// Reads `message` as TracedConsumer does: the trace context (default propagators
/// `tracecontext,baggage`) and the FrameMetadata header. Invariants: a context is either valid
/// and remote with no problem, or invalid with a problem from the documented set and a reason;
/// accepted metadata has a valid FrameId.
inline void check_message_context(const ReceivedMessage& message) {
  static const std::unique_ptr<TextMapPropagator> propagator = std::move(*propagator_from_names(""));
  const ExtractedContext extracted = extract_message_context(message, *propagator);
  if (extracted.context.span_context.is_valid()) {
    FT_FUZZ_CHECK(extracted.context.span_context.remote);
    FT_FUZZ_CHECK(extracted.problem.empty() && extracted.reason.empty());
  } else {
    const std::string_view p = extracted.problem;
    FT_FUZZ_CHECK(p == "missing" || p == "repeated" || p == "wrong_type" || p == "invalid");
    FT_FUZZ_CHECK(!extracted.reason.empty());
    FT_FUZZ_CHECK(extracted.context.span_context.trace_state.empty());
  }
  FT_FUZZ_CHECK(extracted.context.baggage.size() <= Baggage::kMaxMembers);
  if (const MessageHeader* header = message.header(kFrameMetadataHeader); header != nullptr) {
    auto metadata = FrameMetadata::from_json(header->value);
    if (metadata) FT_FUZZ_CHECK(metadata->frame_id.is_valid());
  }
}

}  // namespace frame_tracking::fuzz
