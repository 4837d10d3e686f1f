// SPDX-License-Identifier: Apache-2.0
// http_get: one blocking HTTP GET with libcurl.
#include "otlp/http_get.hpp"

#include <curl/curl.h>

#include <mutex>

namespace frame_tracking::cli {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpResponse http_get(const std::string& url, std::chrono::milliseconds timeout, const std::vector<std::string>& headers) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpResponse response;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    response.error = "curl_easy_init failed";
    return response;
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_slist* header_list = nullptr;
  for (const std::string& header : headers) {
    curl_slist* appended = curl_slist_append(header_list, header.c_str());
    if (appended == nullptr) {
      curl_slist_free_all(header_list);
      curl_easy_cleanup(curl);
      response.error = "curl_slist_append failed";
      return response;
    }
    header_list = appended;
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  const auto start = std::chrono::steady_clock::now();
  const CURLcode rc = curl_easy_perform(curl);
  response.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = curl_easy_strerror(rc);
    response.body.clear();
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(header_list);
  return response;
}

}  // namespace frame_tracking::cli
