// SPDX-License-Identifier: Apache-2.0
// TracingConfig tests: every supported OTEL_* variable, valid and invalid, with the exact warning text.
#include "frame_tracking/config.hpp"

#include "frame_tracking/in_memory_span_exporter.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

namespace frame_tracking {
namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

TracingConfig config_of(Vars vars) { return TracingConfig::from_env(fixed_environment(std::move(vars))); }

std::string string_attr(const Resource& r, std::string_view key) {
  const AttributeValue* v = r.find(key);
  return v != nullptr && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<absent>";
}

TEST(ConfigTest, DefaultsWithAnEmptyEnvironment) {
  TracingConfig c = config_of({});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_FALSE(c.sdk_disabled);
  EXPECT_EQ(c.sampler, SamplerKind::kParentBasedAlwaysOn);
  EXPECT_EQ(c.sampler_ratio, 1.0);
  EXPECT_EQ(c.batch.schedule_delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.batch.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.batch.max_export_batch_size, 512u);
  EXPECT_EQ(c.limits, SpanLimits{});
  EXPECT_EQ(c.exporters, std::vector<std::string>{"otlp"});
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_EQ(c.make_sampler()->description(),
            "ParentBased{root=AlwaysOnSampler,remoteParentSampled=AlwaysOnSampler,remoteParentNotSampled="
            "AlwaysOffSampler,localParentSampled=AlwaysOnSampler,localParentNotSampled=AlwaysOffSampler}");
}

TEST(ConfigTest, ValidValuesAreApplied) {
  TracingConfig c = config_of({{"OTEL_SDK_DISABLED", "TRUE"},
                               {"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                               {"OTEL_TRACES_SAMPLER_ARG", "0.25"},
                               {"OTEL_BSP_SCHEDULE_DELAY", "100"},
                               {"OTEL_BSP_EXPORT_TIMEOUT", "0"},
                               {"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
                               {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"},
                               {"OTEL_ATTRIBUTE_COUNT_LIMIT", "5"},
                               {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "50"},
                               {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "40"},
                               {"OTEL_SPAN_EVENT_COUNT_LIMIT", "3"},
                               {"OTEL_SPAN_LINK_COUNT_LIMIT", "2"},
                               {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "1"},
                               {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "0"},
                               {"OTEL_TRACES_EXPORTER", " Console , otlp,console"},
                               {"OTEL_LOG_LEVEL", "WARN"}});
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_TRUE(c.sdk_disabled);
  EXPECT_EQ(c.sampler, SamplerKind::kParentBasedTraceIdRatio);
  EXPECT_EQ(c.sampler_ratio, 0.25);
  EXPECT_EQ(c.batch.schedule_delay, std::chrono::milliseconds(100));
  EXPECT_EQ(c.batch.export_timeout, std::chrono::milliseconds(0));
  EXPECT_EQ(c.batch.max_queue_size, 100u);
  EXPECT_EQ(c.batch.max_export_batch_size, 10u);
  EXPECT_EQ(c.limits, (SpanLimits{5, 40, 3, 2, 1, 0}));
  EXPECT_EQ(c.exporters, (std::vector<std::string>{"console", "otlp"}));
  EXPECT_EQ(c.log_level, LogLevel::kWarning);
  EXPECT_EQ(c.make_sampler()->description().substr(0, 40), "ParentBased{root=TraceIdRatioBased{0.250");
}

TEST(ConfigTest, SpanSpecificAttributeCountWins) {
  TracingConfig c = config_of({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "5"}, {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "7"}});
  EXPECT_EQ(c.limits.attribute_count, 7u);
  EXPECT_EQ(c.limits.attribute_value_length, 0u);
}

TEST(ConfigTest, EmptyValuesCountAsUnset) {
  TracingConfig c = config_of({{"OTEL_SDK_DISABLED", ""}, {"OTEL_BSP_MAX_QUEUE_SIZE", " "}, {"OTEL_TRACES_EXPORTER", ""}});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.exporters, std::vector<std::string>{"otlp"});
}

struct BadValue {
  std::string name;
  std::string value;
  std::string warning;
};

void PrintTo(const BadValue& bad, std::ostream* os) { *os << bad.name << "=\"" << bad.value << '"'; }

class ConfigBadValueTest : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigBadValueTest, OneWarningThenTheDefault) {
  const BadValue& p = GetParam();
  TracingConfig c = config_of({{p.name, p.value}});
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0], p.warning);
  TracingConfig d = config_of({});
  EXPECT_EQ(c.sdk_disabled, d.sdk_disabled);
  EXPECT_EQ(c.sampler, d.sampler);
  EXPECT_EQ(c.sampler_ratio, d.sampler_ratio);
  EXPECT_EQ(c.batch.schedule_delay, d.batch.schedule_delay);
  EXPECT_EQ(c.batch.export_timeout, d.batch.export_timeout);
  EXPECT_EQ(c.batch.max_queue_size, d.batch.max_queue_size);
  EXPECT_EQ(c.batch.max_export_batch_size, d.batch.max_export_batch_size);
  EXPECT_EQ(c.limits, d.limits);
  EXPECT_EQ(c.log_level, d.log_level);
}

