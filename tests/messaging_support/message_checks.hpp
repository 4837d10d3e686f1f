// SPDX-License-Identifier: Apache-2.0
// Test support: checks of what a MessageConsumer received against what the MessageProducer sent.
#pragma once

#include "frame_tracking/message_transport.hpp"

namespace frame_tracking::testing {

/// Checks that `received` carries exactly the `sent` headers (name, value and type, in order),
/// then the producer's kSentTimeHeader, from which a send time was read.
void expect_headers_as_sent(const ReceivedMessage& received, const MessageHeaders& sent);

}  // namespace frame_tracking::testing
