#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes a real H.264 test clip with the ffmpeg CLI (testsrc2 640x480 at 25 fps, GOP 25, 2 B-frames), once.
# Usage: make-test-clip.sh OUTPUT.mp4 [SECONDS=10]
# The clip has exactly SECONDS*25 frames, a key frame every 25 frames, and B-frames (so decode order differs
# from presentation order). The moov box is written first (+faststart), so a truncated copy still opens.
# An existing OUTPUT is kept as is (cache); the file appears atomically, so parallel callers are safe.
set -euo pipefail
out=${1:?usage: make-test-clip.sh OUTPUT.mp4 [SECONDS]}
seconds=${2:-10}
case $seconds in '' | *[!0-9]*) echo "make-test-clip.sh: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2 ;; esac
[ "$seconds" -gt 0 ] || { echo "make-test-clip.sh: SECONDS must be > 0" >&2; exit 2; }
if [ -s "$out" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp "$(dirname "$out")/.clip.XXXXXX.mp4")
trap 'rm -f "$tmp"' EXIT
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=640x480:rate=25" \
  -frames:v $((seconds * 25)) -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 25 -keyint_min 25 \
  -sc_threshold 0 -bf 2 -movflags +faststart "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "made $out ($seconds s, $((seconds * 25)) frames)"
