// SPDX-License-Identifier: Apache-2.0
// Broker: makes the MessageProducer / MessageConsumer of a pipeline process from a broker URL.
#include "pipeline/broker.hpp"

#include "frame_tracking/redis/consumer_group_lag.hpp"
#include "frame_tracking/redis/redis_endpoint.hpp"
#include "frame_tracking/redis/stream_consumer.hpp"
#include "frame_tracking/redis/stream_producer.hpp"
#if FRAME_TRACKING_HAS_RABBITMQ
#include "frame_tracking/rabbitmq/amqp_consumer.hpp"
#include "frame_tracking/rabbitmq/amqp_endpoint.hpp"
#include "frame_tracking/rabbitmq/amqp_producer.hpp"
#include "frame_tracking/rabbitmq/queue_depth.hpp"
#endif

namespace frame_tracking::pipeline {

Result<Broker> Broker::from_url(std::string_view url) {
  Broker broker;
  broker.url_ = std::string(url);
  if (url.starts_with("redis://")) {
    auto endpoint = redis::RedisEndpoint::from_url(url);
    if (!endpoint) return Error{ErrorCode::kInvalidInput, "--broker: " + endpoint.error().message};
    return broker;
  }
  if (url.starts_with("amqp://")) {
#if FRAME_TRACKING_HAS_RABBITMQ
    auto endpoint = rabbitmq::AmqpEndpoint::from_url(url);
    if (!endpoint) return Error{ErrorCode::kInvalidInput, "--broker: " + endpoint.error().message};
    broker.amqp_ = true;
    return broker;
#else
    return Error{ErrorCode::kInvalidInput,
                 "--broker '" + std::string(url) + "': this binary was built without the rabbitmq component "
                 "(FRAME_TRACKING_WITH_RABBITMQ=ON and librabbitmq-dev)"};
#endif
  }
  return Error{ErrorCode::kInvalidInput, "--broker '" + std::string(url) +
                                             "': expected redis://host:port or amqp://user:password@host:port"};
}

std::unique_ptr<MessageProducer> Broker::producer(const std::vector<std::string>& destinations) const {
#if FRAME_TRACKING_HAS_RABBITMQ
  if (amqp_) {
    rabbitmq::AmqpProducerOptions options;
    options.endpoint = *rabbitmq::AmqpEndpoint::from_url(url_);
    for (const auto& destination : destinations) {
      rabbitmq::QueueDeclaration queue;
      queue.name = destination;
      options.queues.push_back(std::move(queue));
    }
    return std::make_unique<rabbitmq::AmqpProducer>(std::move(options));
  }
#endif
  (void)destinations;
  redis::StreamProducerOptions options;
  options.endpoint = *redis::RedisEndpoint::from_url(url_);
  return std::make_unique<redis::StreamProducer>(std::move(options));
}

std::unique_ptr<MessageConsumer> Broker::consumer(const std::string& destination, const std::string& group,
                                                  const std::string& consumer_name) const {
#if FRAME_TRACKING_HAS_RABBITMQ
  if (amqp_) {
    rabbitmq::AmqpConsumerOptions options;
    options.endpoint = *rabbitmq::AmqpEndpoint::from_url(url_);
    options.queue.name = destination;
    return std::make_unique<rabbitmq::AmqpConsumer>(std::move(options));
  }
#endif
  redis::StreamConsumerOptions options;
  options.endpoint = *redis::RedisEndpoint::from_url(url_);
  options.stream = destination;
  options.group = group;
  options.consumer = consumer_name;
  return std::make_unique<redis::StreamConsumer>(std::move(options));
}

std::function<Result<std::uint64_t>()> Broker::consumer_lag(const std::string& destination,
                                                           const std::string& group) const {
#if FRAME_TRACKING_HAS_RABBITMQ
  if (amqp_) {
    auto depth = std::make_shared<rabbitmq::QueueDepth>(*rabbitmq::AmqpEndpoint::from_url(url_), destination);
    return [depth] { return depth->read(); };
  }
#endif
  auto lag = std::make_shared<redis::ConsumerGroupLag>(*redis::RedisEndpoint::from_url(url_), destination, group);
  return [lag] { return lag->read(); };
}

}  // namespace frame_tracking::pipeline
