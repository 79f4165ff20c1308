"""The wire without a server: docs/PROTOCOL.md's bytes, the frame decoder on any split, strings, endpoints."""

from __future__ import annotations

import random

import pytest

from filings_client import RPCError, StatusCode, messages
from filings_client._wire import (
    METHODS,
    PREFACE,
    RESPONSE,
    Frame,
    FrameDecoder,
    FrameTooLarge,
    decode_response,
    frame,
    parse_endpoints,
    request_payload,
)


def test_the_exchange_of_protocol_md_section_10() -> None:
    """A Health call on id 1, byte for byte as PROTOCOL.md §10 writes it, and its answer decoded."""
    request = frame(1, 1, request_payload(METHODS["Health"], messages.HealthRequest(), None, []))
    assert PREFACE == bytes.fromhex("46494C494E475301")
    assert request == (
        bytes.fromhex("00000020 01 00 00000001 0000001C 0A1A".replace(" ", "")) + b"/filings.v1.Filings/Health"
    )
    answer = decode_response(METHODS["Health"], bytes.fromhex("00000000 0801".replace(" ", "")))
    assert answer.code == StatusCode.OK
    assert answer.result().status == messages.SERVING


def test_the_decoder_gives_the_same_frames_however_the_bytes_are_split() -> None:
    frames = [Frame(RESPONSE, 0, i, bytes(random.Random(i).randrange(256) for _ in range(i * 7))) for i in range(40)]
    stream = b"".join(frame(f.type, f.call_id, f.payload, f.flags) for f in frames)
    rng = random.Random(7)
    splits = [[stream], [stream[i : i + 1] for i in range(len(stream))]]
    for _ in range(20):
        cuts = sorted(rng.sample(range(1, len(stream)), 30))
        splits.append([stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])])
    for pieces in splits:
        decoder = FrameDecoder()
        got = [decoded for piece in pieces for decoded in decoder.feed(piece)]
        assert got == frames


def test_an_oversize_length_is_refused_before_its_bytes_arrive() -> None:
    decoder = FrameDecoder(max_frame=1024)
    with pytest.raises(FrameTooLarge, match="1025 bytes"):
        decoder.feed(bytes.fromhex("00000401 02 00 00000001"))


def test_a_nul_in_any_string_is_refused_with_its_path_and_nothing_is_encoded() -> None:
    request = messages.StoreRequest()
    request.documents.add(content=b"\x00 bytes may hold NUL", filename="a.txt")
    request.documents.add(content=b"x", filename="b\x00.txt")
    with pytest.raises(RPCError) as refused:
        request_payload(METHODS["Store"], request, None, [])
    assert refused.value.code == StatusCode.INVALID_ARGUMENT
    assert "'documents[1].filename' contains a NUL byte" in refused.value.message
    with pytest.raises(RPCError, match=r"call header: string field 'metadata\[0\].value'"):
        request_payload(METHODS["Health"], messages.HealthRequest(), None, [("x-request-id", "a\x00b")])


def test_every_method_of_the_schema_is_known_and_retry_safe_as_the_schema_says() -> None:
    assert sorted(METHODS) == ["Delete", "Get", "Health", "Parse", "Query", "Reparse", "Stats", "Store"]
    assert all(method.retry_safe for method in METHODS.values())
    assert METHODS["Store"].path == "/filings.v1.Filings/Store"


def test_endpoints() -> None:
    assert [str(e) for e in parse_endpoints("a:1, b:2")] == ["a:1", "b:2"]
    assert [str(e) for e in parse_endpoints(["[::1]:7878"])] == ["[::1]:7878"]
    for bad in ("nohost", "a:", "a:0", "a:70000", ""):
        with pytest.raises(ValueError):
            parse_endpoints(bad)


def test_status_codes_are_grpcs() -> None:
    assert len(StatusCode) == 17
    assert StatusCode(16).name == "UNAUTHENTICATED"
    assert StatusCode.of(99) == StatusCode.UNKNOWN
