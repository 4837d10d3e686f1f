// SPDX-License-Identifier: Apache-2.0
// Default id generator: FrameId trace ids, per-thread xoshiro256** span ids, fork-safe reseeding.
#include "frame_tracking/id_generator.hpp"

#include "fork_epoch.hpp"

#include "frame_tracking/frame_id.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace frame_tracking {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool os_random(void* out, std::size_t size) noexcept {
  auto* p = static_cast<unsigned char*>(out);
  while (size > 0) {
    ssize_t n = getrandom(p, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// xoshiro256** (Blackman & Vigna), one per thread.
struct ThreadRandom {
  std::uint64_t s[4] = {0, 0, 0, 0};
  std::uint32_t generation = 0;

  [[gnu::noinline, gnu::cold]] void seed() noexcept {
    std::uint64_t seed_words[4];
    if (!os_random(seed_words, sizeof seed_words)) {
      // No CSPRNG: mix time, thread and stack addresses; still distinct per thread and process.
      std::uint64_t x = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                        reinterpret_cast<std::uintptr_t>(this) ^ (static_cast<std::uint64_t>(pthread_self()) << 17);
      for (auto& w : seed_words) w = splitmix64(x);
    }
    std::memcpy(s, seed_words, sizeof s);
    if ((s[0] | s[1] | s[2] | s[3]) == 0) s[0] = 1;
    generation = detail::fork_epoch();
  }

  std::uint64_t next() noexcept {
    if (generation != detail::fork_epoch()) [[unlikely]] seed();  // first use, or inherited through fork()
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

thread_local ThreadRandom t_random;

class DefaultIdGenerator final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override { return FrameId::generate().to_trace_id(); }
  SpanId new_span_id() noexcept override {
    std::uint64_t v = t_random.next();
    while (v == 0) [[unlikely]] v = t_random.next();
    // Every byte is random, so the byte order does not matter: one store.
    std::array<std::uint8_t, SpanId::kSize> bytes;
    std::memcpy(bytes.data(), &v, sizeof v);
    return SpanId(bytes);
  }
  bool trace_ids_random() const noexcept override { return true; }
};

}  // namespace

std::unique_ptr<IdGenerator> make_default_id_generator() { return std::make_unique<DefaultIdGenerator>(); }

std::uint64_t fast_random_u64() noexcept { return t_random.next(); }

void secure_random_bytes(void* out, std::size_t size) noexcept {
  if (os_random(out, size)) return;
  auto* p = static_cast<unsigned char*>(out);
  for (std::size_t i = 0; i < size; i += 8) {
    std::uint64_t v = t_random.next();
    std::memcpy(p + i, &v, size - i < 8 ? size - i : 8);
  }
}

}  // namespace frame_tracking
