// SPDX-License-Identifier: Apache-2.0
// Tests of FrameId: layout, monotonic generation across threads, clock steps, overflow, text form.
#include "frame_tracking/frame_id.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

namespace frame_tracking {
namespace {

// The generator state of an id: unix_ms << 12 | counter (unique and increasing per generator).
std::uint64_t state_of(const FrameId& id) { return id.unix_ms() << 12 | id.counter(); }

std::uint64_t now_unix_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

TEST(FrameIdTest, GeneratesUuidV7Layout) {
  const std::uint64_t before = now_unix_ms();
  const FrameId id = FrameId::generate();
  const std::uint64_t after = now_unix_ms();
  EXPECT_EQ(id.version(), 7);
  EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80);
  EXPECT_TRUE(id.is_valid());
  // The default clock may be the kernel-tick clock, a tick or so behind the precise one; the
  // margin only proves the field holds the current Unix time in milliseconds.
  EXPECT_GE(id.unix_ms() + 1000, before);
  EXPECT_LE(id.unix_ms(), after + 1000);
  const std::string text = id.to_string();
  ASSERT_EQ(text.size(), 36u);
  EXPECT_EQ(text[14], '7');
  EXPECT_TRUE(text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b') << text;
}

TEST(FrameIdTest, NilIdIsInvalid) {
  EXPECT_FALSE(FrameId().is_valid());
  EXPECT_EQ(FrameId().to_string(), "00000000-0000-0000-0000-000000000000");
}

TEST(FrameIdTest, ThousandIdsAreUniqueAndSorted) {
  std::vector<FrameId> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(FrameId::generate());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
  std::unordered_set<FrameId> set(ids.begin(), ids.end());
  EXPECT_EQ(set.size(), 1000u);
}

// Two threads, 500,000 ids each from the system clock: each thread's ids strictly increase, and
// all 1,000,000 generator states are distinct, so the ids form one strictly increasing sequence.
TEST(FrameIdTest, MillionIdsFromTwoThreadsAreUniqueAndIncreasing) {
  constexpr std::size_t kPerThread = 500'000;
  FrameIdGenerator generator;
  std::vector<FrameId> a(kPerThread);
  std::vector<FrameId> b(kPerThread);
  auto run = [&generator](std::vector<FrameId>& out) {
    for (auto& id : out) id = generator.generate();
  };
  std::thread ta(run, std::ref(a));
  std::thread tb(run, std::ref(b));
  ta.join();
  tb.join();
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end(), std::greater_equal<>()), a.end());
  EXPECT_EQ(std::adjacent_find(b.begin(), b.end(), std::greater_equal<>()), b.end());
  std::vector<std::uint64_t> states;
  states.reserve(2 * kPerThread);
  for (const auto& id : a) states.push_back(state_of(id));
  for (const auto& id : b) states.push_back(state_of(id));
  std::sort(states.begin(), states.end());
  EXPECT_EQ(std::adjacent_find(states.begin(), states.end()), states.end());
}

// With the clock frozen, every generate() must add exactly 1 to the state in the order the
// threads won the CAS: the 1,000,000 states are exactly base .. base+999,999, no gap, no repeat
// (and the counter overflows into borrowed milliseconds 244 times on the way).
TEST(FrameIdTest, FrozenClockTwoThreadsGiveContiguousStates) {
  constexpr std::size_t kPerThread = 500'000;
  constexpr std::uint64_t kMs = 1'700'000'000'000;
  FrameIdGenerator generator([] { return kMs; });
  std::vector<FrameId> a(kPerThread);
  std::vector<FrameId> b(kPerThread);
  auto run = [&generator](std::vector<FrameId>& out) {
    for (auto& id : out) id = generator.generate();
  };
  std::thread ta(run, std::ref(a));
  std::thread tb(run, std::ref(b));
  ta.join();
  tb.join();
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end(), std::greater_equal<>()), a.end());
  EXPECT_EQ(std::adjacent_find(b.begin(), b.end(), std::greater_equal<>()), b.end());
  std::vector<std::uint64_t> states;
  for (const auto& id : a) states.push_back(state_of(id));
  for (const auto& id : b) states.push_back(state_of(id));
  std::sort(states.begin(), states.end());
  for (std::size_t i = 0; i < states.size(); ++i) ASSERT_EQ(states[i], (kMs << 12) + i) << i;
  EXPECT_EQ(states.back() >> 12, kMs + 244);
}

