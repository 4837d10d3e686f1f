#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks `frame-tracking id`: generated ids (format, order, uniqueness), --parse output, errors and exit codes.
set -eu
cli="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cli" id --count 1000 > "$tmp/ids"
[ "$(wc -l < "$tmp/ids")" -eq 1000 ] || fail "--count 1000 printed $(wc -l < "$tmp/ids") lines"
if grep -Evq '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "$tmp/ids"; then
  fail "an id is not a lowercase canonical UUIDv7: $(grep -Ev '^[0-9a-f]{8}-[0-9a-f]{4}-7' "$tmp/ids" | head -1)"
fi
LC_ALL=C sort -c -u "$tmp/ids" || fail "ids are not strictly increasing"

[ -z "$("$cli" id --count 0)" ] || fail "--count 0 printed something"

"$cli" id --parse 019ACC8E5E2F7ABC9DEF0123456789AB > "$tmp/parse"
cat > "$tmp/expected" <<'OUT'
frame id:  019acc8e-5e2f-7abc-9def-0123456789ab
time:      2025-11-28T22:21:13.647Z
unix ms:   1764368473647
version:   7 (UUIDv7, RFC 9562 variant)
counter:   2748
random:    1def0123456789ab (62 bits)
trace id:  019acc8e5e2f7abc9def0123456789ab
OUT
diff -u "$tmp/expected" "$tmp/parse" || fail "--parse output differs"

"$cli" id --parse 019acc8e-5e2f-7abc-9def-0123456789ab --json > "$tmp/json"
grep -q '"time": "2025-11-28T22:21:13.647Z"' "$tmp/json" || fail "--json lacks the time"
grep -q '"trace_id": "019acc8e5e2f7abc9def0123456789ab"' "$tmp/json" || fail "--json lacks the trace id"

set +e
"$cli" id --parse 550e8400-e29b-41d4-a716-446655440000 > "$tmp/out" 2> "$tmp/err"
code=$?
set -e
[ "$code" -eq 2 ] || fail "bad id: exit code $code, expected 2"
[ ! -s "$tmp/out" ] || fail "bad id: printed to stdout"
[ "$(cat "$tmp/err")" = "frame-tracking id: cannot parse '550e8400-e29b-41d4-a716-446655440000': frame id: version is 4, expected 7 (UUIDv7, RFC 9562 §5.7)" ] ||
  fail "bad id: unexpected stderr: $(cat "$tmp/err")"

set +e
"$cli" id --count 2 --parse x > /dev/null 2>&1
code=$?
set -e
[ "$code" -eq 2 ] || fail "--count with --parse: exit code $code, expected 2"
echo "cli.id: all checks passed"
