#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian package frame-tracking needs to build, test and run the demo.
# Idempotent: packages already present are skipped; apt-get only. Run as root (or with sudo).
set -euo pipefail

# `--build-only`: just what building the libraries and the CLI needs (deploy/Dockerfile's build stage):
# no test servers, test tools or Node.js packages.
build_only=false
if [ "${1:-}" = "--build-only" ]; then build_only=true; fi

build_packages=(
  build-essential cmake pkg-config ninja-build git ca-certificates
  # core
  nlohmann-json3-dev libcli11-dev
  # otlp exporter and service
  libcurl4-openssl-dev libprotobuf-dev protobuf-compiler zlib1g-dev
  libsqlite3-dev libcpp-httplib-dev libssl-dev
  # brokers, metrics, capture
  libhiredis-dev librabbitmq-dev prometheus-cpp-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
)

packages=(
  "${build_packages[@]}"
  # test tools; packaging and static checks (cpack DEB + dpkg-shlibdeps, YAML parsing, shellcheck)
  libgtest-dev libgmock-dev libbenchmark-dev
  dpkg-dev file python3-yaml shellcheck
  # `make fuzz`: clang 14 with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # brokers
  redis-server redis-tools
  rabbitmq-server
  # the Prometheus server + promtool the dashboard and alert tests run
  prometheus
  # Python bindings (pybind11), their wheel (python3 -m build) and tests (pytest)
  python3-dev python3-pybind11 python3-build python3-pytest python3-venv python3-setuptools
  # capture test clips
  ffmpeg
  # RTSP test server (GStreamer through Debian's python3-gi)
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-tools python3-gst-1.0
  # OTLP conformance oracle (OpenTelemetry JS, pinned in tests/conformance/package.json)
  nodejs
)

if $build_only; then packages=("${build_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#packages[@]} packages present"
fi

if $build_only; then exit 0; fi

# npm is needed only for the OTLP conformance oracle; Debian's nodejs may come without it.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends npm
fi

# The OTLP conformance oracle (OpenTelemetry JS, exact versions in tests/conformance/package-lock.json),
# installed once into tests/conformance/node_modules (git-ignored). Needs the npm registry.
conformance_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/conformance"
if [ ! -d "$conformance_dir/node_modules/otlp-pbjs" ]; then
  echo "install-deps: installing the OTLP conformance oracle into $conformance_dir/node_modules"
  (cd "$conformance_dir" && npm ci --no-audit --no-fund --ignore-scripts)
fi

# The Node.js interop peer (OpenTelemetry JS propagator + redis + amqplib, exact versions in
# tests/interop/package-lock.json), installed once into tests/interop/node_modules (git-ignored).
interop_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/interop"
if [ ! -d "$interop_dir/node_modules/amqplib" ]; then
  echo "install-deps: installing the Node.js interop peer into $interop_dir/node_modules"
  (cd "$interop_dir" && npm ci --no-audit --no-fund --ignore-scripts)
fi
