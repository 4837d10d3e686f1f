# SPDX-License-Identifier: Apache-2.0
"""frame-tracking for Python: the same frames, W3C trace context and OTLP spans as the C++ library.

Every frame gets a time-sortable FrameID (UUIDv7) that is also its trace id; each pipeline step is an
OpenTelemetry span exported over OTLP by the C++ exporter (no GIL needed while exporting); the context
crosses processes in W3C ``traceparent``/``tracestate``/``baggage`` fields::

    from frame_tracking import FrameTracker, TracerProvider

    with TracerProvider.from_env(service_name="detector") as provider:   # OTEL_* variables apply
        tracker = FrameTracker(provider)
        with tracker.begin_frame("cam-1", width=640, height=480) as frame:
            with frame.stage("detect"):
                ...

Bad input raises ValueError (with the field and the rule broken); broker failures raise
TransportError (a ConnectionError).
"""

from ._frame_tracking import (
    FRAME_METADATA_SCHEMA_VERSION,
    HAS_REDIS,
    Frame,
    FrameID,
    FrameMetadata,
    FrameTracker,
    Propagator,
    Span,
    SpanContext,
    SpanKind,
    StatusCode,
    TraceContext,
    Tracer,
    TracerProvider,
    __version__,
    extract,
    inject,
)

__all__ = [
    "FRAME_METADATA_SCHEMA_VERSION",
    "HAS_REDIS",
    "Frame",
    "FrameID",
    "FrameMetadata",
    "FrameTracker",
    "Propagator",
    "Span",
    "SpanContext",
    "SpanKind",
    "StatusCode",
    "TraceContext",
    "Tracer",
    "TracerProvider",
    "__version__",
    "extract",
    "inject",
]

if HAS_REDIS:
    from ._frame_tracking import Message, RedisConsumer, RedisProducer, TransportError

    __all__ += ["Message", "RedisConsumer", "RedisProducer", "TransportError"]
