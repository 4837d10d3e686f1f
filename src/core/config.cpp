// SPDX-License-Identifier: Apache-2.0
// TracingConfig::from_env: OTEL_* parsing with one warning per bad value; provider assembly and exporter factories.
#include "frame_tracking/config.hpp"

#include "frame_tracking/console_span_exporter.hpp"
#include "frame_tracking/simple_span_processor.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <optional>

namespace frame_tracking {
namespace {

constexpr std::uint64_t kMaxInteger = 2147483647;  // 2^31 − 1, the spec's required range

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads OTEL_* values and collects the warnings.
class Reader {
 public:
  Reader(const EnvLookup& env, std::vector<std::string>& warnings) : env_(env), warnings_(warnings) {}

  /// The trimmed value, or empty optional when unset or empty.
  std::optional<std::string> get(std::string_view name) const {
    auto value = env_(name);
    if (!value) return std::nullopt;
    std::string_view t = trim(*value);
    if (t.empty()) return std::nullopt;
    return std::string(t);
  }

  void warn(std::string_view name, std::string_view value, std::string_view problem, std::string_view fallback) {
    warnings_.push_back(std::string(name) + "=\"" + std::string(value) + "\" " + std::string(problem) + "; using " +
                        std::string(fallback));
  }

  /// A decimal integer in [minimum, 2^31 − 1]; else warn and return `fallback`.
  /// `*valid` (if given) tells whether a value was set and accepted.
  std::uint32_t integer(std::string_view name, std::uint32_t fallback, std::uint64_t minimum, std::string_view rule,
                        std::string_view fallback_text = {}, bool* valid = nullptr) {
    if (valid != nullptr) *valid = false;
    auto text = get(name);
    if (!text) return fallback;
    std::uint64_t v = 0;
    const char* first = text->data();
    const char* last = first + text->size();
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || ptr != last || v < minimum || v > kMaxInteger) {
      warn(name, *text, rule,
           fallback_text.empty() ? "the default " + std::to_string(fallback) : std::string(fallback_text));
      return fallback;
    }
    if (valid != nullptr) *valid = true;
    return static_cast<std::uint32_t>(v);
  }

 private:
  const EnvLookup& env_;
  std::vector<std::string>& warnings_;
};

constexpr std::string_view kNonNegative = "is not a non-negative integer";
constexpr std::string_view kPositive = "is not a positive integer";
constexpr std::string_view kMilliseconds = "is not a non-negative integer number of milliseconds";

struct SamplerName {
  std::string_view name;
  SamplerKind kind;
};
constexpr SamplerName kSamplers[] = {
    {"always_on", SamplerKind::kAlwaysOn},
    {"always_off", SamplerKind::kAlwaysOff},
    {"traceidratio", SamplerKind::kTraceIdRatio},
    {"parentbased_always_on", SamplerKind::kParentBasedAlwaysOn},
    {"parentbased_always_off", SamplerKind::kParentBasedAlwaysOff},
    {"parentbased_traceidratio", SamplerKind::kParentBasedTraceIdRatio},
};

std::mutex g_factories_mutex;
std::map<std::string, SpanExporterFactory>& registered_factories() {
  static auto* factories = new std::map<std::string, SpanExporterFactory>;
  return *factories;
}

}  // namespace

