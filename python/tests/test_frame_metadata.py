# SPDX-License-Identifier: Apache-2.0
"""FrameMetadata: keyword construction, exact JSON, round trip, equality and error messages."""

import pickle

import pytest

from frame_tracking import FRAME_METADATA_SCHEMA_VERSION, FrameID, FrameMetadata

SAMPLE_JSON = (
    '{"schema_version":1,"frame_id":"019acc8e-5e2f-7abc-9def-0123456789ab","camera_id":"cam-entrance-01",'
    '"sequence":123456,"capture_time_unix_ns":1764489600123456789,"width":1920,"height":1080,"size_bytes":48213,'
    '"pts":900900,"format":"h264","traceparent":"00-019acc8e5e2f7abc9def0123456789ab-00f067aa0ba902b7-03",'
    '"tracestate":"ft=cam1,rojo=00f067aa0ba902b7","attributes":{"lens":"wide","site":"berlin-2"}}'
)


def sample() -> FrameMetadata:
    return FrameMetadata(
        frame_id="019acc8e-5e2f-7abc-9def-0123456789ab",
        camera_id="cam-entrance-01",
        sequence=123456,
        capture_time_unix_ns=1764489600123456789,
        pts=900900,
        width=1920,
        height=1080,
        format="h264",
        size_bytes=48213,
        traceparent="00-019acc8e5e2f7abc9def0123456789ab-00f067aa0ba902b7-03",
        tracestate="ft=cam1,rojo=00f067aa0ba902b7",
        attributes={"site": "berlin-2", "lens": "wide"},
    )


def test_writes_the_same_json_as_the_cpp_library():
    assert sample().to_json() == SAMPLE_JSON


def test_round_trip_is_exact():
    meta = sample()
    back = FrameMetadata.from_json(meta.to_json())
    assert back == meta
    assert back.to_json() == SAMPLE_JSON
    assert back.frame_id == FrameID.parse("019acc8e-5e2f-7abc-9def-0123456789ab")
    assert back.attributes == {"lens": "wide", "site": "berlin-2"}
    assert back.schema_version == FRAME_METADATA_SCHEMA_VERSION == 1
    assert pickle.loads(pickle.dumps(meta)) == meta

    extremes = sample()
    extremes.sequence = 2**64 - 1
    extremes.size_bytes = 2**64 - 1
    extremes.capture_time_unix_ns = -(2**63)
    extremes.pts = None
    extremes.attributes = {"unicode": "Köln ✓", 'quote"key': "line\nbreak", "": ""}
    text = extremes.to_json()
    assert '"pts":null,' in text
    assert '"sequence":18446744073709551615,' in text
    again = FrameMetadata.from_json(text)
    assert again == extremes
    assert again != meta
    assert again.pts is None


def test_unknown_fields_are_kept_and_written_back():
    text = SAMPLE_JSON[:-1] + ',"future":{"x":[1,2]}}'
    meta = FrameMetadata.from_json(text)
    assert meta.unknown_fields == '{"future":{"x":[1,2]}}'
    assert meta.to_json() == text


def test_defaults_and_a_generated_frame_id():
    meta = FrameMetadata(camera_id="c")
    assert meta.frame_id.is_valid()
    assert (meta.sequence, meta.width, meta.height, meta.size_bytes, meta.pts) == (0, 0, 0, 0, None)
    assert meta.format == meta.traceparent == meta.tracestate == ""
    assert meta.attributes == {}


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"schema_version":1,"frame_id":"019acc8e-5e2f-7abc-9def-0123456789ab"}', "camera_id: required field is missing"),
        (SAMPLE_JSON.replace('"sequence":123456', '"sequence":"x"'), "sequence: expected unsigned integer, got string"),
        (SAMPLE_JSON.replace('"schema_version":1', '"schema_version":2'), "schema_version: 2 is newer than the supported 1; upgrade frame-tracking to read it"),
    ],
)
def test_errors_raise_value_error_naming_the_field(text, message):
    with pytest.raises(ValueError) as raised:
        FrameMetadata.from_json(text)
    assert str(raised.value) == message


def test_malformed_json_and_bad_frame_id_raise_value_error():
    with pytest.raises(ValueError, match="^frame metadata: malformed JSON: .* line 1, column 2"):
        FrameMetadata.from_json("{")
    with pytest.raises(ValueError, match="^frame id: "):
        FrameMetadata(frame_id="not-an-id")
    with pytest.raises(TypeError):
        FrameMetadata(frame_id=42)
    with pytest.raises(TypeError):
        FrameMetadata(camera_id="c", sequence=-1)
