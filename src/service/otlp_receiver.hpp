// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP trace receiver logic: content type dispatch, decoding, storing, OTLP responses.
#pragma once

#include "frame_tracking/store/span_store.hpp"

#include "span_metrics.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace frame_tracking::service {

/// An HTTP reply produced by the receiver (status, Content-Type, body, optional Retry-After).
struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string retry_after;
};

/// The two OTLP/HTTP encodings, or neither.
enum class OtlpEncoding : std::uint8_t { kProtobuf, kJson, kUnsupported };

/// Maps a Content-Type header (parameters such as charset ignored, case-insensitive) to an encoding.
OtlpEncoding otlp_encoding(std::string_view content_type) noexcept;

/// Routes libprotobuf's log lines raised while receive_traces() parses a body into that request's
/// 400 message instead of stderr (libprotobuf 3.21 prints one line per body with a non-UTF-8
/// string field, so a client could flood the log); lines from anywhere else still reach the
/// previous handler. Installs the process-wide handler once (google::protobuf::SetLogHandler, which
/// is not thread-safe: call it at start-up, before other threads use protobuf). Idempotent.
void install_protobuf_log_capture();

/// The 405 reply for any method but POST (as the OpenTelemetry Collector answers).
HttpReply otlp_method_not_allowed();
/// The 415 reply for an unsupported Content-Type.
HttpReply otlp_unsupported_media_type();
/// A 4xx/5xx reply carrying google.rpc.Status{code, message} in `encoding` (text when unsupported).
HttpReply otlp_status_reply(int http_status, int rpc_code, const std::string& message, OtlpEncoding encoding);

/// What one request did, for the service counters.
struct ReceiveOutcome {
  std::uint64_t accepted_spans = 0;
  std::uint64_t rejected_spans = 0;
  /// Spans stored already (same trace id and span id): a retry; not stored again, not rejected.
  std::uint64_t duplicate_spans = 0;
  /// Spans of a well-formed request that could not be stored (store failure → 503).
  std::uint64_t failed_spans = 0;
  /// The protobuf body was refused (400) for a string field that is not valid UTF-8.
  bool invalid_utf8 = false;
};

/// Decodes an already decompressed ExportTraceServiceRequest body in `encoding`, stores it (the
/// call returns after COMMIT) and builds the OTLP reply (OTLP spec "OTLP/HTTP Response"):
/// 200 + ExportTraceServiceResponse (partial_success set when spans were rejected) in the request's
/// encoding; 400 + Status naming the field when the body does not decode (nothing stored; a
/// non-UTF-8 string field is named only once install_protobuf_log_capture() ran);
/// 503 + Retry-After when the store failed. The spans of a stored request are counted in
/// `span_metrics` when given, except a request whose spans were all stored already (a retry).
/// Never throws.
HttpReply receive_traces(store::SpanStore& store, OtlpEncoding encoding, std::string_view body, ReceiveOutcome& outcome,
                         SpanMetrics* span_metrics = nullptr);

}  // namespace frame_tracking::service
