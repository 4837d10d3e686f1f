#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CTest fixture setup: installs the current build tree into a fresh prefix (cmake --install), as a user would.
# Usage: install_prefix.sh BUILD_DIR PREFIX
set -euo pipefail
build=${1:?usage: install_prefix.sh BUILD_DIR PREFIX}
prefix=${2:?usage: install_prefix.sh BUILD_DIR PREFIX}
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
config=$(find "$prefix" -path '*/cmake/frame_tracking/frame_trackingConfig.cmake')
test -n "$config" || { echo "no frame_trackingConfig.cmake under $prefix" >&2; exit 1; }
test -x "$prefix/bin/frame-tracking" || { echo "no $prefix/bin/frame-tracking" >&2; exit 1; }
echo "installed into $prefix: $(find "$prefix" -type f | wc -l) files"
