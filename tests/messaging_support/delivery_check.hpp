// SPDX-License-Identifier: Apache-2.0
// Test support: frames sent and received on their own threads while a test disturbs the broker, so it
// can check that every frame was delivered or reported to the sender as failed.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace frame_tracking::testing {

/// Sends the payloads "frame-0", "frame-1", … to one destination from its own thread, pausing
/// between sends, and remembers the payloads whose send was reported failed.
/// The producer belongs to this sender's thread until finish(). Not thread-safe apart from attempted().
class PayloadSender {
 public:
  /// Starts sending `count` payloads, or until finish() when `count` is 0.
  PayloadSender(MessageProducer& producer, std::string destination, int count, std::chrono::milliseconds pause);
  /// Stops after the send under way (also a bounded sender: a test that failed early does not
  /// wait for the rest) and joins the thread.
  ~PayloadSender();
  PayloadSender(const PayloadSender&) = delete;
  PayloadSender& operator=(const PayloadSender&) = delete;

  /// Sends made so far (each ended: accepted or failed). Thread-safe.
  int attempted() const noexcept { return attempted_.load(); }
  /// Blocks until at least `sends` sends were made.
  void wait_for(int sends) const;
  /// Stops an unbounded sender (a bounded one first makes all `count` sends), joins its thread and
  /// returns the payloads whose send failed.
  std::set<std::string> finish();

 private:
  MessageProducer& producer_;
  std::string destination_;
  std::atomic<int> attempted_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> abandon_{false};
  std::set<std::string> failed_;
  std::thread thread_;
};

/// Polls a consumer on its own thread (up to 100 messages, waiting `poll_timeout`), keeps every
/// payload and acks every message; an ack of a delivery from a closed connection is false and the
/// broker redelivers it. Runs until finish() has been called and three polls since then came back
/// empty and without error. The consumer belongs to this receiver's thread until finish().
class DrainingReceiver {
 public:
  DrainingReceiver(MessageConsumer& consumer, std::chrono::milliseconds poll_timeout);
  /// Stops after the poll under way and joins the thread.
  ~DrainingReceiver();
  DrainingReceiver(const DrainingReceiver&) = delete;
  DrainingReceiver& operator=(const DrainingReceiver&) = delete;

  /// Call once nothing more is sent: waits for the three empty polls and returns the distinct
  /// payloads received (a redelivered one counts once).
  std::set<std::string> finish();

 private:
  std::atomic<bool> sending_done_{false};
  std::atomic<bool> abandon_{false};
  std::set<std::string> delivered_;
  std::thread thread_;
};

/// The check after a broker was restarted under a PayloadSender and a DrainingReceiver: the
/// producer counted each of the `sends` once (accepted or failed, its failures exactly the
/// `failed` payloads), producer and consumer both reconnected, and nothing was lost silently:
/// every payload was `delivered` or reported failed. A reported failure may still have been
/// delivered ("in doubt": the connection died after the request was written), at most one per
/// producer reconnect; a redelivered payload counts once.
void expect_nothing_lost_across_restart(const ProducerCounters& producer, const ConsumerCounters& consumer, int sends,
                                        const std::set<std::string>& failed,
                                        const std::set<std::string>& delivered);

}  // namespace frame_tracking::testing
