// SPDX-License-Identifier: Apache-2.0
// Fuzz target: Redis stream replies (RESP) as hiredis parses them and the stream consumer reads their entries.
#include "message_context_check.hpp"

#include "stream_entry.hpp"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace frame_tracking;

namespace {

/// hiredis 0.14 allocates a declared array's element table before reading any element and has no
/// limit (later versions cap it with maxelements), so a peer declaring `*100000000` costs 800 MB.
/// The Redis server is a trusted peer; inputs declaring more elements than this are skipped so
/// the fuzzer spends its time in our decoding (docs/hardening.md, known limitations).
constexpr long long kMaxDeclaredElements = 65536;

bool declares_huge_array(std::string_view input) {
  for (std::size_t at = input.find('*'); at != std::string_view::npos; at = input.find('*', at + 1)) {
    long long n = 0;
    for (std::size_t i = at + 1; i < input.size() && input[i] >= '0' && input[i] <= '9' && n <= kMaxDeclaredElements; ++i)
      n = n * 10 + (input[i] - '0');
    if (n > kMaxDeclaredElements) return true;
  }
  return false;
}

/// Decodes every entry of an entry array as StreamConsumer's collect() does.
void read_entries(const redisReply& entries) {
  if (entries.type != REDIS_REPLY_ARRAY) return;
  for (std::size_t i = 0; i < entries.elements; ++i) {
    ReceivedMessage message;
    std::string id;
    if (redis::detail::decode_entry(*entries.element[i], "frames", message, id)) {
      FT_FUZZ_CHECK(message.id == id && message.destination == "frames");
      fuzz::check_message_context(message);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (declares_huge_array(std::string_view(reinterpret_cast<const char*>(data), size))) return 0;
  redisReader* reader = redisReaderCreate();
  FT_FUZZ_CHECK(reader != nullptr);
  if (redisReaderFeed(reader, reinterpret_cast<const char*>(data), size) == REDIS_OK) {
    void* parsed = nullptr;
    // Every complete reply in the input: XREADGROUP [[stream, entries]…] and XAUTOCLAIM [cursor, entries, deleted].
    while (redisReaderGetReply(reader, &parsed) == REDIS_OK && parsed != nullptr) {
      const auto& reply = *static_cast<const redisReply*>(parsed);
      if (reply.type == REDIS_REPLY_ARRAY) {
        for (std::size_t i = 0; i < reply.elements; ++i) {
          const redisReply* stream = reply.element[i];
          if (stream->type == REDIS_REPLY_ARRAY && stream->elements == 2) read_entries(*stream->element[1]);
        }
        if (reply.elements >= 2 && reply.element[0]->type == REDIS_REPLY_STRING) read_entries(*reply.element[1]);
      }
      freeReplyObject(parsed);
      parsed = nullptr;
    }
  }
  redisReaderFree(reader);
  return 0;
}
