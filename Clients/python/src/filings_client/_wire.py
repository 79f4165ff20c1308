"""The wire of docs/PROTOCOL.md: the preface, frames, call payloads and the methods. No I/O here."""

from __future__ import annotations

import random
import struct
import time
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple, Type

from google.protobuf import descriptor as _descriptor
from google.protobuf.message import DecodeError, Message

from ._proto.filings.rpc.v1 import wire_pb2
from ._proto.filings.v1 import filings_pb2
from ._status import RPCError, StatusCode

PREFACE = b"FILINGS\x01"
"""The 8 bytes both sides send first: the magic and protocol version 1 (§1)."""

FRAME_HEADER = struct.Struct(">IBBI")
"""Payload length, type, flags, call id (§2)."""

REQUEST, RESPONSE, CANCEL, PING, GOAWAY = 1, 2, 3, 4, 5
ACK = 0x01
MAX_CALL_ID = 2**32 - 1
DEFAULT_MAX_FRAME = 64 << 20


@dataclass(frozen=True)
class Frame:
    """One frame as it arrived."""

    type: int
    flags: int
    call_id: int
    payload: bytes


class FrameTooLarge(Exception):
    """A frame header announced more bytes than this client accepts."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"the server sent a frame of {length} bytes, over this client's limit of {limit} bytes")


class FrameDecoder:
    """Cuts a byte stream into frames, whatever the sizes of the pieces it arrives in."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max_frame = max_frame

    def feed(self, data: bytes) -> List[Frame]:
        """Adds `data` and returns every frame now complete; raises ``FrameTooLarge`` on an oversize length."""
        self._buffer += data
        frames: List[Frame] = []
        offset = 0
        size = FRAME_HEADER.size
        buffer = self._buffer
        while len(buffer) - offset >= size:
            length, type_, flags, call_id = FRAME_HEADER.unpack_from(buffer, offset)
            if length > self._max_frame:
                raise FrameTooLarge(length, self._max_frame)
            end = offset + size + length
            if len(buffer) < end:
                break
            frames.append(Frame(type_, flags, call_id, bytes(buffer[offset + size : end])))
            offset = end
        if offset:
            del buffer[:offset]
        return frames


def frame(type_: int, call_id: int, payload: bytes = b"", flags: int = 0) -> bytes:
    """The bytes of one frame."""
    return FRAME_HEADER.pack(len(payload), type_, flags, call_id) + payload


@dataclass(frozen=True)
class Method:
    """One method of the service, from the schema."""

    name: str
    path: str
    request: Type[Message]
    response: Type[Message]
    retry_safe: bool


def _methods() -> Dict[str, Method]:
    service = filings_pb2.DESCRIPTOR.services_by_name["Filings"]
    methods = {}
    for descriptor in service.methods:
        level = descriptor.GetOptions().idempotency_level
        methods[descriptor.name] = Method(
            name=descriptor.name,
            path=f"/{service.full_name}/{descriptor.name}",
            request=getattr(filings_pb2, descriptor.input_type.name),
            response=getattr(filings_pb2, descriptor.output_type.name),
            # NO_SIDE_EFFECTS (1) and IDEMPOTENT (2) are retry-safe (§4).
            retry_safe=level in (1, 2),
        )
    return methods


METHODS = _methods()


def nul_field(message: Message, prefix: str = "") -> Optional[str]:
    """The path of the first string field of `message` holding a NUL byte (§4, Strings), or None."""
    for descriptor, value in message.ListFields():
        name = prefix + descriptor.name
        # A repeated field's value is a container (the descriptor's `label` is gone from protobuf 7).
        repeated = not isinstance(value, (str, bytes, Message)) and hasattr(value, "__len__")
        values = list(value) if repeated else [value]
        for index, item in enumerate(values):
            path = f"{name}[{index}]" if repeated else name
            if descriptor.type == _descriptor.FieldDescriptor.TYPE_STRING and "\x00" in item:
                return path
            if descriptor.type == _descriptor.FieldDescriptor.TYPE_MESSAGE:
                found = nul_field(item, path + ".")
                if found:
                    return found
    return None


def request_payload(
    method: Method, request: Message, timeout: Optional[float], metadata: Sequence[Tuple[str, str]]
) -> bytes:
    """The payload of a REQUEST frame (§3); refuses strings with a NUL byte, as the server would, sending nothing."""
    header = wire_pb2.RequestHeader(method=method.path)
    if timeout is not None:
        header.timeout_micros = max(1, int(timeout * 1_000_000))
    for key, value in metadata:
        header.metadata.add(key=key.lower(), value=value)
    for message, what in ((request, f"request {request.DESCRIPTOR.full_name}"), (header, "call header")):
        path = nul_field(message)
        if path:
            raise RPCError(
                StatusCode.INVALID_ARGUMENT,
                f"{what}: string field '{path}' contains a NUL byte, which a string cannot carry",
            )
    encoded = header.SerializeToString()
    return struct.pack(">I", len(encoded)) + encoded + request.SerializeToString()


