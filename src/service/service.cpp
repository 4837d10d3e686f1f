// SPDX-License-Identifier: Apache-2.0
// Service: three cpp-httplib servers (OTLP receiver, Jaeger query API, admin) over one SpanStore.
#include "frame_tracking/store/service.hpp"

#include "forwarder.hpp"
#include "header_bounded_server.hpp"
#include "jaeger_json.hpp"
#include "jaeger_query.hpp"
#include "otlp_receiver.hpp"
#include "otlp_text.hpp"

#include "frame_tracking/utf8.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

namespace frame_tracking::store {
namespace {

using ordered_json = nlohmann::ordered_json;
using service::HttpReply;
using service::OtlpEncoding;

/// Request counts by server and status code, for /metrics.
class RequestCounters {
 public:
  void add(const std::string& server, int status) {
    std::lock_guard lock(mutex_);
    ++counts_[{server, status}];
  }
  std::map<std::pair<std::string, int>, std::uint64_t> snapshot() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> counts_;
};

/// Constant-time comparison, so the token cannot be guessed byte by byte from response times.
bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

std::string rfc3339_utc(std::int64_t unix_ns) {
  std::time_t seconds = static_cast<std::time_t>(unix_ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(unix_ns % 1'000'000'000));
  return buf;
}

}  // namespace

struct Service::Impl {
  ServiceOptions options;
  std::unique_ptr<SpanStore> store;
  std::unique_ptr<service::Forwarder> forwarder;
  service::SpanMetrics span_metrics;
  service::HeaderBoundedServer otlp, query, admin;
  int otlp_port = 0, query_port = 0, admin_port = 0;
  std::thread otlp_thread, query_thread, admin_thread;
  std::once_flag stopped;

  std::atomic<std::uint64_t> spans_received{0}, spans_accepted{0}, spans_rejected{0}, spans_duplicate{0}, spans_failed{0},
      requests_malformed{0}, requests_too_large{0}, requests_unauthorized{0}, requests_header_too_large{0}, requests_invalid_utf8{0};
  /// "Bearer " + options.auth_token, built once.
  std::string expected_authorization;
  RequestCounters requests;

  void log(const std::string& line) {
    if (options.log) {
      options.log(line);
    } else {
      std::fprintf(stdout, "%s\n", line.c_str());
      std::fflush(stdout);
    }
  }

  std::string header_too_large_message() const {
    return "431 request headers larger than " + std::to_string(options.max_header_bytes) + " bytes (--max-header-size)";
  }

  void configure(service::HeaderBoundedServer& server, const std::string& name, bool authenticated) {
    server.set_max_header_bytes(options.max_header_bytes);
    server.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(threads); };
    server.set_read_timeout(options.io_timeout);
    server.set_write_timeout(options.io_timeout);
    server.set_keep_alive_timeout(5);
    server.set_payload_max_length(options.max_body_bytes);
    // httplib's default also sets SO_REUSEPORT, which would let a second service share the port
    // silently; SO_REUSEADDR alone allows quick restarts and still reports a port in use.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
    });
    server.set_logger([this, name](const httplib::Request&, const httplib::Response& res) { requests.add(name, res.status); });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 500;
      res.set_content("500 internal error", "text/plain");
    });
    // cpp-httplib's own refusals (request line or a header line too long, unparsable request)
    // come without a body; say which rule applies. Headers cut off by HeaderBoundedServer get 431.
    server.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (service::HeaderBoundedServer::header_limit_hit()) {
        ++requests_header_too_large;
        res.status = 431;
        res.set_header("Connection", "close");
        res.set_content(header_too_large_message(), "text/plain");
      } else if (res.status == 414) {
        res.set_content("414 request line longer than 8192 bytes", "text/plain");
      } else if (res.status == 400) {
        res.set_content("400 malformed request line or header (each line at most 8192 bytes)", "text/plain");
      } else {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    const bool check_token = authenticated && !options.auth_token.empty();
    server.set_pre_routing_handler([this, check_token](const httplib::Request& req, httplib::Response& res) {
      std::size_t header_bytes = 0;
      for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size() + 4;
      if (header_bytes > options.max_header_bytes) {
        ++requests_header_too_large;
        res.status = 431;
        res.set_header("Connection", "close");
        res.set_content(header_too_large_message(), "text/plain");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (!check_token || constant_time_equal(req.get_header_value("Authorization"), expected_authorization))
        return httplib::Server::HandlerResponse::Unhandled;
      ++requests_unauthorized;
      res.status = 401;
      res.set_header("WWW-Authenticate", "Bearer");
      res.set_content("401 unauthorized: send 'Authorization: Bearer <token>' (--auth-token)", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  static void reply(httplib::Response& res, const HttpReply& r) {
    res.status = r.status;
    if (!r.retry_after.empty()) res.set_header("Retry-After", r.retry_after);
    res.set_content(r.body, r.content_type.c_str());
  }

  // ---- OTLP receiver ----

  void setup_otlp() {
    configure(otlp, "otlp", true);
    otlp.Post("/v1/traces", [this](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& content_reader) {
      OtlpEncoding encoding = service::otlp_encoding(req.get_header_value("Content-Type"));
      auto too_large_reply = [&] {
        ++requests_too_large;
        res.set_header("Connection", "close");
        reply(res, service::otlp_status_reply(
                       413, 8, "body: larger than " + std::to_string(options.max_body_bytes) +
                                   " bytes after decompression (--max-body-size)", encoding));
      };
      if (req.has_header("Content-Length") &&
          std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > options.max_body_bytes)
        return too_large_reply();
      std::string body;
      bool too_large = false;
      bool complete = content_reader([&](const char* data, std::size_t size) {
        // The limit applies after decompression (a small gzip body can expand a lot).
        if (body.size() + size > options.max_body_bytes) {
          too_large = true;
          return false;
        }
        if (encoding != OtlpEncoding::kUnsupported) body.append(data, size);
        return true;
      });
      if (encoding == OtlpEncoding::kUnsupported) return reply(res, service::otlp_unsupported_media_type());
      if (too_large) return too_large_reply();
      if (!complete) {
        ++requests_malformed;
        return reply(res, service::otlp_status_reply(400, 3, "body: could not be read or decompressed", encoding));
      }
      service::ReceiveOutcome outcome;
      HttpReply r = service::receive_traces(*store, encoding, body, outcome, &span_metrics);
      if (r.status == 400) ++requests_malformed;
      if (outcome.invalid_utf8) ++requests_invalid_utf8;
      spans_received +=
          outcome.accepted_spans + outcome.rejected_spans + outcome.duplicate_spans + outcome.failed_spans;
      spans_accepted += outcome.accepted_spans;
      spans_rejected += outcome.rejected_spans;
      spans_duplicate += outcome.duplicate_spans;
      spans_failed += outcome.failed_spans;
      if (r.status == 200 && forwarder && outcome.accepted_spans > 0)
        forwarder->enqueue(req.get_header_value("Content-Type"), std::move(body));
      reply(res, r);
    });
    auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
      reply(res, service::otlp_method_not_allowed());
    };
    otlp.Get("/v1/traces", not_allowed);
    otlp.Put("/v1/traces", not_allowed);
    otlp.Delete("/v1/traces", not_allowed);
    otlp.Patch("/v1/traces", not_allowed);
    otlp.Options("/v1/traces", not_allowed);
  }

  // ---- Jaeger query API ----

  static void jaeger_ok(const httplib::Request& req, httplib::Response& res, ordered_json data, std::size_t total,
                        ordered_json errors = nullptr) {
    ordered_json envelope;
    envelope["data"] = std::move(data);
    envelope["total"] = total;
    envelope["limit"] = 0;
    envelope["offset"] = 0;
    envelope["errors"] = std::move(errors);
    bool pretty = req.get_param_value("prettyPrint") == "true";
    res.status = 200;
    res.set_content(envelope.dump(pretty ? 4 : -1), "application/json");
  }

  /// Jaeger's handleError: the envelope with one error, as text/plain with a trailing newline.
  static void jaeger_error(httplib::Response& res, int status, const std::string& message) {
    ordered_json envelope;
    envelope["data"] = nullptr;
    envelope["total"] = 0;
    envelope["limit"] = 0;
    envelope["offset"] = 0;
    // Messages may quote request text (a trace id): invalid UTF-8 becomes U+FFFD so dump() cannot throw.
    envelope["errors"] = ordered_json::array({ordered_json{{"code", status}, {"msg", sanitize_utf8(message)}}});
    res.status = status;
    res.set_content(envelope.dump() + "\n", "text/plain; charset=utf-8");
  }

  void setup_query() {
    configure(query, "query", true);
    query.Get("/api/services", [this](const httplib::Request& req, httplib::Response& res) {
      auto names = store->services();
      if (!names) return jaeger_error(res, 500, names.error().message);
      jaeger_ok(req, res, *names, names->size());
    });
    query.Get(R"(/api/services/(.+)/operations)", [this](const httplib::Request& req, httplib::Response& res) {
      auto operations = store->operations(req.matches[1]);
      if (!operations) return jaeger_error(res, 500, operations.error().message);
      auto names = ordered_json::array();
      for (const auto& op : *operations)
        if (names.empty() || names.back() != op.name) names.push_back(op.name);
      jaeger_ok(req, res, names, names.size());
    });
    query.Get("/api/operations", [this](const httplib::Request& req, httplib::Response& res) {
      std::string service_name = req.get_param_value("service");
      if (service_name.empty()) return jaeger_error(res, 400, "parameter 'service' is required");
      std::optional<int> kind;
      if (std::string wanted = req.get_param_value("spanKind"); !wanted.empty()) {
        for (int k = 0; k <= 5; ++k)
          if (store::detail::jaeger_span_kind(k) == wanted) kind = k;
        if (!kind) return jaeger_ok(req, res, ordered_json::array(), 0);
      }
      auto operations = store->operations(service_name, kind);
      if (!operations) return jaeger_error(res, 500, operations.error().message);
      auto data = ordered_json::array();
      for (const auto& op : *operations)
        data.push_back(ordered_json{{"name", op.name}, {"spanKind", std::string(store::detail::jaeger_span_kind(op.kind))}});
      jaeger_ok(req, res, data, data.size());
    });
    query.Get("/api/traces", [this](const httplib::Request& req, httplib::Response& res) {
      auto parsed = service::parse_search_params(req.params, options.store.clock(), options.max_search_traces);
      if (!parsed) return jaeger_error(res, 400, parsed.error().message);
      auto data = ordered_json::array();
      if (!parsed->trace_ids.empty()) {
        ordered_json errors = nullptr;
        for (const auto& text : parsed->trace_ids) {
          auto id = service::parse_trace_id_param(text);
          if (!id) return jaeger_error(res, 400, "unable to parse param 'traceID': invalid trace id '" + text + "'");
          auto trace = store->find_trace(*id);
          if (!trace) return jaeger_error(res, 500, trace.error().message);
          if (trace->has_value()) {
            data.push_back(service::jaeger_trace(**trace));
          } else {
            if (errors.is_null()) errors = ordered_json::array();
            errors.push_back(ordered_json{{"msg", "trace not found"}, {"traceID", text}});
          }
        }
        return jaeger_ok(req, res, std::move(data), 0, std::move(errors));
      }
      auto traces = store->search(parsed->query);
      if (!traces) return jaeger_error(res, 500, traces.error().message);
      for (const auto& trace : *traces) data.push_back(service::jaeger_trace(trace));
      jaeger_ok(req, res, std::move(data), 0);
    });
    query.Get(R"(/api/traces/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      // start/end are accepted and ignored: a trace (or a frame, by FrameId) is found without a window.
      auto id = service::parse_trace_id_param(req.matches[1].str());
      if (!id) return jaeger_error(res, 400, "malformed trace id '" + req.matches[1].str() +
                                                 "': expected up to 32 hex digits or a FrameId (8-4-4-4-12)");
      auto trace = store->find_trace(*id);
      if (!trace) return jaeger_error(res, 500, trace.error().message);
      if (!trace->has_value()) return jaeger_error(res, 404, "trace not found");
      jaeger_ok(req, res, ordered_json::array({service::jaeger_trace(**trace)}), 0);
    });
    query.Get("/api/dependencies", [](const httplib::Request& req, httplib::Response& res) {
      // Service dependency links are not computed yet: an empty graph, never an error.
      jaeger_ok(req, res, ordered_json::array(), 0);
    });
  }

  // ---- admin ----

  ordered_json health() {
    StoreStats stats = store->stats();
    ordered_json out;
    out["status"] = "ok";
    out["store"] = ordered_json{{"path", stats.path.string()},
                                {"file_bytes", stats.file_bytes},
                                {"used_bytes", stats.used_bytes},
                                {"max_bytes", options.store.max_store_bytes},
                                {"retention_seconds", std::chrono::duration_cast<std::chrono::seconds>(options.store.retention).count()}};
    out["spans"] = stats.span_count;
    out["traces"] = stats.trace_count;
    out["oldest_trace_start"] =
        stats.oldest_trace_start_ns ? ordered_json(rfc3339_utc(*stats.oldest_trace_start_ns)) : ordered_json(nullptr);
    out["counters"] = ordered_json{{"spans_received", spans_received.load()},
                                   {"spans_ingested", spans_accepted.load()},
                                   {"spans_rejected", spans_rejected.load()},
                                   {"spans_duplicate", spans_duplicate.load()},
                                   {"spans_dropped", spans_failed.load()},
                                   {"requests_malformed", requests_malformed.load()},
                                   {"requests_too_large", requests_too_large.load()},
                                   {"requests_unauthorized", requests_unauthorized.load()},
                                   {"requests_header_too_large", requests_header_too_large.load()},
                                   {"requests_invalid_utf8", requests_invalid_utf8.load()},
                                   {"traces_expired", stats.expired_traces},
                                   {"traces_evicted", stats.evicted_traces}};
    if (forwarder)
      out["forward"] = ordered_json{{"url", options.forward_url},
                                    {"forwarded", forwarder->forwarded()},
                                    {"failed", forwarder->failed()},
                                    {"dropped", forwarder->dropped()},
                                    {"retries", forwarder->retries()}};
    out["ports"] = ordered_json{{"otlp", otlp_port}, {"query", query_port}, {"admin", admin_port}};
    return out;
  }

  std::string metrics() {
    StoreStats stats = store->stats();
    std::string out;
    auto metric = [&](const char* name, const char* type, const char* help, std::uint64_t value) {
      out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
             std::to_string(value) + "\n";
    };
    metric("frame_tracking_service_spans_received_total", "counter", "Spans in OTLP requests received.", spans_received);
    metric("frame_tracking_service_spans_ingested_total", "counter", "Spans committed to the store.", spans_accepted);
    metric("frame_tracking_service_spans_rejected_total", "counter", "Spans refused for breaking a rule (partial success).",
           spans_rejected);
    metric("frame_tracking_service_spans_duplicate_total", "counter",
           "Spans not stored again: their trace id and span id were stored already (an exporter's retry).",
           spans_duplicate);
    metric("frame_tracking_service_spans_dropped_total", "counter", "Spans of requests the store failed to commit (503).",
           spans_failed);
    metric("frame_tracking_service_requests_malformed_total", "counter", "OTLP requests refused as undecodable (400).",
           requests_malformed);
    metric("frame_tracking_service_requests_invalid_utf8_total", "counter",
           "OTLP protobuf requests refused (400, also in requests_malformed) for a string field that is not UTF-8.",
           requests_invalid_utf8);
    metric("frame_tracking_service_requests_too_large_total", "counter", "OTLP requests refused as too large (413).",
           requests_too_large);
    metric("frame_tracking_service_requests_unauthorized_total", "counter", "Requests refused for a missing or wrong token.",
           requests_unauthorized);
    metric("frame_tracking_service_requests_header_too_large_total", "counter",
           "Requests refused for headers larger than --max-header-size (431).", requests_header_too_large);
    out += "# HELP frame_tracking_service_requests_total HTTP requests answered, by server and status code.\n"
           "# TYPE frame_tracking_service_requests_total counter\n";
    for (const auto& [key, count] : requests.snapshot())
      out += "frame_tracking_service_requests_total{server=\"" + key.first + "\",code=\"" + std::to_string(key.second) +
             "\"} " + std::to_string(count) + "\n";
    metric("frame_tracking_store_size_bytes", "gauge", "Database and WAL file size on disk.", stats.file_bytes);
    metric("frame_tracking_store_used_bytes", "gauge", "Database pages in use (what --max-store-size limits).",
           stats.used_bytes);
    metric("frame_tracking_store_spans", "gauge", "Spans stored.", stats.span_count);
    metric("frame_tracking_store_traces", "gauge", "Traces stored.", stats.trace_count);
    metric("frame_tracking_store_traces_expired_total", "counter", "Traces deleted by --retention.", stats.expired_traces);
    metric("frame_tracking_store_traces_evicted_total", "counter", "Traces deleted by --max-store-size.",
           stats.evicted_traces);
    if (forwarder) {
      metric("frame_tracking_forward_requests_total", "counter", "Requests forwarded upstream.", forwarder->forwarded());
      metric("frame_tracking_forward_failures_total", "counter", "Requests that failed upstream after retries.",
             forwarder->failed());
      metric("frame_tracking_forward_dropped_total", "counter", "Requests dropped because the forward queue was full.",
             forwarder->dropped());
    }
    span_metrics.write(out);
    return out;
  }

  void setup_admin() {
    configure(admin, "admin", false);
    admin.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(health().dump(), "application/json");
    });
    admin.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics(), "text/plain; version=0.0.4; charset=utf-8");
    });
  }

  std::optional<Error> bind(service::HeaderBoundedServer& server, int wanted, int& bound, const char* flag) {
    bound = wanted == 0 ? server.bind_to_any_port(options.listen) : (server.bind_to_port(options.listen, wanted) ? wanted : -1);
    if (bound <= 0)
      return Error{ErrorCode::kInvalidInput, std::string("cannot listen on ") + options.listen + ":" + std::to_string(wanted) +
                                                 " (" + flag + "): address in use or not available"};
    return std::nullopt;
  }
};

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() { stop(); }

