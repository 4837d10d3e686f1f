// SPDX-License-Identifier: Apache-2.0
// `frame-tracking id`: generate FrameIds, or show the fields of one.
#include "command.hpp"

#include "frame_tracking/frame_id.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace frame_tracking::cli {
namespace {

struct IdOptions {
  std::uint64_t count = 1;
  std::string parse;
  bool json = false;
};

// ISO 8601 UTC with milliseconds, e.g. 2025-11-30T08:00:00.123Z.
std::string iso8601_utc(std::uint64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(static_cast<std::int64_t>(unix_ms))};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  return buffer;
}

void print_ids(std::uint64_t count) {
  // One buffer per batch: generating is ~30 ns, so stdio per line would dominate.
  constexpr std::size_t kBatch = 1024;
  std::string out;
  out.reserve(kBatch * (FrameId::kStringSize + 1));
  while (count > 0) {
    const std::uint64_t n = std::min<std::uint64_t>(count, kBatch);
    out.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::size_t at = out.size();
      out.resize(at + FrameId::kStringSize + 1);
      FrameId::generate().write_string(out.data() + at);
      out.back() = '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    count -= n;
  }
  std::fflush(stdout);
}

int show_id(const IdOptions& options) {
  auto id = FrameId::parse(options.parse);
  if (!id) {
    std::cerr << "frame-tracking id: cannot parse '" << options.parse << "': " << id.error().message << "\n";
    return 2;
  }
  char random_hex[20];
  std::snprintf(random_hex, sizeof(random_hex), "%016llx", static_cast<unsigned long long>(id->random_bits()));
  if (options.json) {
    const nlohmann::ordered_json j = {
        {"frame_id", id->to_string()}, {"time", iso8601_utc(id->unix_ms())}, {"unix_ms", id->unix_ms()},
        {"version", id->version()},    {"counter", id->counter()},          {"random", random_hex},
        {"trace_id", id->to_trace_id().to_hex()}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "frame id:  " << id->to_string() << "\n"
            << "time:      " << iso8601_utc(id->unix_ms()) << "\n"
            << "unix ms:   " << id->unix_ms() << "\n"
            << "version:   " << static_cast<int>(id->version()) << " (UUIDv7, RFC 9562 variant)\n"
            << "counter:   " << id->counter() << "\n"
            << "random:    " << random_hex << " (62 bits)\n"
            << "trace id:  " << id->to_trace_id().to_hex() << "\n";
  return 0;
}

void setup(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<IdOptions>();
  CLI::App* cmd = app.add_subcommand("id", "Generate FrameIds (UUIDv7, time-sortable) or show the fields of one");
  auto* count = cmd->add_option("-n,--count", options->count, "How many ids to print, one per line")
                    ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{100'000'000}));
  auto* parse = cmd->add_option("--parse", options->parse,
                                "Show the time (ISO 8601 UTC), counter, random bits and trace id of this id "
                                "(canonical 8-4-4-4-12 or 32 hex digits)");
  parse->excludes(count);
  cmd->add_flag("--json", options->json, "With --parse: print the fields as JSON")->needs(parse);
  cmd->callback([options, parse, &exit_code] {
    if (parse->count() > 0) {
      exit_code = show_id(*options);
    } else {
      print_ids(options->count);
      exit_code = 0;
    }
  });
}

}  // namespace
}  // namespace frame_tracking::cli

FT_REGISTER_COMMAND("id", frame_tracking::cli::setup);
