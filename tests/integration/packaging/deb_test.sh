#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb with CPack from the build tree, unpacks it into a temp root and runs the CLI from there.
# Usage: deb_test.sh BUILD_DIR WORK_DIR VERSION
set -euo pipefail
build=${1:?usage: deb_test.sh BUILD_DIR WORK_DIR VERSION}
work=${2:?}
version=${3:?}
rm -rf "$work"
mkdir -p "$work/root"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(find "$work" -maxdepth 1 -name "frame-tracking_${version}_*.deb")
test -n "$deb" || { echo "no frame-tracking_${version}_*.deb in $work"; ls "$work"; exit 1; }
dpkg-deb -x "$deb" "$work/root"

fail=0
actual=$("$work/root/usr/bin/frame-tracking" --version)
if [ "$actual" != "frame-tracking $version" ]; then echo "FAIL --version: '$actual'"; fail=1; fi
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libcurl4 libprotobuf32 libsqlite3-0; do
  case ", $depends," in *", $lib "*) ;; *) echo "FAIL Depends lacks $lib: $depends"; fail=1 ;; esac
done
test -f "$work/root/usr/include/frame_tracking/frame_tracker.hpp" || { echo "FAIL headers not in the package"; fail=1; }
for file in frame_trackingConfig.cmake frame_tracking.pc libframe_tracking_core.a; do
  test -n "$(find "$work/root/usr/lib" -name "$file")" || { echo "FAIL $file not in the package"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), $actual, Depends: $depends"
exit $fail
