#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compiles and runs a tiny program with nothing but `pkg-config --cflags --libs frame_tracking` of the installed core.
# Usage: pkgconfig_test.sh PREFIX WORK_DIR
set -euo pipefail
prefix=${1:?usage: pkgconfig_test.sh PREFIX WORK_DIR}
work=${2:?}
rm -rf "$work"
mkdir -p "$work"
pc=$(find "$prefix" -name frame_tracking.pc)
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
version=$(pkg-config --modversion frame_tracking)
cat >"$work/main.cpp" <<'CPP'
#include <frame_tracking/frame_id.hpp>
#include <frame_tracking/traceparent.hpp>
#include <iostream>
int main() {
  auto id = frame_tracking::FrameId::parse("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
  auto context = frame_tracking::parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  std::cout << (id ? id->to_string() : "bad id") << " " << (context ? context->trace_id.to_hex() : "bad") << "\n";
}
CPP
# shellcheck disable=SC2046  # pkg-config output is a list of words by design
g++ -std=c++20 -o "$work/main" "$work/main.cpp" $(pkg-config --cflags --libs frame_tracking)
actual=$("$work/main")
expected="0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b 0af7651916cd43dd8448eb211c80319c"
if [ "$actual" != "$expected" ]; then
  echo "FAIL: got '$actual', expected '$expected'"
  exit 1
fi
echo "ok: pkg-config frame_tracking $version: $actual"
