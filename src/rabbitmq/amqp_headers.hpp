// SPDX-License-Identifier: Apache-2.0
// Private: turns the headers table of an AMQP delivery into the headers of a ReceivedMessage.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <amqp.h>

namespace frame_tracking::rabbitmq::detail {

/// Appends every entry of `table` (the basic.properties headers) to message.headers in wire
/// order: 'S' long strings → kString, 'x' byte arrays → kBytes, other field types → kOther with
/// scalars rendered as text ("42", "true") and "" for tables, arrays, floats and decimals.
/// A text kSentTimeHeader sets sent_unix_ns (0 when not a decimal int64); an integer
/// `x-delivery-count` (quorum queues) sets delivery_count to it + 1, clamped to 1..2^32-1.
/// Never throws on bad input (only std::bad_alloc).
void read_headers(const amqp_table_t& table, ReceivedMessage& message);

}  // namespace frame_tracking::rabbitmq::detail
