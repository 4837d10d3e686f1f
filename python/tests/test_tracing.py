# SPDX-License-Identifier: Apache-2.0
"""Tracing from Python: frames, stages, context managers, errors, attributes (in-memory provider)."""

import re

import pytest

from frame_tracking import FrameMetadata, FrameTracker, SpanKind, StatusCode, TracerProvider


@pytest.fixture()
def provider():
    with TracerProvider.in_memory(service_name="py-test") as p:
        yield p


def by_name(spans):
    return {s["name"]: s for s in spans}


def test_a_frame_captured_in_python_has_a_valid_trace_context(provider):
    tracker = FrameTracker(provider)
    with tracker.begin_frame("cam-1", sequence=3, width=640, height=480, size_bytes=1000, pts=90000,
                             format="h264") as frame:
        frame_id = frame.frame_id
        span_id = frame.span_context.span_id
        # The trace id IS the FrameID (same 16 bytes); flags 03 = sampled + random (W3C Level 2).
        assert frame.metadata.traceparent == f"00-{frame_id.trace_id}-{span_id}-03"
        assert frame.context.trace_id == str(frame_id).replace("-", "")
        assert frame.context.is_valid()
        assert re.fullmatch(r"[0-9a-f]{16}", span_id) and span_id != "0" * 16
        with frame.stage("decode_frame", attributes={"decoder": "h264"}) as stage:
            assert stage.context.trace_id == frame_id.trace_id
            assert stage.is_recording()
    spans = by_name(provider.finished_spans())
    assert list(spans) == ["decode_frame", "capture_frame"]
    root, decode = spans["capture_frame"], spans["decode_frame"]
    frame_attributes = {
        "frame.id": str(frame_id),
        "camera.id": "cam-1",
        "frame.sequence": 3,
        "frame.size_bytes": 1000,
        "frame.width": 640,
        "frame.height": 480,
        "frame.pts": 90000,
    }
    assert root["trace_id"] == decode["trace_id"] == frame_id.trace_id
    assert root["span_id"] == span_id
    assert root["parent_span_id"] is None
    assert root["kind"] == SpanKind.INTERNAL
    assert root["attributes"] == frame_attributes
    assert decode["parent_span_id"] == span_id
    assert decode["attributes"] == {**frame_attributes, "decoder": "h264"}
    assert root["status_code"] == decode["status_code"] == StatusCode.UNSET
    assert root["trace_flags"] == 3


def test_an_exception_in_a_stage_records_an_error_and_is_reraised(provider):
    tracker = FrameTracker(provider.get_tracer("detector", "1.0"))
    with pytest.raises(KeyError):
        with tracker.begin_frame("cam-2") as frame:
            with pytest.raises(ValueError, match="no faces"):
                with frame.stage("detect"):
                    raise ValueError("no faces")
            raise KeyError("lost")
    spans = by_name(provider.finished_spans())
    detect, root = spans["detect"], spans["capture_frame"]
    assert detect["status_code"] == StatusCode.ERROR
    assert detect["status_message"] == "ValueError: no faces"
    assert [(e["name"], e["attributes"]) for e in detect["events"]] == [
        ("exception", {"exception.type": "ValueError", "exception.message": "no faces"})
    ]
    assert root["status_code"] == StatusCode.ERROR
    assert root["status_message"] == "KeyError: 'lost'"
    assert root["events"][0]["attributes"] == {"exception.type": "KeyError", "exception.message": "'lost'"}


def test_continue_frame_is_a_child_of_the_metadata_context(provider):
    tracker = FrameTracker(provider)
    with tracker.begin_frame("cam-3") as frame:
        sent = frame.metadata
    text = sent.to_json()
    received = FrameMetadata.from_json(text)
    with tracker.continue_frame(received, "process frames") as continued:
        with continued.stage("detect"):
            pass
    spans = by_name(provider.finished_spans())
    assert spans["process frames"]["trace_id"] == frame.frame_id.trace_id
    assert spans["process frames"]["parent_span_id"] == frame.span_context.span_id
    assert spans["process frames"]["parent_is_remote"] is True
    assert spans["process frames"]["kind"] == SpanKind.CONSUMER
    assert spans["detect"]["parent_span_id"] == spans["process frames"]["span_id"]
    assert FrameTracker.context_of(received) == frame.span_context.__class__.from_traceparent(sent.traceparent)


def test_drop_ends_the_journey_with_the_reason(provider):
    tracker = FrameTracker(provider)
    frame = tracker.begin_frame("cam-4")
    frame.drop("queue_full")
    assert not frame.is_recording()
    (root,) = provider.finished_spans()
    assert root["status_code"] == StatusCode.ERROR
    assert root["status_message"] == "frame dropped: queue_full"
    assert root["events"][0]["name"] == "frame.dropped"
    assert root["events"][0]["attributes"] == {"frame.drop_reason": "queue_full"}


def test_tracer_spans_attributes_and_parents(provider):
    tracer = provider.get_tracer("manual")
    with tracer.start_span("parent", kind=SpanKind.SERVER, attributes={"http.route": "/frames"}) as parent:
        child = tracer.start_span("child", parent=parent, kind=SpanKind.CLIENT)
        child.set_attribute("flag", True)
        child.set_attribute("count", 7)
        child.set_attribute("ratio", 0.5)
        child.set_attribute("tags", ["a", "b"])
        child.set_attribute("sizes", [1, 2, 3])
        child.set_attributes({"weights": [0.25, 0.75], "bits": [True, False]})
        child.add_event("checkpoint", {"step": 2}, time_unix_ns=1_700_000_000_000_000_000)
        child.set_status(StatusCode.OK)
        with pytest.raises(TypeError, match="attribute 'bad'"):
            child.set_attribute("bad", {"x": 1})
        with pytest.raises(TypeError, match="one type"):
            child.set_attribute("mixed", [1, "a"])
        with pytest.raises(ValueError, match="int64"):
            child.set_attribute("huge", 2**64)
        child.end()
    spans = by_name(provider.finished_spans())
    assert spans["child"]["parent_span_id"] == spans["parent"]["span_id"]
    assert spans["child"]["trace_id"] == spans["parent"]["trace_id"]
    assert spans["child"]["kind"] == SpanKind.CLIENT
    assert spans["child"]["status_code"] == StatusCode.OK
    assert spans["child"]["attributes"] == {
        "flag": True, "count": 7, "ratio": 0.5, "tags": ["a", "b"], "sizes": [1, 2, 3],
        "weights": [0.25, 0.75], "bits": [True, False],
    }
    assert spans["child"]["events"] == [
        {"name": "checkpoint", "time_unix_ns": 1_700_000_000_000_000_000, "attributes": {"step": 2}}
    ]
    assert spans["parent"]["attributes"] == {"http.route": "/frames"}
    assert provider.resource["service.name"] == "py-test"
    stats = provider.stats()
    assert stats["spans_started"] == stats["spans_ended"] == 2
    assert provider.finished_spans(clear=True) and provider.finished_spans() == []


def test_disabled_provider_and_shutdown():
    provider = TracerProvider.disabled()
    assert not provider.enabled
    frame = FrameTracker(provider).begin_frame("cam-5")
    assert frame.frame_id.is_valid()
    assert not frame.is_recording()
    assert frame.metadata.traceparent == ""
    with pytest.raises(RuntimeError, match="in_memory"):
        provider.finished_spans()
    memory = TracerProvider.in_memory()
    assert memory.force_flush(timeout=1.0)
    assert memory.shutdown(timeout=1.0)
    assert not memory.enabled
    with pytest.raises(ValueError):
        memory.force_flush(timeout=-1)
