// SPDX-License-Identifier: Apache-2.0
// MessagingMetrics: messages sent (and send failures), messages consumed and consumer lag per broker destination.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace frame_tracking::metrics {

/// The messaging metric families of a pipeline process (label names follow the OTel messaging
/// attributes with '.' → '_'), registered in a prometheus::Registry:
///  - messaging_client_sent_messages_total{messaging_system, messaging_destination_name, error_type}:
///    counter; error_type is "" for an accepted send, else the TransportStatus name ("unavailable", …);
///  - messaging_client_consumed_messages_total{messaging_system, messaging_destination_name,
///    messaging_consumer_group_name}: counter;
///  - frame_queue_consumer_lag_messages{same labels}: gauge, messages waiting for the group.
/// Each accessor returns the series of its labels, created on first use (a map lookup under a
/// mutex); keep the reference for a hot loop — it stays valid while this object lives. The
/// registry must outlive this object. Thread-safe.
class MessagingMetrics {
 public:
  explicit MessagingMetrics(prometheus::Registry& registry);
  MessagingMetrics(const MessagingMetrics&) = delete;
  MessagingMetrics& operator=(const MessagingMetrics&) = delete;

  /// Sends to `destination`: `error_type` "" counts accepted sends, anything else failures.
  prometheus::Counter& sent(std::string_view system, std::string_view destination, std::string_view error_type = {});
  /// Messages of `destination` received by consumer group `group`.
  prometheus::Counter& consumed(std::string_view system, std::string_view destination, std::string_view group);
  /// Messages of `destination` not yet delivered to (or not acked by) consumer group `group`.
  prometheus::Gauge& consumer_lag(std::string_view system, std::string_view destination, std::string_view group);

 private:
  template <typename Metric>
  Metric& series(prometheus::Family<Metric>& family, std::map<std::string, Metric*, std::less<>>& cache,
                 const char* third_label, std::string_view system, std::string_view destination,
                 std::string_view third);

  prometheus::Family<prometheus::Counter>& sent_;
  prometheus::Family<prometheus::Counter>& consumed_;
  prometheus::Family<prometheus::Gauge>& lag_;
  std::mutex mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> sent_cache_;
  std::map<std::string, prometheus::Counter*, std::less<>> consumed_cache_;
  std::map<std::string, prometheus::Gauge*, std::less<>> lag_cache_;
};

}  // namespace frame_tracking::metrics
