# SPDX-License-Identifier: Apache-2.0
"""Shared test helpers: the real `frame-tracking serve` on free ports, the Redis fixture, Jaeger trace trees."""

import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest


def env_path(name: str) -> Path:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set (run the tests through CTest)")
    return Path(value)


class Serve:
    """A `frame-tracking serve --otlp-port 0 --query-port 0 --admin-port 0` child and its ports."""

    def __init__(self, data_dir: Path):
        self.process = subprocess.Popen(
            [str(env_path("FT_CLI")), "serve", "--otlp-port", "0", "--query-port", "0", "--admin-port", "0",
             "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.ports = {}
        self.log = []
        ready = threading.Event()

        def read():
            for line in self.process.stdout:
                self.log.append(line)
                for name in ("otlp", "query", "admin"):
                    prefix = f"{name} listening on 127.0.0.1:"
                    if line.startswith(prefix):
                        self.ports[name] = int(line[len(prefix):])
                if len(self.ports) == 3:
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or len(self.ports) != 3:
            self.stop()
            pytest.fail("serve did not print its three ports; output:\n" + "".join(self.log))

    @property
    def otlp_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['otlp']}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['admin']}"

    def trace(self, trace_id: str, span_count: int, timeout: float = 30.0) -> dict:
        """GET /api/traces/<id> until it holds `span_count` spans; returns the Jaeger trace object."""
        url = f"http://127.0.0.1:{self.ports['query']}/api/traces/{trace_id}"
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    last = json.loads(response.read())
                if last["data"] and len(last["data"][0]["spans"]) >= span_count:
                    return last["data"][0]
            except urllib.error.HTTPError as error:  # 404 until the first span arrives
                last = error.code
            time.sleep(0.1)
        pytest.fail(f"trace {trace_id} did not reach {span_count} spans in {timeout} s; last answer: {last}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    service = Serve(tmp_path_factory.mktemp("serve"))
    yield service
    service.stop()


@pytest.fixture(scope="module")
def redis_url() -> str:
    port_file = env_path("FT_FIXTURE_DIR") / "redis.port"
    if not port_file.exists():
        pytest.fail(f"{port_file} is missing: the CTest fixture 'redis' did not start")
    return f"redis://127.0.0.1:{port_file.read_text().strip()}"


def span_tree(trace: dict):
    """The trace as nested (operationName, serviceName, kind, [children sorted]) tuples from its one root.
    Fails unless every span has the trace's id and exactly one span has no parent in the trace."""
    spans = {s["spanID"]: s for s in trace["spans"]}
    assert {s["traceID"] for s in spans.values()} == {trace["traceID"]}
    services = {pid: p["serviceName"] for pid, p in trace["processes"].items()}
    children = {span_id: [] for span_id in spans}
    roots = []
    for span in spans.values():
        parents = [r["spanID"] for r in span.get("references", []) if r["refType"] == "CHILD_OF"]
        assert len(parents) <= 1, span
        if parents:
            assert parents[0] in spans, f"{span['operationName']}: parent {parents[0]} is not in the trace"
            children[parents[0]].append(span["spanID"])
        else:
            roots.append(span["spanID"])
    assert len(roots) == 1, [spans[r]["operationName"] for r in roots]

    def kind(span):
        return next((t["value"] for t in span["tags"] if t["key"] == "span.kind"), "internal")

    def node(span_id):
        span = spans[span_id]
        return (span["operationName"], services[span["processID"]], kind(span),
                sorted((node(c) for c in children[span_id]), key=lambda n: n[0]))

    return node(roots[0])