TEST(FrameIdTest, ClockSteppingBackFiveMsStaysIncreasing) {
  std::atomic<std::uint64_t> clock{1'000'000};
  FrameIdGenerator generator([&clock] { return clock.load(); });
  const FrameId first = generator.generate();
  const FrameId second = generator.generate();
  clock = 999'995;  // wall clock steps back 5 ms
  const FrameId third = generator.generate();
  const FrameId fourth = generator.generate();
  clock = 1'000'001;
  const FrameId fifth = generator.generate();

  EXPECT_EQ(first.unix_ms(), 1'000'000u);
  EXPECT_EQ(first.counter(), 0);
  EXPECT_EQ(second.counter(), 1);
  EXPECT_EQ(third.unix_ms(), 1'000'000u);  // the time field never goes back
  EXPECT_EQ(third.counter(), 2);
  EXPECT_EQ(fourth.counter(), 3);
  EXPECT_EQ(fifth.unix_ms(), 1'000'001u);
  EXPECT_EQ(fifth.counter(), 0);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(third, fourth);
  EXPECT_LT(fourth, fifth);
}

TEST(FrameIdTest, CounterOverflowBorrowsTheNextMillisecond) {
  std::atomic<std::uint64_t> clock{5'000};
  FrameIdGenerator generator([&clock] { return clock.load(); });
  FrameId previous;
  for (std::uint32_t i = 0; i <= FrameId::kMaxCounter; ++i) {
    const FrameId id = generator.generate();
    ASSERT_EQ(id.unix_ms(), 5'000u);
    ASSERT_EQ(id.counter(), i);
    ASSERT_LT(previous, id);
    previous = id;
  }
  const FrameId borrowed = generator.generate();  // 4097th id in the same millisecond
  EXPECT_EQ(borrowed.unix_ms(), 5'001u);
  EXPECT_EQ(borrowed.counter(), 0);
  EXPECT_LT(previous, borrowed);
  clock = 5'001;  // the clock reaches the borrowed millisecond: keep counting in it
  const FrameId same_ms = generator.generate();
  EXPECT_EQ(same_ms.unix_ms(), 5'001u);
  EXPECT_EQ(same_ms.counter(), 1);
  clock = 5'002;
  const FrameId next_ms = generator.generate();
  EXPECT_EQ(next_ms.unix_ms(), 5'002u);
  EXPECT_EQ(next_ms.counter(), 0);
}

TEST(FrameIdTest, TextRoundTripInAllAcceptedForms) {
  for (int i = 0; i < 100; ++i) {
    const FrameId id = FrameId::generate();
    const std::string canonical = id.to_string();
    std::string hex32 = canonical;
    std::erase(hex32, '-');
    std::string upper = canonical;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
    for (const std::string& text : {canonical, hex32, upper}) {
      auto parsed = FrameId::parse(text);
      ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
      EXPECT_EQ(*parsed, id);
      EXPECT_EQ(parsed->to_string(), canonical);
    }
  }
}

TEST(FrameIdTest, ParsesAKnownIdIntoItsFields) {
  auto id = FrameId::parse("019ACC8E-5E2F-7ABC-9DEF-0123456789AB");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->to_string(), "019acc8e-5e2f-7abc-9def-0123456789ab");
  EXPECT_EQ(id->unix_ms(), 0x019acc8e5e2fULL);
  EXPECT_EQ(id->version(), 7);
  EXPECT_EQ(id->counter(), 0xabc);
  EXPECT_EQ(id->random_bits(), 0x1def0123456789abULL);
  EXPECT_EQ(id->to_trace_id().to_hex(), "019acc8e5e2f7abc9def0123456789ab");
}

TEST(FrameIdTest, TextOrderEqualsNumericOrder) {
  std::vector<FrameId> ids;
  std::mt19937_64 rng(42);
  for (int i = 0; i < 1000; ++i) {
    std::array<std::uint8_t, 16> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    ids.emplace_back(bytes);
  }
  for (int i = 0; i < 1000; ++i) ids.push_back(FrameId::generate());
  std::vector<FrameId> by_bytes = ids;
  std::sort(by_bytes.begin(), by_bytes.end());
  std::vector<FrameId> by_text = ids;
  std::sort(by_text.begin(), by_text.end(),
            [](const FrameId& x, const FrameId& y) { return x.to_string() < y.to_string(); });
  EXPECT_EQ(by_bytes, by_text);
}

TEST(FrameIdTest, TraceIdConversionKeepsTheBytes) {
  const FrameId id = FrameId::generate();
  const TraceId trace_id = id.to_trace_id();
  EXPECT_EQ(trace_id.bytes(), id.bytes());
  // W3C Level 2 random flag: the rightmost 7 bytes are the id's random bits.
  EXPECT_EQ(trace_id.random_part(), id.random_bits() & ((std::uint64_t{1} << 56) - 1));
  EXPECT_EQ(FrameId::from_trace_id(trace_id), id);
  auto not_v7 = TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(not_v7);
  EXPECT_EQ(FrameId::from_trace_id(*not_v7), std::nullopt);
}

struct MalformedCase {
  const char* text;
  const char* message;
};

TEST(FrameIdTest, RejectsMalformedTextWithTheReason) {
  const MalformedCase cases[] = {
      {"", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 0 characters"},
      {"019acc8e-5e2f-7abc-9def-0123456789a", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 35 characters"},
      {"019acc8e-5e2f-7abc-9def-0123456789abc", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 37 characters"},
      {"019acc8e5e2f7abc9def0123456789a", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 31 characters"},
      {"{019acc8e-5e2f-7abc-9def-0123456789ab}", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 38 characters"},
      {"urn:uuid:019acc8e-5e2f-7abc-9def-0123456789ab", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 45 characters"},
      {" 019acc8e-5e2f-7abc-9def-0123456789ab", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 37 characters"},
      {"019acc8e05e2f-7abc-9def-0123456789ab", "frame id: expected '-' at offset 8, got '0' (canonical form is 8-4-4-4-12)"},
      {"019acc8e-5e2f07abc-9def-0123456789ab", "frame id: expected '-' at offset 13, got '0' (canonical form is 8-4-4-4-12)"},
      {"019acc8e-5e2f-7abc09def-0123456789ab", "frame id: expected '-' at offset 18, got '0' (canonical form is 8-4-4-4-12)"},
      {"019acc8e-5e2f-7abc-9def00123456789ab", "frame id: expected '-' at offset 23, got '0' (canonical form is 8-4-4-4-12)"},
      {"019acc8e_5e2f_7abc_9def_0123456789ab", "frame id: expected '-' at offset 8, got '_' (canonical form is 8-4-4-4-12)"},
      {"019acc8-e5e2f-7abc-9def-0123456789ab", "frame id: character '-' at offset 7 is not a hex digit"},
      {"019acc8g-5e2f-7abc-9def-0123456789ab", "frame id: character 'g' at offset 7 is not a hex digit"},
      {"019acc8e-5e2f-7abc-9def-0123456789az", "frame id: character 'z' at offset 35 is not a hex digit"},
      {"019acc8e 5e2f 7abc 9def 0123456789ab", "frame id: expected '-' at offset 8, got '\\x20' (canonical form is 8-4-4-4-12)"},
      {"019acc8e-5e2f-7abc-9def-01234567 9ab", "frame id: character '\\x20' at offset 32 is not a hex digit"},
      {"019acc8e5e2f7abc9def0123456789a-", "frame id: character '-' at offset 31 is not a hex digit"},
      {"0x9acc8e5e2f7abc9def0123456789ab", "frame id: character 'x' at offset 1 is not a hex digit"},
      {"00000000-0000-0000-0000-000000000000", "frame id: version is 0, expected 7 (UUIDv7, RFC 9562 §5.7)"},
      {"ffffffff-ffff-ffff-ffff-ffffffffffff", "frame id: version is 15, expected 7 (UUIDv7, RFC 9562 §5.7)"},
      {"550e8400-e29b-41d4-a716-446655440000", "frame id: version is 4, expected 7 (UUIDv7, RFC 9562 §5.7)"},
      {"019acc8e-5e2f-7abc-cdef-0123456789ab", "frame id: variant bits are 11, expected 10 (RFC 9562 §4.1)"},
      {"019acc8e-5e2f-7abc-1def-0123456789ab", "frame id: variant bits are 00, expected 10 (RFC 9562 §4.1)"},
      {"019acc8e5e2f7abc7def0123456789ab", "frame id: variant bits are 01, expected 10 (RFC 9562 §4.1)"},
  };
  static_assert(std::size(cases) >= 20);
  for (const auto& c : cases) {
    auto parsed = FrameId::parse(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput) << c.text;
    EXPECT_EQ(parsed.error().message, c.message) << c.text;
  }
  // A NUL byte inside the text is reported, not treated as the end.
  auto with_nul = FrameId::parse(std::string_view("019acc8e-5e2f-7abc-9def-0123\0" "56789ab", 36));
  ASSERT_FALSE(with_nul);
  EXPECT_EQ(with_nul.error().message, "frame id: character '\\x00' at offset 28 is not a hex digit");
}

TEST(FrameIdTest, HashSpreadsIds) {
  std::unordered_set<std::size_t> hashes;
  std::hash<FrameId> hash;
  for (int i = 0; i < 10'000; ++i) hashes.insert(hash(FrameId::generate()));
  EXPECT_EQ(hashes.size(), 10'000u);
}

// The forked child continues from the same generator state, so only its reseeded random bits keep
// its ids apart from the parent's: without the reseed both would produce the same 200 ids.
TEST(FrameIdTest, ForkedChildNeverRepeatsParentIds) {
  constexpr int kCount = 200;
  FrameIdGenerator generator([] { return std::uint64_t{42'000}; });
  (void)generator.generate();  // seed this thread's random generator before the fork
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    for (int i = 0; i < kCount; ++i) {
      const FrameId id = generator.generate();
      if (write(fds[1], id.bytes().data(), FrameId::kSize) != static_cast<ssize_t>(FrameId::kSize)) _exit(1);
    }
    _exit(0);
  }
  close(fds[1]);
  std::set<FrameId> parent_ids;
  for (int i = 0; i < kCount; ++i) parent_ids.insert(generator.generate());
  std::vector<FrameId> child_ids;
  std::array<std::uint8_t, FrameId::kSize> buffer{};
  std::size_t got = 0;
  while (true) {
    const ssize_t n = read(fds[0], buffer.data() + got, buffer.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    if (got == buffer.size()) {
      child_ids.emplace_back(buffer);
      got = 0;
    }
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(child_ids.size(), static_cast<std::size_t>(kCount));
  std::size_t same_state = 0;
  for (const auto& id : child_ids) {
    EXPECT_EQ(parent_ids.count(id), 0u) << id.to_string();
    for (const auto& p : parent_ids) same_state += state_of(p) == state_of(id) ? 1 : 0;
  }
  EXPECT_EQ(same_state, static_cast<std::size_t>(kCount));  // the states did collide, the ids did not
}

}  // namespace
}  // namespace frame_tracking
