// SPDX-License-Identifier: Apache-2.0
// MessagingMetrics: registers the messaging families and caches their label-resolved series.
#include "frame_tracking/metrics/messaging_metrics.hpp"

namespace frame_tracking::metrics {

MessagingMetrics::MessagingMetrics(prometheus::Registry& registry)
    : sent_(prometheus::BuildCounter()
                .Name("messaging_client_sent_messages_total")
                .Help("Messages sent to a broker destination; error_type is empty on success")
                .Register(registry)),
      consumed_(prometheus::BuildCounter()
                    .Name("messaging_client_consumed_messages_total")
                    .Help("Messages received from a broker destination by a consumer group")
                    .Register(registry)),
      lag_(prometheus::BuildGauge()
               .Name("frame_queue_consumer_lag_messages")
               .Help("Messages of a destination waiting for a consumer group")
               .Register(registry)) {}

template <typename Metric>
Metric& MessagingMetrics::series(prometheus::Family<Metric>& family, std::map<std::string, Metric*, std::less<>>& cache,
                                 const char* third_label, std::string_view system, std::string_view destination,
                                 std::string_view third) {
  // Key: the three label values joined by a unit separator (not allowed in broker names we create).
  std::string key;
  key.reserve(system.size() + destination.size() + third.size() + 2);
  key.append(system).append(1, '\x1f').append(destination).append(1, '\x1f').append(third);
  std::lock_guard lock(mutex_);
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  Metric& metric = family.Add({{"messaging_system", std::string(system)},
                               {"messaging_destination_name", std::string(destination)},
                               {third_label, std::string(third)}});
  cache.emplace(std::move(key), &metric);
  return metric;
}

prometheus::Counter& MessagingMetrics::sent(std::string_view system, std::string_view destination,
                                            std::string_view error_type) {
  return series(sent_, sent_cache_, "error_type", system, destination, error_type);
}

prometheus::Counter& MessagingMetrics::consumed(std::string_view system, std::string_view destination,
                                                std::string_view group) {
  return series(consumed_, consumed_cache_, "messaging_consumer_group_name", system, destination, group);
}

prometheus::Gauge& MessagingMetrics::consumer_lag(std::string_view system, std::string_view destination,
                                                  std::string_view group) {
  return series(lag_, lag_cache_, "messaging_consumer_group_name", system, destination, group);
}

}  // namespace frame_tracking::metrics
