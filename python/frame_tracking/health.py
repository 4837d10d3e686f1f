# SPDX-License-Identifier: Apache-2.0
"""Check a frame-tracking service, like ``frame-tracking health``: exit 0 when healthy, 1 otherwise.

``python -m frame_tracking.health --url http://127.0.0.1:8006 [--json] [--timeout-ms 5000]`` asks the
service's admin ``/health`` endpoint. Healthy means HTTP 200 with a JSON object whose ``status`` is
``"ok"``. The URL defaults to $FRAME_TRACKING_ADMIN_URL, else http://127.0.0.1:8006; a URL already
ending in /health is used as given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any, NamedTuple, Optional, Sequence

DEFAULT_URL = "http://127.0.0.1:8006"


class Verdict(NamedTuple):
    """The verdict on one /health answer: healthy, or the reason it is not, and the parsed body."""

    healthy: bool
    reason: str
    body: Any


def health_url(url: str) -> str:
    """The /health URL of an admin base URL (trailing slashes removed)."""
    base = url.rstrip("/")
    return base if base.endswith("/health") else base + "/health"


def judge(status: int, body: bytes, error: str, url: str) -> Verdict:
    """Judges one answer: `error` is the transport failure ("" when an answer arrived)."""
    if error:
        return Verdict(False, f"no answer from {url}: {error}", None)
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if status != 200:
        return Verdict(False, f"{url} answered HTTP {status}", parsed)
    if not isinstance(parsed, dict) or "status" not in parsed:
        return Verdict(False, f'{url} answered 200 but not the health JSON (no "status" field)', parsed)
    if parsed["status"] != "ok":
        return Verdict(False, "service reports status " + json.dumps(parsed["status"]), parsed)
    return Verdict(True, "", parsed)


def check(url: str, timeout_ms: int = 5000) -> Verdict:
    """GETs the /health URL of `url` (timeout in milliseconds) and judges the answer. Never raises."""
    target = health_url(url)
    try:
        with urllib.request.urlopen(target, timeout=timeout_ms / 1000) as response:
            return judge(response.status, response.read(), "", target)
    except urllib.error.HTTPError as answered:
        return judge(answered.code, answered.read(), "", target)
    except (urllib.error.URLError, OSError, ValueError) as failed:
        reason = getattr(failed, "reason", failed)
        return judge(0, b"", str(reason) or type(failed).__name__, target)


def summary(body: Any) -> str:
    """One line of store figures from a healthy answer ("" when the fields are absent)."""
    out = ""
    if "traces" in body and "spans" in body:
        out += f"{json.dumps(body['traces'])} traces, {json.dumps(body['spans'])} spans stored"
    counters = body.get("counters") if isinstance(body.get("counters"), dict) else {}
    if "spans_dropped" in counters:
        out += "; spans dropped: " + json.dumps(counters["spans_dropped"])
    if "spans_rejected" in counters:
        out += ", rejected: " + json.dumps(counters["spans_rejected"])
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The command line; returns the exit status (0 healthy, 1 not, 2 bad arguments)."""
    parser = argparse.ArgumentParser(
        prog="python -m frame_tracking.health",
        description="Check a frame-tracking service: exit 0 when healthy, 1 otherwise",
        epilog="Example: python -m frame_tracking.health --url http://127.0.0.1:8006",
    )
    parser.add_argument("--url", default=os.environ.get("FRAME_TRACKING_ADMIN_URL", DEFAULT_URL),
                        help="The service's admin base URL (or its /health URL); env FRAME_TRACKING_ADMIN_URL")
    parser.add_argument("--json", action="store_true",
                        help='Print {"healthy", "url", "reason", "health"} as one JSON line (keys sorted, like the CLI)')
    parser.add_argument("--timeout-ms", type=int, default=5000, help="How long to wait for the answer (ms)")
    options = parser.parse_args(argv)
    if not 1 <= options.timeout_ms <= 600000:
        parser.error("--timeout-ms: expected 1..600000")
    url = health_url(options.url)
    verdict = check(url, options.timeout_ms)
    if options.json:
        out = {"healthy": verdict.healthy, "url": url}
        if not verdict.healthy:
            out["reason"] = verdict.reason
        out["health"] = verdict.body
        print(json.dumps(out, separators=(",", ":"), sort_keys=True, ensure_ascii=False))
    elif verdict.healthy:
        figures = summary(verdict.body)
        print(f"healthy: {url}" + (f" ({figures})" if figures else ""))
    else:
        print(f"unhealthy: {verdict.reason}")
    return 0 if verdict.healthy else 1


if __name__ == "__main__":
    sys.exit(main())
