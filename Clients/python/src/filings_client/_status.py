"""Status codes and the error a failed call raises."""

from __future__ import annotations

import enum
from typing import Sequence, Tuple


class StatusCode(enum.IntEnum):
    """The 17 status codes of docs/PROTOCOL.md §6: gRPC's codes, same numbers and names."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def of(cls, number: int) -> StatusCode:
        """The code numbered `number`; a number outside the table is UNKNOWN."""
        try:
            return cls(number)
        except ValueError:
            return cls.UNKNOWN


Metadata = Sequence[Tuple[str, str]]


class RPCError(Exception):
    """A call that did not end OK: the status the server (or this client) gave, and why.

    `code` is a ``StatusCode``, `message` is for people, `metadata` holds the response's trailing metadata
    (such as the echoed ``x-request-id``) when the server answered.
    """

    def __init__(self, code: StatusCode, message: str, metadata: Metadata = ()) -> None:
        super().__init__(f"{code.name}: {message}" if message else code.name)
        self.code = code
        self.message = message
        self.metadata = tuple(metadata)

    def __repr__(self) -> str:
        return f"RPCError({self.code.name}, {self.message!r})"
