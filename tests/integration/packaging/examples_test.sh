#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds examples/ as a separate CMake project against the installed package and checks each example's exact output;
# then checks that a component missing from the installation fails find_package with a clear message.
# Usage: examples_test.sh SOURCE_DIR PREFIX WORK_DIR REDIS_PORT_FILE
set -euo pipefail
source_dir=${1:?usage: examples_test.sh SOURCE_DIR PREFIX WORK_DIR REDIS_PORT_FILE}
prefix=${2:?}
work=${3:?}
redis_port=$(cat "${4:?}")
rm -rf "$work"
mkdir -p "$work"

cmake -S "$source_dir/examples" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

fail=0
expect() {  # expect NAME EXPECTED COMMAND...
  local name=$1 expected=$2 actual
  shift 2
  actual=$("$@" 2>&1) || { echo "FAIL $name: exit $?"; echo "$actual"; fail=1; return; }
  if [ "$actual" != "$expected" ]; then
    echo "FAIL $name: output differs"
    diff <(echo "$expected") <(echo "$actual") || true
    fail=1
  else
    echo "ok $name"
  fi
}

expect frame_journey "capture_frame
  decode_frame
  send frames
    process frames
      detect
5 spans, one trace whose id is the frame id: yes" "$work/build/frame_journey"

expect http_propagation "traceparent header present: yes
server span in trace 0af7651916cd43dd8448eb211c80319c
server span is a child of the client span: yes" "$work/build/http_propagation"

expect otlp_service "traced 3 frames: 0 spans started, 0 dropped" \
  env OTEL_SDK_DISABLED=true "$work/build/otlp_service"

expect redis_queue "received <jpeg bytes> in the frame's trace: yes" \
  "$work/build/redis_queue" 127.0.0.1 "$redis_port"

# Every other component links from the package too (their third-party dependencies found by the package).
mkdir -p "$work/all"
cat >"$work/all/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(all_components LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(frame_tracking CONFIG REQUIRED COMPONENTS store rabbitmq capture metrics)
add_executable(all_components main.cpp)
target_link_libraries(all_components PRIVATE frame_tracking::store frame_tracking::rabbitmq frame_tracking::capture
                      frame_tracking::metrics)
CMAKE
cat >"$work/all/main.cpp" <<'CPP'
#include <frame_tracking/capture/video_source.hpp>
#include <frame_tracking/metrics/metrics_exposer.hpp>
#include <frame_tracking/rabbitmq/amqp_producer.hpp>
#include <frame_tracking/store/service.hpp>
#include <iostream>
int main() { std::cout << "store, rabbitmq, capture, metrics: linked\n"; }
CPP
expect all_components "store, rabbitmq, capture, metrics: linked" sh -c \
  "cmake -S '$work/all' -B '$work/all/build' -G Ninja -DCMAKE_PREFIX_PATH='$prefix' >'$work/all.log' 2>&1 &&
   cmake --build '$work/all/build' >>'$work/all.log' 2>&1 && '$work/all/build/all_components' || { cat '$work/all.log'; exit 1; }"

# A component this installation lacks fails clearly (the name and the option to turn on).
mkdir -p "$work/missing"
cat >"$work/missing/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(missing_component LANGUAGES CXX)
find_package(frame_tracking CONFIG REQUIRED COMPONENTS otlp teleport)
CMAKE
if cmake -S "$work/missing" -B "$work/missing/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/missing.log" 2>&1; then
  echo "FAIL missing component: find_package succeeded"
  fail=1
elif ! tr -s ' \n' ' ' <"$work/missing.log" | grep -q "component 'teleport' was not built into this installation"; then
  echo "FAIL missing component: unclear message"; cat "$work/missing.log"; fail=1
else
  echo "ok missing component fails clearly"
fi
exit $fail
