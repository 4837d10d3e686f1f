// SPDX-License-Identifier: Apache-2.0
// http_get: one blocking HTTP GET with libcurl, for the CLI tools that read the service's HTTP APIs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace frame_tracking::cli {

/// The outcome of one GET. `error` is empty when a response arrived (whatever its status);
/// otherwise it holds libcurl's reason ("Couldn't connect to server", ...) and `status` is 0.
struct HttpResponse {
  long status = 0;
  std::string body;
  std::string error;
  /// Wall time from the request's start to the last body byte.
  std::chrono::microseconds elapsed{0};
};

/// GETs `url` (http:// or https://) with the extra request `headers` (each "Name: value", e.g.
/// "Authorization: Bearer <token>") and returns the status and body. Never throws; thread-safe
/// (one libcurl easy handle per call; libcurl's global init runs once).
HttpResponse http_get(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      const std::vector<std::string>& headers = {});

}  // namespace frame_tracking::cli
