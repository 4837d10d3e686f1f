// SPDX-License-Identifier: Apache-2.0
// Replay driver: runs a fuzz target's seed corpus and a fixed, deterministic set of mutations of it without libFuzzer.
//
// Used when the build is not a libFuzzer build (any compiler), so `make test` exercises every fuzz
// target: `fuzz_<name> [--runs=N] [--max-len=BYTES] <corpus dir or file>...`. The mutation stream
// depends only on the corpus and N, so a failure reproduces exactly; the input being run when a
// target aborts is written to ./crash-replay-<n> and its path printed.
#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Input = std::vector<std::uint8_t>;

const Input* g_current = nullptr;
std::size_t g_run = 0;

/// On abort: save the input being run (async-signal-safe calls only), then die as before.
extern "C" void save_current_input(int signal_number) {
  if (g_current != nullptr) {
    char path[64];
    const int n = std::snprintf(path, sizeof path, "crash-replay-%zu", g_run);
    const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      [[maybe_unused]] auto written = ::write(fd, g_current->data(), g_current->size());
      ::close(fd);
      [[maybe_unused]] auto a = ::write(STDERR_FILENO, "input saved to ", 15);
      [[maybe_unused]] auto b = ::write(STDERR_FILENO, path, static_cast<std::size_t>(n));
      [[maybe_unused]] auto c = ::write(STDERR_FILENO, "\n", 1);
    }
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

/// splitmix64: a small deterministic generator (the mutation stream must not depend on the platform).
struct Random {
  std::uint64_t state;
  std::uint64_t next() noexcept {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) noexcept { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

/// Bytes that matter to the parsers under test (separators, quotes, digits, hex, limits).
constexpr std::string_view kInteresting = "\x00\xff\x7f\x80-=,;:\"{}[]%0f9aF \t\r\n\\&+.";

/// One libFuzzer-style edit of `in`: bit flip, byte set, interesting byte, insert, erase,
/// duplicate a range, splice with `other`, or truncate. Never grows past `max_len`.
void mutate(Input& in, const Input& other, Random& rng, std::size_t max_len) {
  switch (rng.below(8)) {
    case 0:
      if (!in.empty()) in[rng.below(in.size())] ^= static_cast<std::uint8_t>(1U << rng.below(8));
      break;
    case 1:
      if (!in.empty()) in[rng.below(in.size())] = static_cast<std::uint8_t>(rng.next());
      break;
    case 2:
      if (!in.empty()) in[rng.below(in.size())] = static_cast<std::uint8_t>(kInteresting[rng.below(kInteresting.size())]);
      break;
    case 3:
      if (in.size() < max_len)
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)),
                  static_cast<std::uint8_t>(kInteresting[rng.below(kInteresting.size())]));
      break;
    case 4:
      if (!in.empty()) {
        const std::size_t at = rng.below(in.size());
        const std::size_t n = 1 + rng.below(std::min<std::size_t>(in.size() - at, 8));
        in.erase(in.begin() + static_cast<std::ptrdiff_t>(at), in.begin() + static_cast<std::ptrdiff_t>(at + n));
      }
      break;
    case 5:
      if (!in.empty() && in.size() < max_len) {
        const std::size_t at = rng.below(in.size());
        const std::size_t n = std::min(1 + rng.below(std::min<std::size_t>(in.size() - at, 16)), max_len - in.size());
        const Input chunk(in.begin() + static_cast<std::ptrdiff_t>(at), in.begin() + static_cast<std::ptrdiff_t>(at + n));
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)), chunk.begin(), chunk.end());
      }
      break;
    case 6: {
      const std::size_t keep = rng.below(in.size() + 1);
      const std::size_t from = rng.below(other.size() + 1);
      in.resize(keep);
      in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
      if (in.size() > max_len) in.resize(max_len);
      break;
    }
    default:
      in.resize(rng.below(in.size() + 1));
      break;
  }
}

void run(const Input& input) {
  g_current = &input;
  LLVMFuzzerTestOneInput(input.data(), input.size());
  g_current = nullptr;
  ++g_run;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 2000;
  std::size_t max_len = 4096;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--runs=", 0) == 0) {
      runs = std::strtoull(argv[i] + 7, nullptr, 10);
    } else if (arg.rfind("--max-len=", 0) == 0) {
      max_len = std::strtoull(argv[i] + 10, nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) files.push_back(entry.path());
    } else if (std::filesystem::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::fprintf(stderr, "usage: %s [--runs=N] [--max-len=BYTES] <corpus dir or file>...\n(no such file: %s)\n",
                   argv[0], argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Input> corpus;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) corpus.emplace_back();

  std::signal(SIGABRT, save_current_input);
  std::signal(SIGSEGV, save_current_input);
  for (const Input& input : corpus) run(input);
  Random rng{0x5EEDF00DULL};
  for (std::size_t i = 0; i < runs; ++i) {
    Input input = corpus[rng.below(corpus.size())];
    const Input& other = corpus[rng.below(corpus.size())];
    for (std::size_t edits = 1 + rng.below(4); edits > 0; --edits) mutate(input, other, rng, max_len);
    run(input);
  }
  std::printf("%zu corpus inputs and %zu mutations ran without a finding\n", corpus.size(), runs);
  return 0;
}