INSTANTIATE_TEST_SUITE_P(
    EveryVariable, ConfigBadValueTest,
    ::testing::Values(
        BadValue{"OTEL_SDK_DISABLED", "yes", "OTEL_SDK_DISABLED=\"yes\" is not true or false; using the default false"},
        BadValue{"OTEL_TRACES_SAMPLER", "sometimes",
                 "OTEL_TRACES_SAMPLER=\"sometimes\" is not a known sampler; using the default parentbased_always_on"},
        BadValue{"OTEL_TRACES_SAMPLER", "jaeger_remote",
                 "OTEL_TRACES_SAMPLER=\"jaeger_remote\" is not supported by this SDK; using the default "
                 "parentbased_always_on"},
        BadValue{"OTEL_BSP_SCHEDULE_DELAY", "5s",
                 "OTEL_BSP_SCHEDULE_DELAY=\"5s\" is not a non-negative integer number of milliseconds; using the "
                 "default 5000"},
        BadValue{"OTEL_BSP_SCHEDULE_DELAY", "-1",
                 "OTEL_BSP_SCHEDULE_DELAY=\"-1\" is not a non-negative integer number of milliseconds; using the "
                 "default 5000"},
        BadValue{"OTEL_BSP_EXPORT_TIMEOUT", "1.5",
                 "OTEL_BSP_EXPORT_TIMEOUT=\"1.5\" is not a non-negative integer number of milliseconds; using the "
                 "default 30000"},
        BadValue{"OTEL_BSP_MAX_QUEUE_SIZE", "0",
                 "OTEL_BSP_MAX_QUEUE_SIZE=\"0\" is not a positive integer; using the default 2048"},
        BadValue{"OTEL_BSP_MAX_QUEUE_SIZE", "abc",
                 "OTEL_BSP_MAX_QUEUE_SIZE=\"abc\" is not a positive integer; using the default 2048"},
        BadValue{"OTEL_BSP_MAX_QUEUE_SIZE", "2147483648",
                 "OTEL_BSP_MAX_QUEUE_SIZE=\"2147483648\" is not a positive integer; using the default 2048"},
        BadValue{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "-3",
                 "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=\"-3\" is not a positive integer; using the default 512"},
        BadValue{"OTEL_ATTRIBUTE_COUNT_LIMIT", "many",
                 "OTEL_ATTRIBUTE_COUNT_LIMIT=\"many\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "1e3",
                 "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=\"1e3\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "0",
                 "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=\"0\" is not a positive integer; using the default (no limit)"},
        BadValue{"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "x",
                 "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT=\"x\" is not a positive integer; using the default (no "
                 "limit)"},
        BadValue{"OTEL_SPAN_EVENT_COUNT_LIMIT", "-1",
                 "OTEL_SPAN_EVENT_COUNT_LIMIT=\"-1\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_SPAN_LINK_COUNT_LIMIT", "+2",
                 "OTEL_SPAN_LINK_COUNT_LIMIT=\"+2\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "0x10",
                 "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT=\"0x10\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "ten",
                 "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT=\"ten\" is not a non-negative integer; using the default 128"},
        BadValue{"OTEL_LOG_LEVEL", "loud",
                 "OTEL_LOG_LEVEL=\"loud\" is not one of debug, info, warn, error, none; using the default info"},
        BadValue{"OTEL_RESOURCE_ATTRIBUTES", "a=1,b",
                 "OTEL_RESOURCE_ATTRIBUTES=\"a=1,b\" is malformed (member 2 has no '='); ignoring the whole variable"},
        BadValue{"OTEL_RESOURCE_ATTRIBUTES", "a=%zz",
                 "OTEL_RESOURCE_ATTRIBUTES=\"a=%zz\" is malformed (member 1 has an invalid percent-encoding); "
                 "ignoring the whole variable"},
        BadValue{"OTEL_CONFIG_FILE", "/etc/otel.yaml",
                 "OTEL_CONFIG_FILE=\"/etc/otel.yaml\" is not supported (declarative configuration); using the "
                 "environment variables"}),
    // Test names from the variable and the case's index (gtest's default would print the object's bytes).
    [](const ::testing::TestParamInfo<BadValue>& info) { return info.param.name + "_" + std::to_string(info.index); });