@dataclass
class Answer:
    """A decoded RESPONSE: the status, and the message when the status is OK."""

    code: StatusCode
    message: str
    metadata: List[Tuple[str, str]] = field(default_factory=list)
    body: Optional[Message] = None

    def result(self) -> Message:
        """The response message, or the call's ``RPCError``."""
        if self.code != StatusCode.OK or self.body is None:
            raise RPCError(self.code, self.message, self.metadata)
        return self.body


def decode_response(method: Method, payload: bytes) -> Answer:
    """The call's outcome from a RESPONSE payload; a payload that is not one is INTERNAL."""
    if len(payload) < 4:
        return Answer(StatusCode.INTERNAL, f"response payload of {len(payload)} bytes has no header length")
    (length,) = struct.unpack_from(">I", payload)
    if 4 + length > len(payload):
        return Answer(StatusCode.INTERNAL, f"response header length {length} is over the payload")
    header = wire_pb2.ResponseHeader()
    try:
        header.ParseFromString(payload[4 : 4 + length])
    except DecodeError:
        return Answer(StatusCode.INTERNAL, "malformed response header")
    metadata = [(entry.key, entry.value) for entry in header.metadata]
    code = StatusCode.of(header.code)
    if code != StatusCode.OK:
        return Answer(code, header.message, metadata)
    body = method.response()
    try:
        body.ParseFromString(payload[4 + length :])
    except DecodeError:
        return Answer(StatusCode.INTERNAL, f"response is not a valid {body.DESCRIPTOR.full_name}", metadata)
    return Answer(code, "", metadata, body)


def decode_goaway(payload: bytes) -> wire_pb2.GoAway:
    """A GOAWAY's message; an undecodable one reads as an error with no call taken."""
    goaway = wire_pb2.GoAway()
    try:
        goaway.ParseFromString(payload)
    except DecodeError:
        goaway = wire_pb2.GoAway(code=StatusCode.INTERNAL, message="malformed GOAWAY")
    return goaway


def goaway_error(endpoint: "Endpoint", goaway: wire_pb2.GoAway) -> RPCError:
    """The error of the calls a GOAWAY leaves unanswered: UNAVAILABLE, with the server's code and reason."""
    return RPCError(
        StatusCode.UNAVAILABLE,
        f"the server {endpoint} is going away ({StatusCode.of(goaway.code).name}): {goaway.message}",
    )


def preface_error(received: bytes) -> RPCError:
    """Why the first bytes a peer sent are not a filings server's preface."""
    if received.startswith(b"HTTP/"):
        what = "an HTTP server"
    elif received[:7] == PREFACE[:7]:
        what = f"a filings server of protocol version {received[7]}" if len(received) > 7 else "a filings server"
    else:
        what = "not a filings server"
    return RPCError(StatusCode.UNAVAILABLE, f"the peer is {what} (its first bytes: {received[:8]!r})")


@dataclass(frozen=True)
class Endpoint:
    """A server's host and port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_endpoints(addresses: "str | Sequence[str]") -> List[Endpoint]:
    """Endpoints from ``"host:port"``, ``"a:1,b:2"`` or a list of them; ``[::1]:7878`` for IPv6."""
    items = addresses.split(",") if isinstance(addresses, str) else list(addresses)
    endpoints = []
    for item in (item.strip() for item in items):
        if item.startswith("["):
            host, _, rest = item[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        else:
            host, _, port = item.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"'{item}' is not HOST:PORT")
        endpoints.append(Endpoint(host, int(port)))
    if not endpoints:
        raise ValueError("no endpoint given")
    return endpoints


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed call is sent again: `max_attempts` in all (1: never), on the `retryable` codes, for methods
    the schema marks retry-safe, waiting `initial_backoff` seconds doubling up to `max_backoff`, with jitter.

    A call the server provably did not take (its connection closed before it was sent, or a graceful GOAWAY
    excluded it) goes to another connection at once without counting as an attempt, whatever its method.
    """

    max_attempts: int = 3
    initial_backoff: float = 0.05
    max_backoff: float = 2.0
    retryable: FrozenSet[StatusCode] = frozenset({StatusCode.UNAVAILABLE})

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (1 for the first)."""
        ceiling = min(self.max_backoff, self.initial_backoff * (2 ** (retry - 1)))
        return random.uniform(ceiling / 2, ceiling)

    def allows(self, method: Method, error: RPCError, attempt: int) -> bool:
        """Whether a call that failed with `error` on attempt `attempt` is sent again."""
        return attempt < self.max_attempts and method.retry_safe and error.code in self.retryable

    def pause(self, method: Method, error: RPCError, attempt: int, deadline: Optional[float]) -> Optional[float]:
        """The seconds to wait before sending again a call that failed with `error` on attempt `attempt`, or None
        when it is not sent again (the policy says no, or the wait would pass the `deadline`, a monotonic time)."""
        if not self.allows(method, error, attempt):
            return None
        pause = self.backoff(attempt)
        if deadline is not None and time.monotonic() + pause >= deadline:
            return None
        return pause


NO_RETRY = RetryPolicy(max_attempts=1)

TRANSPARENT_RETRIES = 8
"""How many times a call the server did not take is sent again before its last error is raised."""


class NotTaken(Exception):
    """The call never reached a server that would process it: safe to send elsewhere, whatever its method."""

    def __init__(self, error: RPCError) -> None:
        super().__init__(str(error))
        self.error = error