TracingConfig TracingConfig::from_env(const EnvLookup& env, std::vector<Attribute> resource_overrides) {
  TracingConfig c;
  Reader r(env, c.warnings);

  if (auto v = r.get("OTEL_CONFIG_FILE")) {
    r.warn("OTEL_CONFIG_FILE", *v, "is not supported (declarative configuration)", "the environment variables");
  }

  if (auto v = r.get("OTEL_LOG_LEVEL")) {
    if (auto level = parse_log_level(*v)) c.log_level = *level;
    else r.warn("OTEL_LOG_LEVEL", *v, "is not one of debug, info, warn, error, none", "the default info");
  }

  if (auto v = r.get("OTEL_SDK_DISABLED")) {
    std::string s = lower(*v);
    if (s == "true") c.sdk_disabled = true;
    else if (s != "false") r.warn("OTEL_SDK_DISABLED", *v, "is not true or false", "the default false");
  }

  c.resource = Resource::create(std::move(resource_overrides), env, &c.warnings);

  if (auto v = r.get("OTEL_TRACES_SAMPLER")) {
    std::string s = lower(*v);
    auto it = std::find_if(std::begin(kSamplers), std::end(kSamplers), [&](const auto& e) { return e.name == s; });
    if (it != std::end(kSamplers)) {
      c.sampler = it->kind;
    } else if (s == "jaeger_remote" || s == "parentbased_jaeger_remote" || s == "xray") {
      r.warn("OTEL_TRACES_SAMPLER", *v, "is not supported by this SDK", "the default parentbased_always_on");
    } else {
      r.warn("OTEL_TRACES_SAMPLER", *v, "is not a known sampler", "the default parentbased_always_on");
    }
    if (c.sampler == SamplerKind::kTraceIdRatio || c.sampler == SamplerKind::kParentBasedTraceIdRatio) {
      if (auto arg = r.get("OTEL_TRACES_SAMPLER_ARG")) {
        double ratio = -1;
        auto [ptr, ec] = std::from_chars(arg->data(), arg->data() + arg->size(), ratio);
        if (ec != std::errc() || ptr != arg->data() + arg->size() || !(ratio >= 0.0 && ratio <= 1.0)) {
          r.warn("OTEL_TRACES_SAMPLER_ARG", *arg, "is not a ratio in [0, 1]", "the default 1.0");
        } else {
          c.sampler_ratio = ratio;
        }
      }
    }
  }

  auto& b = c.batch;
  b.schedule_delay = std::chrono::milliseconds(r.integer("OTEL_BSP_SCHEDULE_DELAY", 5000, 0, kMilliseconds));
  b.export_timeout = std::chrono::milliseconds(r.integer("OTEL_BSP_EXPORT_TIMEOUT", 30000, 0, kMilliseconds));
  b.max_queue_size = r.integer("OTEL_BSP_MAX_QUEUE_SIZE", 2048, 1, kPositive);
  bool batch_given = false;
  std::uint32_t batch = r.integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, 1, kPositive, {}, &batch_given);
  if (batch_given && batch > b.max_queue_size) {
    r.warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", *r.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
           "is larger than OTEL_BSP_MAX_QUEUE_SIZE", "the queue size " + std::to_string(b.max_queue_size));
  }
  b.max_export_batch_size = std::min<std::size_t>(batch, b.max_queue_size);

  auto& l = c.limits;
  bool generic_given = false;
  l.attribute_count = r.integer("OTEL_ATTRIBUTE_COUNT_LIMIT", 128, 0, kNonNegative, {}, &generic_given);
  l.attribute_count = r.integer(
      "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", l.attribute_count, 0, kNonNegative,
      generic_given ? "OTEL_ATTRIBUTE_COUNT_LIMIT's " + std::to_string(l.attribute_count) : "the default 128");
  l.attribute_value_length =
      r.integer("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", 0, 1, kPositive, "the default (no limit)", &generic_given);
  l.attribute_value_length = r.integer(
      "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", l.attribute_value_length, 1, kPositive,
      generic_given ? "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT's " + std::to_string(l.attribute_value_length)
                    : "the default (no limit)");
  l.event_count = r.integer("OTEL_SPAN_EVENT_COUNT_LIMIT", 128, 0, kNonNegative);
  l.link_count = r.integer("OTEL_SPAN_LINK_COUNT_LIMIT", 128, 0, kNonNegative);
  l.event_attribute_count = r.integer("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", 128, 0, kNonNegative);
  l.link_attribute_count = r.integer("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", 128, 0, kNonNegative);

  if (auto v = r.get("OTEL_TRACES_EXPORTER")) {
    c.exporters.clear();
    std::string unsupported;
    std::string_view rest = *v;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string name = lower(trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (name.empty()) continue;
      if (name == "logging") name = "console";
      if (name != "otlp" && name != "console" && name != "none") {
        unsupported += (unsupported.empty() ? "" : ", ") + name;
        continue;
      }
      if (std::find(c.exporters.begin(), c.exporters.end(), name) == c.exporters.end()) c.exporters.push_back(name);
    }
    // "none" alone means no exporter; mixed with others it is ignored.
    c.exporters.erase(std::remove(c.exporters.begin(), c.exporters.end(), "none"), c.exporters.end());
    if (!unsupported.empty()) {
      std::string kept;
      for (const auto& e : c.exporters) kept += (kept.empty() ? "" : ",") + e;
      r.warn("OTEL_TRACES_EXPORTER", *v, "names unsupported exporters (" + unsupported + ")",
             kept.empty() ? std::string("none") : kept);
    }
  }
  return c;
}