TEST(ConfigTest, SamplerArgumentIsCheckedForRatioSamplersOnly) {
  TracingConfig bad = config_of({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "1.5"}});
  ASSERT_EQ(bad.warnings.size(), 1u);
  EXPECT_EQ(bad.warnings[0], "OTEL_TRACES_SAMPLER_ARG=\"1.5\" is not a ratio in [0, 1]; using the default 1.0");
  EXPECT_EQ(bad.sampler, SamplerKind::kTraceIdRatio);
  EXPECT_EQ(bad.sampler_ratio, 1.0);
  TracingConfig nan = config_of({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "nan"}});
  ASSERT_EQ(nan.warnings.size(), 1u);
  TracingConfig ignored = config_of({{"OTEL_TRACES_SAMPLER", "always_off"}, {"OTEL_TRACES_SAMPLER_ARG", "junk"}});
  EXPECT_TRUE(ignored.warnings.empty());
  EXPECT_EQ(ignored.make_sampler()->description(), "AlwaysOffSampler");
  TracingConfig ok = config_of({{"OTEL_TRACES_SAMPLER", "TraceIdRatio"}, {"OTEL_TRACES_SAMPLER_ARG", "0"}});
  EXPECT_TRUE(ok.warnings.empty());
  EXPECT_EQ(ok.make_sampler()->description(), "TraceIdRatioBased{0.000000}");
}

TEST(ConfigTest, BatchSizeLargerThanQueueIsClamped) {
  TracingConfig c = config_of({{"OTEL_BSP_MAX_QUEUE_SIZE", "100"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "200"}});
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=\"200\" is larger than OTEL_BSP_MAX_QUEUE_SIZE; using the queue size 100");
  EXPECT_EQ(c.batch.max_export_batch_size, 100u);
  TracingConfig small = config_of({{"OTEL_BSP_MAX_QUEUE_SIZE", "100"}});
  EXPECT_TRUE(small.warnings.empty());
  EXPECT_EQ(small.batch.max_export_batch_size, 100u);
}

TEST(ConfigTest, SpanAttributeCountFallsBackToTheGenericValue) {
  TracingConfig c = config_of({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "5"}, {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "x"}});
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=\"x\" is not a non-negative integer; using OTEL_ATTRIBUTE_COUNT_LIMIT's 5");
  EXPECT_EQ(c.limits.attribute_count, 5u);
}

TEST(ConfigTest, ExporterList) {
  TracingConfig none = config_of({{"OTEL_TRACES_EXPORTER", "none"}});
  EXPECT_TRUE(none.warnings.empty());
  EXPECT_TRUE(none.exporters.empty());
  TracingConfig logging = config_of({{"OTEL_TRACES_EXPORTER", "logging"}});
  EXPECT_EQ(logging.exporters, std::vector<std::string>{"console"});
  TracingConfig bad = config_of({{"OTEL_TRACES_EXPORTER", "zipkin,console,jaeger"}});
  ASSERT_EQ(bad.warnings.size(), 1u);
  EXPECT_EQ(bad.warnings[0],
            "OTEL_TRACES_EXPORTER=\"zipkin,console,jaeger\" names unsupported exporters (zipkin, jaeger); using console");
  EXPECT_EQ(bad.exporters, std::vector<std::string>{"console"});
  TracingConfig only_bad = config_of({{"OTEL_TRACES_EXPORTER", "zipkin"}});
  ASSERT_EQ(only_bad.warnings.size(), 1u);
  EXPECT_EQ(only_bad.warnings[0], "OTEL_TRACES_EXPORTER=\"zipkin\" names unsupported exporters (zipkin); using none");
}

