// SPDX-License-Identifier: Apache-2.0
// Test support: endpoint, queue and client options for the RabbitMQ node of the CTest fixture `rabbitmq`.
#pragma once

#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "messaging_support/broker_fixture.hpp"

#include <cstdint>
#include <string>

namespace frame_tracking::testing {

/// The fixture's node (port from FT_FIXTURE_DIR/rabbitmq.port), giving up reconnecting after 2 s.
inline rabbitmq::AmqpEndpoint amqp_endpoint() { return fixture_endpoint<rabbitmq::AmqpEndpoint>("rabbitmq"); }

/// A durable queue `name`, dead-lettering to `dead_letter_queue` when that is not "".
inline rabbitmq::QueueDeclaration queue_declaration(const std::string& name, const std::string& dead_letter_queue = {}) {
  rabbitmq::QueueDeclaration q;
  q.name = name;
  q.dead_letter_queue = dead_letter_queue;
  return q;
}

/// A producer on the fixture's node that declares `queue`.
inline rabbitmq::AmqpProducerOptions amqp_producer_options(const rabbitmq::QueueDeclaration& queue) {
  rabbitmq::AmqpProducerOptions o;
  o.endpoint = amqp_endpoint();
  o.queues = {queue};
  return o;
}

/// A consumer of `queue` on the fixture's node with the given prefetch.
inline rabbitmq::AmqpConsumerOptions amqp_consumer_options(const rabbitmq::QueueDeclaration& queue,
                                                           std::uint16_t prefetch = 50) {
  rabbitmq::AmqpConsumerOptions o;
  o.endpoint = amqp_endpoint();
  o.queue = queue;
  o.prefetch = prefetch;
  return o;
}

}  // namespace frame_tracking::testing
