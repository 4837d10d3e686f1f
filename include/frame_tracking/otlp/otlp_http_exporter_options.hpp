// SPDX-License-Identifier: Apache-2.0
// Options of the OTLP/HTTP span exporter and how they are read from the OTEL_EXPORTER_OTLP_* variables.
// Spec: https://opentelemetry.io/docs/specs/otel/protocol/exporter/
#pragma once

#include "frame_tracking/environment.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace frame_tracking::otlp {

/// The request body encoding (OTEL_EXPORTER_OTLP_PROTOCOL).
enum class OtlpProtocol : std::uint8_t {
  kHttpProtobuf,  ///< "http/protobuf": `Content-Type: application/x-protobuf`
  kHttpJson,      ///< "http/json": `Content-Type: application/json`, OTLP JSON rules
};

/// The request body compression (OTEL_EXPORTER_OTLP_COMPRESSION).
enum class OtlpCompression : std::uint8_t {
  kNone,  ///< "none"
  kGzip,  ///< "gzip": body gzip-compressed at zlib level 1 (fastest), `Content-Encoding: gzip`
};

/// Everything the OTLP/HTTP exporter needs. Value type. The defaults are the spec's defaults;
/// the retry settings are frame-tracking's (they match opentelemetry-cpp's).
struct OtlpHttpExporterOptions {
  /// Full URL the batches are POSTed to (http:// or https://).
  std::string endpoint = "http://localhost:4318/v1/traces";
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  /// Extra request headers, in order (e.g. {"api-key", "secret"}).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Upper bound of one export_batch call, retries and back-off included. 0 = no limit.
  std::chrono::milliseconds timeout{10000};
  OtlpCompression compression = OtlpCompression::kNone;
  /// Retries of transient failures (HTTP 429/502/503/504, connection errors): at most
  /// `max_attempts` requests per batch; the n-th back-off is initial·multiplierⁿ⁻¹ capped at
  /// `max_backoff`, with jitter drawn uniformly from [50 %, 100 %] of it. A `Retry-After` header
  /// replaces the computed back-off.
  std::uint32_t max_attempts = 5;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double backoff_multiplier = 1.5;

  /// Reads the OTEL_EXPORTER_OTLP_{,TRACES_}{ENDPOINT,PROTOCOL,HEADERS,TIMEOUT,COMPRESSION}
  /// variables through `env`; each `_TRACES_` variable wins over its generic one, empty means unset.
  /// ENDPOINT: the `_TRACES_` URL is used as-is (an empty path becomes "/"); the generic one is a
  /// base URL that gets "/v1/traces" appended (one '/' between). PROTOCOL: "http/protobuf" or
  /// "http/json", case-insensitive. HEADERS: `k1=v1,k2=v2`, OWS trimmed, keys and values
  /// percent-decoded; keys must be HTTP tokens, values must not hold CR, LF or NUL. TIMEOUT:
  /// integer milliseconds ≥ 0. COMPRESSION: "gzip" or "none", case-insensitive.
  /// Errors: a bad value is reported once through log_diagnostic(kWarning) with a message naming
  /// the variable and the rule, and the default is used (a bad HEADERS variable is discarded whole).
  /// Never throws on bad values.
  static OtlpHttpExporterOptions from_env(const EnvLookup& env);
  /// from_env(process_environment()).
  static OtlpHttpExporterOptions from_env();
};

}  // namespace frame_tracking::otlp
