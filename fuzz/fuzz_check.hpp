// SPDX-License-Identifier: Apache-2.0
// FT_FUZZ_CHECK: the invariant assertion of the fuzz targets (aborts, so libFuzzer and the replay driver report it).
#pragma once

#include <cstdio>
#include <cstdlib>

/// Aborts with the failed condition and its location when `condition` is false. Unlike assert()
/// it stays active in release builds, which is where the fuzz targets run.
#define FT_FUZZ_CHECK(condition)                                                                \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition);  \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)