Result<std::unique_ptr<Service>> Service::start(ServiceOptions options) {
  service::install_protobuf_log_capture();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->expected_authorization = "Bearer " + impl->options.auth_token;
  auto store = SpanStore::open(impl->options.store);
  if (!store) return store.error();
  impl->store = std::move(*store);
  if (!impl->options.forward_url.empty()) {
    auto forwarder = service::Forwarder::create(impl->options.forward_url);
    if (!forwarder) return forwarder.error();
    impl->forwarder = std::move(*forwarder);
  }
  impl->setup_otlp();
  impl->setup_query();
  impl->setup_admin();
  if (auto e = impl->bind(impl->otlp, impl->options.otlp_port, impl->otlp_port, "--otlp-port")) return *e;
  if (auto e = impl->bind(impl->query, impl->options.query_port, impl->query_port, "--query-port")) return *e;
  if (auto e = impl->bind(impl->admin, impl->options.admin_port, impl->admin_port, "--admin-port")) return *e;
  Impl* raw = impl.get();
  impl->otlp_thread = std::thread([raw] { raw->otlp.listen_after_bind(); });
  impl->query_thread = std::thread([raw] { raw->query.listen_after_bind(); });
  impl->admin_thread = std::thread([raw] { raw->admin.listen_after_bind(); });
  // cpp-httplib's stop() does nothing until listen_after_bind() has started its loop, so a stop right
  // after start (a SIGTERM during start-up) would leave a thread listening forever: return only once
  // all three loops run (bounded: a loop that ended at once leaves its port closed, and stop() still works).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!(raw->otlp.is_running() && raw->query.is_running() && raw->admin.is_running()) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string& host = impl->options.listen;
  impl->log("otlp listening on " + host + ":" + std::to_string(impl->otlp_port));
  impl->log("query listening on " + host + ":" + std::to_string(impl->query_port));
  impl->log("admin listening on " + host + ":" + std::to_string(impl->admin_port));
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

int Service::otlp_port() const noexcept { return impl_->otlp_port; }
int Service::query_port() const noexcept { return impl_->query_port; }
int Service::admin_port() const noexcept { return impl_->admin_port; }
SpanStore& Service::store() noexcept { return *impl_->store; }

void Service::stop() {
  std::call_once(impl_->stopped, [this] {
    for (auto* server : {&impl_->otlp, &impl_->query, &impl_->admin}) server->stop();
    for (auto* thread : {&impl_->otlp_thread, &impl_->query_thread, &impl_->admin_thread})
      if (thread->joinable()) thread->join();
    impl_->forwarder.reset();
    impl_->store->close();
  });
}

}  // namespace frame_tracking::store
