# SPDX-License-Identifier: Apache-2.0
"""SpanContext / TraceContext values and W3C inject/extract over dict carriers."""

import pytest

from frame_tracking import Propagator, SpanContext, TraceContext, extract, inject

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
SPAN_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{SPAN_ID}-01"


def test_span_context_fields_and_traceparent():
    context = SpanContext(TRACE_ID, SPAN_ID, trace_flags=1, trace_state="rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    assert context.trace_id == TRACE_ID
    assert context.span_id == SPAN_ID
    assert context.trace_flags == 1
    assert context.is_sampled
    assert not context.is_remote
    assert context.is_valid()
    assert context.traceparent == TRACEPARENT
    assert context.trace_state == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
    assert SpanContext.from_traceparent(TRACEPARENT) == SpanContext(TRACE_ID, SPAN_ID, remote=True)
    assert not SpanContext("0" * 32, "0" * 16).is_valid()
    assert SpanContext("0" * 32, "0" * 16).traceparent == ""


def test_span_context_errors():
    with pytest.raises(ValueError) as raised:
        SpanContext("abc", SPAN_ID)
    assert str(raised.value) == "trace_id: expected 32 hex characters, got 'abc'"
    with pytest.raises(ValueError) as raised:
        SpanContext(TRACE_ID, "xyz")
    assert str(raised.value) == "span_id: expected 16 hex characters, got 'xyz'"
    with pytest.raises(ValueError, match="^traceparent: "):
        SpanContext.from_traceparent(f"00-{'0' * 32}-{SPAN_ID}-01")
    with pytest.raises(ValueError, match="^tracestate: "):
        SpanContext(TRACE_ID, SPAN_ID, trace_state="BAD KEY=1")


def test_inject_writes_exact_w3c_fields_into_a_dict():
    context = TraceContext(SpanContext(TRACE_ID, SPAN_ID, trace_state="congo=t61rcWkgMzE"), baggage={"camera": "cam 1"})
    carrier = {"traceparent": "stale", "other": "kept"}
    inject(context, carrier)
    assert carrier == {
        "traceparent": TRACEPARENT,
        "tracestate": "congo=t61rcWkgMzE",
        "baggage": "camera=cam%201",
        "other": "kept",
    }
    plain = {}
    inject(SpanContext(TRACE_ID, SPAN_ID), plain)
    assert plain == {"traceparent": TRACEPARENT}
    nothing = {}
    inject(TraceContext(), nothing)
    assert nothing == {}


def test_extract_reads_str_and_bytes_values():
    context = extract({"traceparent": TRACEPARENT, "tracestate": "congo=t61rcWkgMzE", "baggage": "camera=cam%201"})
    assert context.is_valid()
    assert context.trace_id == TRACE_ID
    assert context.span_id == SPAN_ID
    assert context.span_context.is_remote
    assert context.span_context.trace_state == "congo=t61rcWkgMzE"
    assert context.baggage == {"camera": "cam 1"}
    # redis-py returns bytes keys and values unless decode_responses=True.
    from_bytes = extract({b"traceparent": TRACEPARENT.encode(), b"payload": b"\x00\xff"})
    assert from_bytes.traceparent == TRACEPARENT


@pytest.mark.parametrize(
    "carrier",
    [
        {},
        {"traceparent": f"00-{TRACE_ID.upper()}-{SPAN_ID}-01"},
        {"traceparent": f"00-{'0' * 32}-{SPAN_ID}-01"},
        {"traceparent": 42},
        {"Traceparent": TRACEPARENT},
    ],
)
def test_extract_of_a_missing_or_bad_traceparent_is_invalid(carrier):
    context = extract(carrier)
    assert not context.is_valid()
    assert context.traceparent == ""


def test_bad_tracestate_is_dropped_but_traceparent_kept():
    context = extract({"traceparent": TRACEPARENT, "tracestate": "BAD KEY=1"})
    assert context.traceparent == TRACEPARENT
    assert context.span_context.trace_state == ""


def test_named_propagators():
    assert Propagator("tracecontext").fields == ["traceparent", "tracestate"]
    assert Propagator("tracecontext,baggage").fields == ["traceparent", "tracestate", "baggage"]
    carrier = {}
    Propagator("none").inject(SpanContext(TRACE_ID, SPAN_ID), carrier)
    assert carrier == {}
    assert not Propagator("baggage").extract({"traceparent": TRACEPARENT}).is_valid()
    with pytest.raises(ValueError) as raised:
        Propagator("b3")
    assert str(raised.value) == "OTEL_PROPAGATORS=b3: propagator 'b3' is not supported by frame-tracking (supported: tracecontext, baggage, none)"
