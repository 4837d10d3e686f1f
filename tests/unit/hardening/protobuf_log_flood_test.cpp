// SPDX-License-Identifier: Apache-2.0
// Regression: an OTLP protobuf body with a non-UTF-8 string field made libprotobuf print one stderr line per request.
#include "../store/test_service.hpp"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <gtest/gtest.h>

#include <httplib.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace frame_tracking {
namespace {

/// A one-span request whose service.name value is "\xC3(MARK": a lead byte with no continuation byte.
std::string body_with_invalid_utf8() {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  auto* kv = rs->mutable_resource()->add_attributes();
  kv->set_key("service.name");
  kv->mutable_value()->set_string_value("MARKER");
  auto* span = rs->add_scope_spans()->add_spans();
  span->set_trace_id(std::string(16, '\x01'));
  span->set_span_id(std::string(8, '\x02'));
  span->set_name("op");
  // Serializing a non-UTF-8 string would itself log, so the bytes are replaced after serializing.
  std::string body = request.SerializeAsString();
  body.replace(body.find("MARKER"), 6, "\xC3(MARK");
  return body;
}

/// The value of an unlabelled counter line `name <value>` in a Prometheus text page, or -1.
long long counter(const std::string& page, const std::string& name) {
  auto at = page.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(page.substr(at + name.size() + 2));
}

TEST(ProtobufLogFlood, InvalidUtf8BodiesAreCountedNotLogged) {
  const auto dir = testing::fresh_test_dir("protobuf-log");
  auto service = store::Service::start(testing::loopback_service_options(dir));
  ASSERT_TRUE(service.has_value()) << service.error().message;

  constexpr int kRequests = 50;
  const std::string body = body_with_invalid_utf8();
  httplib::Client otlp("127.0.0.1", (*service)->otlp_port());
  ::testing::internal::CaptureStderr();
  int refused = 0;
  std::string last_reply;
  for (int i = 0; i < kRequests; ++i) {
    auto res = otlp.Post("/v1/traces", body, "application/x-protobuf");
    if (res && res->status == 400) ++refused;
    if (res) last_reply = res->body;
  }
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(refused, kRequests);
  // google.rpc.Status{code: 3 INVALID_ARGUMENT, message}.
  const std::string message =
      "body: string field 'opentelemetry.proto.common.v1.AnyValue.string_value' is not valid UTF-8 "
      "(protobuf strings must be UTF-8)";
  EXPECT_EQ(last_reply, std::string("\x08\x03\x12") + static_cast<char>(message.size()) + message);
  EXPECT_EQ(stderr_text, "");

  httplib::Client admin("127.0.0.1", (*service)->admin_port());
  auto metrics = admin.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(counter(metrics->body, "frame_tracking_service_requests_invalid_utf8_total"), kRequests);
  EXPECT_EQ(counter(metrics->body, "frame_tracking_service_requests_malformed_total"), kRequests);
  EXPECT_EQ(counter(metrics->body, "frame_tracking_service_spans_received_total"), 0);
  EXPECT_EQ((*service)->store().stats().span_count, 0u);
  service->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace frame_tracking
