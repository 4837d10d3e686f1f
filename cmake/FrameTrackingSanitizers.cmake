# SPDX-License-Identifier: Apache-2.0
# Whole-build instrumentation: sanitizers (make test-asan / test-tsan) and libFuzzer coverage (make fuzz).
# Included before any target is defined, so every library, test and tool of the build is instrumented
# alike (third-party shared libraries are not; see docs/hardening.md).

set(FRAME_TRACKING_SANITIZE "" CACHE STRING
    "Sanitizers for the whole build: empty, 'address,undefined' or 'thread'")
option(FRAME_TRACKING_BUILD_FUZZ "Build the fuzz/ targets as libFuzzer programs (clang only; instruments the whole build)" OFF)

if(FRAME_TRACKING_SANITIZE)
  if(FRAME_TRACKING_SANITIZE MATCHES "thread" AND FRAME_TRACKING_SANITIZE MATCHES "address")
    message(FATAL_ERROR "FRAME_TRACKING_SANITIZE: thread cannot be combined with address")
  endif()
  # UBSan findings fail the run instead of printing and going on.
  add_compile_options(-fsanitize=${FRAME_TRACKING_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${FRAME_TRACKING_SANITIZE})
endif()

if(FRAME_TRACKING_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "FRAME_TRACKING_BUILD_FUZZ needs clang (libFuzzer); configure with CXX=clang++ CC=clang")
  endif()
  # Coverage feedback for libFuzzer in every library the targets call; -fsanitize=fuzzer (the
  # engine and its main) is linked into the fuzz targets only (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