TEST(ConfigTest, ResourceFromTheEnvironment) {
  TracingConfig c = config_of({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment=prod%2Cx, team = a%3Db "},
                               {"OTEL_SERVICE_NAME", "capture"}});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(string_attr(c.resource, "service.name"), "capture");
  EXPECT_EQ(string_attr(c.resource, "deployment.environment"), "prod,x");
  EXPECT_EQ(string_attr(c.resource, "team"), "a=b");
  EXPECT_EQ(string_attr(c.resource, "telemetry.sdk.name"), "frame-tracking");
  EXPECT_EQ(string_attr(c.resource, "telemetry.sdk.language"), "cpp");
  EXPECT_EQ(std::get<std::int64_t>(*c.resource.find("process.pid")), static_cast<std::int64_t>(getpid()));
  EXPECT_EQ(string_attr(c.resource, "service.instance.id").size(), 36u);
  EXPECT_EQ(c.resource.attributes()[0].key, "service.name");

  TracingConfig from_attrs = config_of({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"}});
  EXPECT_EQ(string_attr(from_attrs.resource, "service.name"), "from-attrs");
  TracingConfig unknown = config_of({});
  EXPECT_EQ(string_attr(unknown.resource, "service.name").rfind("unknown_service:", 0), 0u);
  TracingConfig overridden =
      TracingConfig::from_env(fixed_environment({{"OTEL_SERVICE_NAME", "env"}}), {{"service.name", std::string("code")}});
  EXPECT_EQ(string_attr(overridden.resource, "service.name"), "code");
}

TEST(ConfigTest, ProviderFromEnvironment) {
  auto store = std::make_shared<InMemorySpanStore>();
  std::map<std::string, SpanExporterFactory> factories{
      {"otlp", [store](const EnvLookup&) { return std::make_unique<InMemorySpanExporter>(store); }}};
  std::vector<std::string> logged;
  set_log_handler([&logged](LogLevel, std::string_view m) { logged.emplace_back(m); });
  {
    auto provider = create_tracer_provider_from_env(
        fixed_environment({{"OTEL_TRACES_SAMPLER", "always_on"}, {"OTEL_BSP_MAX_QUEUE_SIZE", "bad"}}), factories);
    ASSERT_TRUE(provider->enabled());
    EXPECT_EQ(provider->sampler().description(), "AlwaysOnSampler");
    provider->get_tracer("t").start_span("s").end();
    ASSERT_TRUE(provider->force_flush());
    EXPECT_EQ(store->size(), 1u);
    EXPECT_EQ(provider->collect().queue_capacity, 2048u);
  }
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0], "OTEL_BSP_MAX_QUEUE_SIZE=\"bad\" is not a positive integer; using the default 2048");
  logged.clear();
  {
    auto provider = create_tracer_provider_from_env(fixed_environment({}));  // otlp without a factory
    EXPECT_TRUE(provider->enabled());
    EXPECT_EQ(provider->collect().queue_capacity, 0u);
  }
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0],
            "OTEL_TRACES_EXPORTER: the \"otlp\" exporter is not available in this program (link and register it, e.g. "
            "frame_tracking::otlp); spans are not exported there");
  auto disabled = create_tracer_provider_from_env(fixed_environment({{"OTEL_SDK_DISABLED", "true"}}), factories);
  EXPECT_FALSE(disabled->enabled());
  EXPECT_FALSE(disabled->get_tracer("t").start_span("s").is_recording());
  set_log_handler(nullptr);
  set_log_level(LogLevel::kInfo);
}

}  // namespace
}  // namespace frame_tracking
