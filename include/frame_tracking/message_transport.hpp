// SPDX-License-Identifier: Apache-2.0
// Broker-neutral message transport: the producer/consumer pair that Redis Streams and RabbitMQ implement,
// so a pipeline switches brokers by URL (redis://host:port, amqp://host:port).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace frame_tracking {

/// How a header value was typed on the wire. Redis stream fields are always kString. AMQP header
/// tables carry long strings ('S' → kString), byte arrays ('x' → kBytes) or other field types
/// (integers, booleans, tables… → kOther).
enum class HeaderType : std::uint8_t { kString, kBytes, kOther };

/// One message header (Redis: one stream field; AMQP: one entry of the headers table).
/// `value` holds the raw bytes for kString/kBytes; for kOther a readable rendering of scalars
/// ("42", "true") and "" for tables and arrays. Value type.
struct MessageHeader {
  std::string name;
  std::string value;
  HeaderType type = HeaderType::kString;
  bool operator==(const MessageHeader&) const = default;
};

/// Headers in wire order. Names are compared exactly (case-sensitive); a name may repeat.
using MessageHeaders = std::vector<MessageHeader>;

/// The header every producer adds: the send time as decimal Unix nanoseconds, read back into
/// ReceivedMessage::sent_unix_ns so a consumer can record how long the message waited.
inline constexpr std::string_view kSentTimeHeader = "sent_unix_ns";
/// The header carrying the FrameMetadata JSON (see frame_metadata.hpp), when a message is a frame.
inline constexpr std::string_view kFrameMetadataHeader = "frame_metadata";

/// Why a transport operation failed.
enum class TransportStatus : std::uint8_t {
  kOk,
  kUnavailable,      ///< the broker could not be reached within the reconnect deadline
  kRejected,         ///< the broker refused the operation (error reply, basic.nack, channel error)
  kUnroutable,       ///< RabbitMQ returned the message: no queue is bound for its routing key
  kTimeout,          ///< no confirmation arrived within the confirm timeout
  kInvalidArgument,  ///< the caller's input cannot be sent (e.g. a header named like a reserved field)
  kQueueFull,        ///< the destination holds its limit of unread messages (Redis max_length); not sent
};

/// The low-cardinality name of a status, used as `error.type` on failed spans ("unavailable", …).
constexpr std::string_view to_string(TransportStatus status) noexcept {
  switch (status) {
    case TransportStatus::kOk: return "ok";
    case TransportStatus::kUnavailable: return "unavailable";
    case TransportStatus::kRejected: return "rejected";
    case TransportStatus::kUnroutable: return "unroutable";
    case TransportStatus::kTimeout: return "timeout";
    case TransportStatus::kInvalidArgument: return "invalid_argument";
    case TransportStatus::kQueueFull: return "queue_full";
  }
  return "unknown";
}

/// Outcome of one send. On success `message_id` is the broker's id (Redis stream entry id such as
/// "1796025177179-0"; AMQP: the message-id property the producer set). On failure `error` says what
/// happened and to which destination; the producer has counted the failure.
struct SendResult {
  TransportStatus status = TransportStatus::kOk;
  std::string message_id;
  std::string error;
  bool ok() const noexcept { return status == TransportStatus::kOk; }
};

/// A message handed to the application by MessageConsumer::poll(). Value type.
struct ReceivedMessage {
  /// The stream key (Redis) or queue name (RabbitMQ) it was read from.
  std::string destination;
  /// Broker id: Redis stream entry id; AMQP message-id property ("" when the sender set none).
  std::string id;
  std::string payload;
  /// Every header/field except the payload, in wire order (the sent-time header included).
  MessageHeaders headers;
  /// Send time from kSentTimeHeader, Unix ns; 0 when absent or not a decimal number.
  std::int64_t sent_unix_ns = 0;
  /// When poll() returned it to the application, Unix ns.
  std::int64_t received_unix_ns = 0;
  /// How many times it has been delivered, this delivery included (Redis: from the pending entry
  /// list; RabbitMQ: 1, or 2 when the broker set the redelivered flag and no more is known).
  std::uint32_t delivery_count = 1;
  /// RabbitMQ: the exchange ("" = default exchange) and routing key it was published with.
  std::string exchange;
  std::string routing_key;
  /// Transport handle for ack/reject (RabbitMQ delivery tag); 0 for Redis.
  std::uint64_t delivery_tag = 0;
  /// The connection that delivered it; acking a message of an earlier connection is a no-op
  /// (the broker redelivers it), counted as a stale ack.
  std::uint64_t connection_epoch = 0;

  /// The first header called `name`, or nullptr.
  const MessageHeader* header(std::string_view name) const noexcept {
    for (const auto& h : headers)
      if (h.name == name) return &h;
    return nullptr;
  }
};

