# SPDX-License-Identifier: Apache-2.0
"""FrameID: generation order, text form, parsing errors, ordering and hashing."""

import pickle
import re
import time

import pytest

from frame_tracking import FrameID

CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_thousand_ids_are_unique_and_sorted_in_generation_order():
    ids = [FrameID.generate() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert len({str(i) for i in ids}) == 1000
    assert ids == sorted(ids)
    assert [str(i) for i in ids] == sorted(str(i) for i in ids)
    assert all(a < b for a, b in zip(ids, ids[1:]))


def test_text_form_is_canonical_uuidv7_with_the_current_time():
    before = time.time_ns() // 1_000_000
    frame_id = FrameID.generate()
    after = time.time_ns() // 1_000_000
    text = str(frame_id)
    assert CANONICAL.match(text), text
    assert frame_id.version == 7
    assert frame_id.is_valid()
    # The generator reads a coarse clock (one kernel tick, ≤ 4 ms, behind): compare to the second.
    assert before - 1000 <= frame_id.unix_ms <= after
    assert frame_id.trace_id == text.replace("-", "")
    assert frame_id.bytes.hex() == frame_id.trace_id
    assert repr(frame_id) == f"FrameID('{text}')"


def test_parse_accepts_canonical_and_32_hex_in_any_case():
    text = "01890a5d-ac96-774b-bcce-b302099a8057"
    parsed = FrameID.parse(text)
    assert str(parsed) == text
    assert FrameID.parse(text.upper()) == parsed
    assert FrameID.parse(text.replace("-", "")) == parsed
    assert FrameID(text) == parsed
    assert parsed.unix_ms == 0x01890A5DAC96
    assert parsed.counter == 0x74B
    assert hash(FrameID.parse(text)) == hash(parsed)
    assert pickle.loads(pickle.dumps(parsed)) == parsed


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "frame id: expected 36 characters (canonical 8-4-4-4-12) or 32 hex digits, got 0 characters"),
        ("01890a5d-ac96-474b-bcce-b302099a8057", "frame id: version is 4, expected 7 (UUIDv7, RFC 9562 §5.7)"),
        ("01890a5d-ac96-774b-7cce-b302099a8057", "frame id: variant bits are 01, expected 10 (RFC 9562 §4.1)"),
        ("01890a5d_ac96-774b-bcce-b302099a8057",
         "frame id: expected '-' at offset 8, got '_' (canonical form is 8-4-4-4-12)"),
        ("01890a5d-ac96-774b-bcce-b302099a805g", "frame id: character 'g' at offset 35 is not a hex digit"),
    ],
)
def test_parse_errors_raise_value_error_with_the_cpp_message(text, message):
    with pytest.raises(ValueError) as raised:
        FrameID.parse(text)
    assert str(raised.value) == message


def test_from_trace_id():
    frame_id = FrameID.generate()
    assert FrameID.from_trace_id(frame_id.trace_id) == frame_id
    assert FrameID.from_trace_id("4bf92f3577b34da6a3ce929d0e0e4736") is None
    with pytest.raises(ValueError):
        FrameID.from_trace_id("xyz")
