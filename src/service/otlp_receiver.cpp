// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP trace receiver logic: content type dispatch, decoding, storing, OTLP responses.
#include "otlp_receiver.hpp"

#include "otlp_json.hpp"

#include "frame_tracking/utf8.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/stubs/logging.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace frame_tracking::service {
namespace {

constexpr const char* kProtobufType = "application/x-protobuf";
constexpr const char* kJsonType = "application/json";
constexpr int kRpcInvalidArgument = 3;
constexpr int kRpcUnavailable = 14;

/// Where libprotobuf's log lines go while this thread parses a request body; null otherwise.
thread_local std::string* protobuf_log_capture = nullptr;
/// The handler that was installed before ours (libprotobuf's stderr printer).
google::protobuf::LogHandler* previous_protobuf_log_handler = nullptr;

void capture_protobuf_log(google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
  if (protobuf_log_capture != nullptr && level != google::protobuf::LOGLEVEL_FATAL) {
    if (protobuf_log_capture->empty()) *protobuf_log_capture = message;
    return;
  }
  if (previous_protobuf_log_handler != nullptr) previous_protobuf_log_handler(level, file, line, message);
}

/// The 400 message for a body libprotobuf refused while logging `logged` (its only such message in
/// 3.21: "String field 'pkg.Message.field' contains invalid UTF-8 data when parsing…").
std::string protobuf_parse_error(const std::string& logged, bool& invalid_utf8) {
  constexpr std::string_view kPrefix = "String field '";
  invalid_utf8 = logged.find("invalid UTF-8") != std::string::npos;
  if (auto start = logged.find(kPrefix); invalid_utf8 && start != std::string::npos) {
    start += kPrefix.size();
    auto end = logged.find('\'', start);
    return "body: string field '" + logged.substr(start, end - start) +
           "' is not valid UTF-8 (protobuf strings must be UTF-8)";
  }
  std::string text = logged;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return "body: not a valid protobuf ExportTraceServiceRequest: " + text;
}

void append_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

}  // namespace

OtlpEncoding otlp_encoding(std::string_view content_type) noexcept {
  auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front()))) media.remove_prefix(1);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) media.remove_suffix(1);
  auto equals = [&](std::string_view expected) {
    return media.size() == expected.size() &&
           std::equal(media.begin(), media.end(), expected.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  };
  if (equals(kProtobufType)) return OtlpEncoding::kProtobuf;
  if (equals(kJsonType)) return OtlpEncoding::kJson;
  return OtlpEncoding::kUnsupported;
}

void install_protobuf_log_capture() {
  static std::once_flag once;
  std::call_once(once, [] { previous_protobuf_log_handler = google::protobuf::SetLogHandler(&capture_protobuf_log); });
}

HttpReply otlp_method_not_allowed() { return {405, "text/plain", "405 method not allowed, supported: [POST]", {}}; }

HttpReply otlp_unsupported_media_type() {
  return {415, "text/plain", "415 unsupported media type, supported: [application/json, application/x-protobuf]", {}};
}

HttpReply otlp_status_reply(int http_status, int rpc_code, const std::string& raw_message, OtlpEncoding encoding) {
  // The message may quote the request (a JSON parse error does); google.rpc.Status.message and JSON
  // strings must be UTF-8, so invalid bytes become U+FFFD instead of making dump() throw.
  const std::string message = sanitize_utf8(raw_message);
  HttpReply reply;
  reply.status = http_status;
  switch (encoding) {
    case OtlpEncoding::kProtobuf:
      // google.rpc.Status: code = 1 (int32), message = 2 (string).
      reply.content_type = kProtobufType;
      reply.body += '\x08';
      append_varint(reply.body, static_cast<std::uint64_t>(rpc_code));
      reply.body += '\x12';
      append_varint(reply.body, message.size());
      reply.body += message;
      break;
    case OtlpEncoding::kJson:
      reply.content_type = kJsonType;
      reply.body = nlohmann::json{{"code", rpc_code}, {"message", message}}.dump();
      break;
    case OtlpEncoding::kUnsupported:
      reply.content_type = "text/plain";
      reply.body = std::to_string(http_status) + " " + message;
      break;
  }
  return reply;
}

HttpReply receive_traces(store::SpanStore& store, OtlpEncoding encoding, std::string_view body, ReceiveOutcome& outcome,
                         SpanMetrics* span_metrics) {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  if (encoding == OtlpEncoding::kProtobuf) {
    std::string logged;
    protobuf_log_capture = &logged;
    const bool parsed = body.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()) &&
                        request.ParseFromArray(body.data(), static_cast<int>(body.size()));
    protobuf_log_capture = nullptr;
    if (!parsed && !logged.empty())
      return otlp_status_reply(400, kRpcInvalidArgument, protobuf_parse_error(logged, outcome.invalid_utf8), encoding);
    if (!parsed)
      return otlp_status_reply(400, kRpcInvalidArgument,
                               "body: not a valid protobuf ExportTraceServiceRequest (truncated, wrong wire type, "
                               "or nested too deeply)",
                               encoding);
  } else if (encoding == OtlpEncoding::kJson) {
    auto parsed = parse_otlp_json(body, request);
    if (!parsed) return otlp_status_reply(400, kRpcInvalidArgument, parsed.error().message, encoding);
  } else {
    return otlp_unsupported_media_type();
  }

  auto stored = store.ingest(request);
  if (!stored) {
    for (const auto& rs : request.resource_spans())
      for (const auto& ss : rs.scope_spans()) outcome.failed_spans += static_cast<std::uint64_t>(ss.spans_size());
    HttpReply reply = otlp_status_reply(503, kRpcUnavailable, stored.error().message, encoding);
    reply.retry_after = "1";
    return reply;
  }
  outcome.accepted_spans = stored->accepted_spans;
  outcome.rejected_spans = stored->rejected_spans;
  outcome.duplicate_spans = stored->duplicate_spans;
  // A retried request whose spans are all stored already was counted the first time.
  const bool all_duplicates = stored->accepted_spans == 0 && stored->duplicate_spans > 0;
  if (span_metrics != nullptr && !all_duplicates) span_metrics->record(request);

  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
  if (stored->rejected_spans > 0) {
    response.mutable_partial_success()->set_rejected_spans(static_cast<std::int64_t>(stored->rejected_spans));
    response.mutable_partial_success()->set_error_message(stored->error_message);
  }
  HttpReply reply;
  if (encoding == OtlpEncoding::kProtobuf) {
    reply.content_type = kProtobufType;
    reply.body = response.SerializeAsString();
  } else {
    reply.content_type = kJsonType;
    nlohmann::json json = nlohmann::json::object();
    if (response.has_partial_success())
      json["partialSuccess"] = {{"rejectedSpans", std::to_string(stored->rejected_spans)},
                                {"errorMessage", stored->error_message}};
    reply.body = json.dump();
  }
  return reply;
}

}  // namespace frame_tracking::service
