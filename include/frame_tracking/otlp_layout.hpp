// SPDX-License-Identifier: Apache-2.0
// How a batch of span records maps onto OTLP's request structure: grouping by resource then scope,
// and the SpanFlags words of spans and links. Shared by the OTLP/JSON and OTLP/protobuf encoders.
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/trace/v1/trace.proto
#pragma once

#include "frame_tracking/span_data.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace frame_tracking {

/// OTLP `SpanFlags` bits above the 8 W3C trace-flag bits.
inline constexpr std::uint32_t kOtlpFlagsHasIsRemote = 0x100;  ///< CONTEXT_HAS_IS_REMOTE_MASK
inline constexpr std::uint32_t kOtlpFlagsIsRemote = 0x200;     ///< CONTEXT_IS_REMOTE_MASK

/// The spans of one instrumentation scope inside a ResourceSpans (one OTLP `ScopeSpans`).
/// `scope` may be null (the `scope` field is then omitted). Views into the caller's batch.
struct OtlpScopeGroup {
  const InstrumentationScope* scope = nullptr;
  std::vector<const SpanData*> spans;
};

/// The spans of one resource (one OTLP `ResourceSpans`); `resource` may be null (field omitted).
struct OtlpResourceGroup {
  const Resource* resource = nullptr;
  std::vector<OtlpScopeGroup> scopes;
};

/// Groups `spans` by resource, then by scope, both compared by address (the provider and tracers
/// own one object each). Groups and the spans inside them keep first-seen batch order, so the
/// result is deterministic. Null entries in `spans` are skipped. Allocates; thread-safe (pure).
std::vector<OtlpResourceGroup> group_for_otlp(std::span<const SpanData* const> spans);

/// OTLP `Span.flags`: the W3C trace flags in bits 0–7, HAS_IS_REMOTE always set, IS_REMOTE when the
/// parent context came from another process.
constexpr std::uint32_t otlp_span_flags(const SpanData& span) noexcept {
  return span.context.trace_flags.value | kOtlpFlagsHasIsRemote | (span.parent_is_remote ? kOtlpFlagsIsRemote : 0U);
}

/// OTLP `Span.Link.flags`: the linked context's trace flags, HAS_IS_REMOTE, and IS_REMOTE when remote.
constexpr std::uint32_t otlp_link_flags(const LinkView& link) noexcept {
  return link.trace_flags.value | kOtlpFlagsHasIsRemote | (link.remote ? kOtlpFlagsIsRemote : 0U);
}

}  // namespace frame_tracking
