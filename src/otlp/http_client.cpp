// SPDX-License-Identifier: Apache-2.0
// HttpClient: libcurl multi interface driving one easy handle, woken by curl_multi_wakeup on cancel.
#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace frame_tracking::otlp::detail {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct HttpClient::Impl {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string url;
  std::string user_agent;
  HttpResponse* current = nullptr;  // the response being filled by the callbacks
  bool oversized = false;
  char error_buffer[CURL_ERROR_SIZE] = {};

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    const size_t n = size * count;
    if (self->current->body.size() + n > kMaxResponseBytes) {
      self->oversized = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    self->current->body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    const size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {  // a new response (e.g. after 100 Continue): forget the old headers
      self->current->retry_after.clear();
      self->current->content_type.clear();
    } else if (iequals_prefix(line, "retry-after:")) {
      self->current->retry_after = std::string(trim(line.substr(12)));
    } else if (iequals_prefix(line, "content-type:")) {
      self->current->content_type = std::string(trim(line.substr(13)));
    }
    return n;
  }
};

HttpClient::HttpClient(std::string url, std::vector<std::string> header_lines, std::string user_agent)
    : impl_(new Impl) {
  global_init_once();
  impl_->url = std::move(url);
  impl_->user_agent = std::move(user_agent);
  impl_->multi = curl_multi_init();
  impl_->easy = curl_easy_init();
  for (const std::string& line : header_lines) impl_->headers = curl_slist_append(impl_->headers, line.c_str());
  // libcurl would send "Expect: 100-continue" for large bodies and wait for the interim answer.
  impl_->headers = curl_slist_append(impl_->headers, "Expect:");
  CURL* e = impl_->easy;
  if (e == nullptr) return;
  curl_easy_setopt(e, CURLOPT_URL, impl_->url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, impl_->headers);
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, impl_->user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, impl_);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, impl_);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, impl_->error_buffer);
}

HttpClient::~HttpClient() {
  if (impl_->easy != nullptr) curl_easy_cleanup(impl_->easy);
  if (impl_->multi != nullptr) curl_multi_cleanup(impl_->multi);
  curl_slist_free_all(impl_->headers);
  delete impl_;
}

void HttpClient::cancel() noexcept {
  cancelled_.store(true);
  if (impl_->multi != nullptr) curl_multi_wakeup(impl_->multi);
}

HttpResponse HttpClient::post(std::string_view body, std::chrono::steady_clock::time_point deadline) noexcept {
  HttpResponse response;
  if (cancelled_.load()) {
    response.outcome = HttpResponse::Outcome::kCancelled;
    return response;
  }
  if (impl_->multi == nullptr || impl_->easy == nullptr) {
    response.error = "libcurl could not be initialised";
    return response;
  }
  CURL* e = impl_->easy;
  impl_->current = &response;
  impl_->oversized = false;
  impl_->error_buffer[0] = '\0';
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_multi_add_handle(impl_->multi, e);

  CURLcode result = CURLE_OK;
  bool finished = false;
  while (!finished) {
    int running = 0;
    if (curl_multi_perform(impl_->multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) {
        result = msg->data.result;
        finished = true;
      }
    }
    if (finished) break;
    if (cancelled_.load()) {
      response.outcome = HttpResponse::Outcome::kCancelled;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      response.outcome = HttpResponse::Outcome::kTimedOut;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    curl_multi_poll(impl_->multi, nullptr, 0, static_cast<int>(std::min<std::int64_t>(left, 1000)), nullptr);
  }
  // Removing an unfinished transfer closes its connection; a finished one stays cached for reuse.
  curl_multi_remove_handle(impl_->multi, e);
  impl_->current = nullptr;
  if (!finished) return response;

  if (result == CURLE_OK) {
    response.outcome = HttpResponse::Outcome::kCompleted;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }
  response.outcome = HttpResponse::Outcome::kTransportError;
  response.retryable = is_retryable(result);
  if (impl_->oversized) {
    response.error = "response larger than 4 MiB";
  } else {
    response.error = impl_->error_buffer[0] != '\0' ? impl_->error_buffer : curl_easy_strerror(result);
  }
  return response;
}

}  // namespace frame_tracking::otlp::detail
