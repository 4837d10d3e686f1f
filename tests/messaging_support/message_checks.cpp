// SPDX-License-Identifier: Apache-2.0
// Test support: received-versus-sent message checks (see message_checks.hpp).
#include "messaging_support/message_checks.hpp"

#include <gtest/gtest.h>

namespace frame_tracking::testing {

void expect_headers_as_sent(const ReceivedMessage& received, const MessageHeaders& sent) {
  ASSERT_EQ(received.headers.size(), sent.size() + 1);
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(received.headers[i], sent[i]) << i;
  EXPECT_EQ(received.headers[sent.size()].name, kSentTimeHeader);
  EXPECT_GT(received.sent_unix_ns, 0);
}

}  // namespace frame_tracking::testing
