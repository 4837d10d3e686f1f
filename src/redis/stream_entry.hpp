// SPDX-License-Identifier: Apache-2.0
// Private: turns stream entries of XREADGROUP / XAUTOCLAIM replies into ReceivedMessages.
#pragma once

#include "frame_tracking/message_transport.hpp"

#include <string>
#include <string_view>

struct redisReply;

namespace frame_tracking::redis::detail {

/// Decodes one entry `[id, [field, value, …]]` read from `stream`: field `payload` becomes the
/// payload, every other field a kString header, kSentTimeHeader also fills sent_unix_ns.
/// Returns false (message untouched) when the entry's fields are nil (deleted/trimmed) or the
/// shape is not an entry; `id` is still set when the id is readable.
bool decode_entry(const redisReply& entry, std::string_view stream, ReceivedMessage& message, std::string& id);

/// Parses a decimal int64 (the send-time field); 0 when it is not one.
std::int64_t parse_unix_ns(std::string_view text) noexcept;

}  // namespace frame_tracking::redis::detail