std::unique_ptr<Sampler> TracingConfig::make_sampler() const {
  switch (sampler) {
    case SamplerKind::kAlwaysOn: return make_always_on_sampler();
    case SamplerKind::kAlwaysOff: return make_always_off_sampler();
    case SamplerKind::kTraceIdRatio: return std::make_unique<TraceIdRatioBasedSampler>(sampler_ratio);
    case SamplerKind::kParentBasedAlwaysOn: return make_parent_based_sampler(make_always_on_sampler());
    case SamplerKind::kParentBasedAlwaysOff: return make_parent_based_sampler(make_always_off_sampler());
    case SamplerKind::kParentBasedTraceIdRatio:
      return make_parent_based_sampler(std::make_unique<TraceIdRatioBasedSampler>(sampler_ratio));
  }
  return make_parent_based_sampler(make_always_on_sampler());
}

void register_span_exporter_factory(std::string name, SpanExporterFactory factory) {
  std::lock_guard lock(g_factories_mutex);
  registered_factories()[std::move(name)] = std::move(factory);
}

std::unique_ptr<TracerProvider> create_tracer_provider(const TracingConfig& config, const EnvLookup& env,
                                                       const std::map<std::string, SpanExporterFactory>& factories) {
  set_log_level(config.log_level);
  for (const auto& w : config.warnings) log_diagnostic(LogLevel::kWarning, w);
  if (config.sdk_disabled) return TracerProvider::create_disabled();

  TracerProviderOptions options;
  options.resource = config.resource;
  options.sampler = config.make_sampler();
  options.limits = config.limits;
  options.span_pool_size = config.batch.max_queue_size + config.batch.max_export_batch_size + 1024;
  options.span_heap_limit = options.span_pool_size;
  for (const auto& name : config.exporters) {
    if (name == "console") {
      options.processors.push_back(std::make_unique<SimpleSpanProcessor>(std::make_unique<ConsoleSpanExporter>()));
      continue;
    }
    SpanExporterFactory factory;
    if (auto it = factories.find(name); it != factories.end()) {
      factory = it->second;
    } else {
      std::lock_guard lock(g_factories_mutex);
      if (auto r = registered_factories().find(name); r != registered_factories().end()) factory = r->second;
    }
    std::unique_ptr<SpanExporter> exporter = factory ? factory(env) : nullptr;
    if (!exporter) {
      log_diagnostic(LogLevel::kWarning, "OTEL_TRACES_EXPORTER: the \"" + name +
                                             "\" exporter is not available in this program (link and register it, "
                                             "e.g. frame_tracking::otlp); spans are not exported there");
      continue;
    }
    options.processors.push_back(std::make_unique<BatchSpanProcessor>(std::move(exporter), config.batch));
  }
  return std::make_unique<TracerProvider>(std::move(options));
}

std::unique_ptr<TracerProvider> create_tracer_provider_from_env(
    const EnvLookup& env, const std::map<std::string, SpanExporterFactory>& factories,
    std::vector<Attribute> resource_overrides) {
  return create_tracer_provider(TracingConfig::from_env(env, std::move(resource_overrides)), env, factories);
}

}  // namespace frame_tracking
