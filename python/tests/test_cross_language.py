# SPDX-License-Identifier: Apache-2.0
"""One frame, one trace, across C++ and Python processes over Redis Streams, checked via the Jaeger API."""

import os
import subprocess
import time
import uuid

import pytest

from conftest import env_path, span_tree
from frame_tracking import FrameID, FrameTracker, RedisConsumer, RedisProducer, TracerProvider, TransportError


@pytest.fixture()
def otel_env(serve, monkeypatch):
    """OTLP export to the service, short batch delay; returns the environment for the C++ peers."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", serve.otlp_endpoint)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    monkeypatch.delenv("OTEL_PROPAGATORS", raising=False)
    return dict(os.environ)


def peer(env: dict, service: str, *args: str) -> str:
    """Runs the C++ peer as `service`; returns the last line it printed."""
    done = subprocess.run([str(env_path("FT_PYTHON_PEER")), *args], env={**env, "OTEL_SERVICE_NAME": service},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"peer {args} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
    return done.stdout.strip().splitlines()[-1]


def poll_one(consumer: RedisConsumer):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        messages = consumer.poll(max_count=1, timeout=0.5)
        if messages:
            return messages[0]
    pytest.fail("no message within 20 s")


def test_cpp_capture_python_detector_cpp_storage_in_one_trace(serve, redis_url, otel_env):
    suffix = uuid.uuid4().hex[:8]
    frames, results = f"frames-{suffix}", f"results-{suffix}"

    # C++: capture_frame ─┬─ decode_frame, └─ send frames-… (the frame goes to Redis).
    frame_id = FrameID.parse(peer(otel_env, "cpp-capture", "capture", redis_url, frames))

    # Python: continue the frame from the message, detect, send the result on.
    provider = TracerProvider.from_env(service_name="py-detector")
    tracer = provider.get_tracer("detector")
    tracker = FrameTracker(tracer)
    consumer = RedisConsumer(redis_url, frames, "py-detectors", "py-1", tracer)
    producer = RedisProducer(redis_url, tracer)
    message = poll_one(consumer)
    assert message.payload == b"frame-bytes"
    assert message.metadata.frame_id == frame_id
    assert consumer.context_of(message).trace_id == frame_id.trace_id
    with consumer.continue_frame(tracker, message) as frame:
        assert frame.frame_id == frame_id
        assert frame.context.trace_id == frame_id.trace_id
        with frame.stage("detect", attributes={"detector": "python"}):
            pass
        entry_id = producer.send(results, b"result", metadata=frame.metadata, parent=frame)
        assert entry_id.count("-") == 1
    assert consumer.ack(message)
    assert provider.shutdown(timeout=10)
    assert provider.stats()["spans_exported"] == 3

    # C++: process results-… ── store_frame, in the same trace.
    assert peer(otel_env, "cpp-storage", "process", redis_url, results, "storage", "store_frame") == frame_id.trace_id

    trace = serve.trace(frame_id.trace_id, 8)
    assert trace["traceID"] == frame_id.trace_id
    assert span_tree(trace) == (
        "capture_frame", "cpp-capture", "internal", [
            ("decode_frame", "cpp-capture", "internal", []),
            (f"send {frames}", "cpp-capture", "producer", [
                (f"process {frames}", "py-detector", "consumer", [
                    ("detect", "py-detector", "internal", []),
                    (f"send {results}", "py-detector", "producer", [
                        (f"process {results}", "cpp-storage", "consumer", [
                            ("store_frame", "cpp-storage", "internal", []),
                        ]),
                    ]),
                ]),
            ]),
        ])


def test_python_capture_continued_by_a_cpp_consumer(serve, redis_url, otel_env):
    frames = f"frames-{uuid.uuid4().hex[:8]}"
    with TracerProvider.from_env(service_name="py-capture") as provider:
        tracker = FrameTracker(provider)
        producer = RedisProducer(redis_url, tracker.tracer)
        with tracker.begin_frame("cam-py", sequence=1, width=320, height=240, size_bytes=5) as frame:
            with frame.stage("decode_frame"):
                pass
            producer.send(frames, b"frame", metadata=frame.metadata, parent=frame)
        frame_id = frame.frame_id

    assert peer(otel_env, "cpp-detector", "process", redis_url, frames, "detectors", "detect") == frame_id.trace_id

    trace = serve.trace(frame_id.trace_id, 5)
    assert span_tree(trace) == (
        "capture_frame", "py-capture", "internal", [
            ("decode_frame", "py-capture", "internal", []),
            (f"send {frames}", "py-capture", "producer", [
                (f"process {frames}", "cpp-detector", "consumer", [
                    ("detect", "cpp-detector", "internal", []),
                ]),
            ]),
        ])
    tags = {s["operationName"]: {t["key"]: t["value"] for t in s["tags"]} for s in trace["spans"]}
    assert tags["capture_frame"]["frame.id"] == str(frame_id)
    assert tags["capture_frame"]["camera.id"] == "cam-py"
    assert tags[f"process {frames}"]["frame.id"] == str(frame_id)
    assert tags[f"send {frames}"]["messaging.system"] == "redis"


def test_plain_messages_process_and_settle_with_exact_spans(redis_url):
    stream = f"jobs-{uuid.uuid4().hex[:8]}"
    provider = TracerProvider.in_memory(service_name="py-worker")
    tracer = provider.get_tracer("worker")
    producer = RedisProducer(redis_url, tracer)
    consumer = RedisConsumer(redis_url, stream, "workers", "w-1", tracer)
    with tracer.start_span("request") as request:
        headers = {"job": "resize"}
        entry_id = producer.send(stream, bytearray(b"job"), parent=request, headers=headers)
    message = poll_one(consumer)
    assert (message.id, message.payload, message.header("job"), message.metadata) == (entry_id, b"job", "resize", None)
    assert [name for name, _ in message.headers] == ["job", "traceparent", "sent_unix_ns"]
    span = consumer.process(message)
    with pytest.raises(ValueError, match="^frame_metadata: header is missing from message "):
        consumer.continue_frame(FrameTracker(tracer), message)
    assert consumer.settle(message, span, ok=True)
    assert consumer.counters["acked"] == 1 and producer.counters["sent"] == 1
    spans = {s["name"]: s for s in provider.finished_spans()}
    assert spans[f"send {stream}"]["parent_span_id"] == spans["request"]["span_id"]
    assert spans[f"process {stream}"]["parent_span_id"] == spans[f"send {stream}"]["span_id"]
    assert spans[f"process {stream}"]["attributes"]["messaging.message.id"] == entry_id
    assert spans[f"send {stream}"]["attributes"]["messaging.destination.name"] == stream


def test_bad_urls_raise_value_error():
    tracer = TracerProvider.in_memory().get_tracer()
    with pytest.raises(ValueError) as raised:
        RedisProducer("http://x", tracer)
    assert str(raised.value) == "redis url: 'http://x' does not start with redis://"
    with pytest.raises(ValueError) as raised:
        RedisConsumer("redis://h:70000", "s", "g", "c", tracer)
    assert str(raised.value) == "redis url: port '70000' is not in 1..65535"
    assert issubclass(TransportError, ConnectionError)