/// What a consumer does with a message it could not process.
enum class RejectAction : std::uint8_t {
  kRequeue,     ///< deliver it again later (RabbitMQ: nack requeue=true; Redis: stays pending, claimed after the idle time)
  kDeadLetter,  ///< move it to the dead-letter destination (RabbitMQ: nack requeue=false → DLX; Redis: XADD to the dead-letter stream + XACK)
};

/// How a transport retries after losing its connection: sleeps start at `initial_delay` and double
/// up to `max_delay`; one operation keeps trying for at most `deadline` before it fails with
/// kUnavailable. Durations are wall time.
struct ReconnectPolicy {
  std::chrono::milliseconds initial_delay{20};
  std::chrono::milliseconds max_delay{1000};
  std::chrono::milliseconds deadline{5000};
};

/// Running totals of a producer. Every send is counted in exactly one of sent / failed.
struct ProducerCounters {
  std::uint64_t sent = 0;        ///< sends the broker accepted (confirmed)
  std::uint64_t failed = 0;      ///< sends reported to the caller as failed
  std::uint64_t reconnects = 0;  ///< successful reconnections after a lost connection
};

/// Running totals of a consumer.
struct ConsumerCounters {
  std::uint64_t received = 0;       ///< messages returned by poll()
  std::uint64_t acked = 0;
  std::uint64_t requeued = 0;
  std::uint64_t dead_lettered = 0;
  std::uint64_t claimed = 0;        ///< Redis: messages taken over from idle consumers (XAUTOCLAIM)
  std::uint64_t stale_acks = 0;     ///< ack/reject of a message from an earlier connection (no-op)
  std::uint64_t deleted = 0;        ///< Redis: pending entries whose message was trimmed away before it could be claimed
  std::uint64_t errors = 0;         ///< failed polls, acks and rejects
  std::uint64_t reconnects = 0;
};

/// Outcome of one poll: the messages (possibly none after the timeout) or an error.
struct PollResult {
  std::vector<ReceivedMessage> messages;
  TransportStatus status = TransportStatus::kOk;
  std::string error;
  bool ok() const noexcept { return status == TransportStatus::kOk; }
};

/// Sends messages to one broker. Implementations reconnect with backoff when the connection is
/// lost; a send that still fails is returned as an error and counted, never dropped silently.
/// Thread-compatible: one thread at a time (each instance owns one connection).
class MessageProducer {
 public:
  MessageProducer() = default;
  MessageProducer(const MessageProducer&) = delete;
  MessageProducer& operator=(const MessageProducer&) = delete;
  virtual ~MessageProducer() = default;

  /// `messaging.system` of this broker ("redis", "rabbitmq").
  virtual std::string_view system() const noexcept = 0;
  /// Sends `payload` (bytes) with `headers` to `destination` (Redis: stream key; RabbitMQ: routing
  /// key on the producer's exchange) and waits for the broker to accept it. Adds kSentTimeHeader.
  /// Never throws.
  virtual SendResult send(std::string_view destination, std::string_view payload,
                          const MessageHeaders& headers) noexcept = 0;
  /// The OTel `messaging.destination.name` a send to `destination` is reported under.
  virtual std::string destination_name(std::string_view destination) const = 0;
  virtual ProducerCounters counters() const noexcept = 0;
};

/// Receives messages from one stream/queue with explicit acknowledgement (at-least-once).
/// Thread-compatible: one thread at a time (each instance owns one connection).
class MessageConsumer {
 public:
  MessageConsumer() = default;
  MessageConsumer(const MessageConsumer&) = delete;
  MessageConsumer& operator=(const MessageConsumer&) = delete;
  virtual ~MessageConsumer() = default;

  /// `messaging.system` of this broker ("redis", "rabbitmq").
  virtual std::string_view system() const noexcept = 0;
  /// The OTel `messaging.destination.name` of `message` as this consumer received it.
  virtual std::string destination_name(const ReceivedMessage& message) const = 0;
  /// Returns up to `max_count` messages, waiting at most `timeout` for the first one. An empty
  /// list after the timeout is not an error. Errors (broker unreachable after reconnecting)
  /// are returned and counted. Never throws.
  virtual PollResult poll(std::size_t max_count, std::chrono::milliseconds timeout) noexcept = 0;
  /// Marks `message` processed. False (counted) if the broker could not be told.
  virtual bool ack(const ReceivedMessage& message) noexcept = 0;
  /// Gives `message` back (see RejectAction). False (counted) if the broker could not be told.
  virtual bool reject(const ReceivedMessage& message, RejectAction action) noexcept = 0;
  virtual ConsumerCounters counters() const noexcept = 0;
};

}  // namespace frame_tracking
