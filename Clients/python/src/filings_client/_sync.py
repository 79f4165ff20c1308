"""The blocking client: thread-safe, calls multiplexed on one connection per endpoint, each served by a reader
thread."""

from __future__ import annotations

import itertools
import os
import select
import socket
import threading
import time
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from google.protobuf.message import Message

from . import _wire
from ._proto.filings.v1 import filings_pb2
from ._requests import (
    DocumentLike,
    StoredPath,
    batch_failed,
    batch_results,
    batches,
    query_request,
    store_request,
    walk_paths,
)
from ._status import Metadata, RPCError, StatusCode
from ._wire import Answer, Endpoint, Method, NotTaken, RetryPolicy


class _Pending:
    """One call waiting for its answer."""

    __slots__ = ("event", "answer", "not_taken", "method")

    def __init__(self, method: Method) -> None:
        self.event = threading.Event()
        self.answer: Optional[Answer] = None
        self.not_taken: Optional[RPCError] = None
        self.method = method


class _Connection:
    """One TCP connection to a server and the calls in flight on it."""

    def __init__(
        self,
        endpoint: Endpoint,
        connect_timeout: float,
        max_frame: int,
        keepalive: Optional[float],
        ping_timeout: float,
    ) -> None:
        self.endpoint = endpoint
        try:
            self._socket = socket.create_connection((endpoint.host, endpoint.port), timeout=connect_timeout)
        except OSError as error:
            raise RPCError(StatusCode.UNAVAILABLE, f"cannot connect to {endpoint}: {error.strerror or error}") from None
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.settimeout(None)
        self._keepalive = keepalive
        self._ping_timeout = ping_timeout
        self._max_frame = max_frame
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: Dict[int, _Pending] = {}
        self._next_id = 1
        # Set once the connection takes no new calls: a GOAWAY came, or it closed.
        self._closing: Optional[RPCError] = None
        self._write(_wire.PREFACE)
        self._reader = threading.Thread(target=self._read, name=f"filings-client {endpoint}", daemon=True)
        self._reader.start()

    @property
    def usable(self) -> bool:
        """Whether new calls may go on this connection."""
        return self._closing is None

    def start(self, method: Method, payload: bytes) -> Tuple[int, _Pending]:
        """Sends a call; raises ``NotTaken`` when the connection no longer takes calls."""
        pending = _Pending(method)
        # Ids must reach the server in increasing order: choose the id and write under the write lock. The reader
        # never waits for that lock (it only takes `_lock`), so a write blocked by back-pressure cannot stop the
        # answers that would release it.
        with self._write_lock:
            with self._lock:
                if self._closing is not None:
                    raise NotTaken(self._closing)
                if self._next_id > _wire.MAX_CALL_ID:
                    self._closing = RPCError(StatusCode.UNAVAILABLE, "the connection used every call id")
                    raise NotTaken(self._closing)
                call_id = self._next_id
                self._next_id += 1
                self._pending[call_id] = pending
            try:
                self._socket.sendall(_wire.frame(_wire.REQUEST, call_id, payload))
            except OSError as error:
                with self._lock:
                    self._pending.pop(call_id, None)
                raise NotTaken(RPCError(StatusCode.UNAVAILABLE, f"connection to {self.endpoint} failed: {error}"))
        return call_id, pending

    def cancel(self, call_id: int) -> None:
        """Sends CANCEL for `call_id` and forgets the call; the server answers nothing for it (§7)."""
        with self._lock:
            if self._pending.pop(call_id, None) is None:
                return
        try:
            self._write(_wire.frame(_wire.CANCEL, call_id))
        except OSError:
            pass

    def close(self) -> None:
        """Closes the connection; calls in flight fail UNAVAILABLE."""
        self._fail_all(RPCError(StatusCode.UNAVAILABLE, "the client closed the connection"))
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._socket.close()

    def _write(self, data: bytes) -> None:
        with self._write_lock:
            self._socket.sendall(data)

    def _write_aside(self, data: bytes) -> None:
        """Writes `data` from a thread of its own: the reader must never wait for the write lock."""

        def write() -> None:
            try:
                self._write(data)
            except OSError:
                pass

        threading.Thread(target=write, daemon=True).start()

    def _read(self) -> None:
        decoder = _wire.FrameDecoder(self._max_frame)
        preface = b""
        ping_sent: Optional[float] = None
        error = RPCError(StatusCode.UNAVAILABLE, f"the server {self.endpoint} closed the connection")
        try:
            while True:
                wait = self._keepalive if ping_sent is None else self._ping_timeout
                readable, _, _ = select.select([self._socket], [], [], wait)
                if not readable:
                    # Keepalive: a silent connection with calls in flight is probed; an unanswered probe ends it.
                    now = time.monotonic()
                    if ping_sent is not None and now - ping_sent > self._ping_timeout:
                        error = RPCError(StatusCode.UNAVAILABLE, f"the server {self.endpoint} stopped answering")
                        return
                    if ping_sent is None and self._pending:
                        ping_sent = now
                        self._write_aside(_wire.frame(_wire.PING, 0, os.urandom(8)))
                    continue
                data = self._socket.recv(1 << 16)
                if not data:
                    return
                ping_sent = None
                if len(preface) < len(_wire.PREFACE):
                    need = len(_wire.PREFACE) - len(preface)
                    preface += data[:need]
                    data = data[need:]
                    if preface != _wire.PREFACE[: len(preface)]:
                        error = _wire.preface_error(preface + data)
                        return
                for frame in decoder.feed(data):
                    self._handle(frame)
        except _wire.FrameTooLarge as too_large:
            error = RPCError(StatusCode.RESOURCE_EXHAUSTED, str(too_large))
        except (OSError, ValueError) as failure:  # ValueError: the socket was closed by close()
            if self._closing is None:
                error = RPCError(StatusCode.UNAVAILABLE, f"connection to {self.endpoint} failed: {failure}")
        finally:
            self._fail_all(error)
            self._socket.close()

    def _handle(self, frame: _wire.Frame) -> None:
        if frame.type == _wire.RESPONSE:
            with self._lock:
                pending = self._pending.pop(frame.call_id, None)
            if pending is not None:  # else cancelled: drop it (§7)
                pending.answer = _wire.decode_response(pending.method, frame.payload)
                pending.event.set()
        elif frame.type == _wire.PING:
            if not frame.flags & _wire.ACK:
                self._write_aside(_wire.frame(_wire.PING, 0, frame.payload, _wire.ACK))
        elif frame.type == _wire.GOAWAY:
            goaway = _wire.decode_goaway(frame.payload)
            reason = _wire.goaway_error(self.endpoint, goaway)
            with self._lock:
                self._closing = self._closing or reason
                # Calls above last_call_id were not processed (§9): they may go elsewhere, whatever their method.
                refused = [call_id for call_id in self._pending if call_id > goaway.last_call_id]
                for call_id in refused:
                    pending = self._pending.pop(call_id)
                    if goaway.code == 0:
                        pending.not_taken = reason
                    else:
                        pending.answer = Answer(StatusCode.UNAVAILABLE, reason.message)
                    pending.event.set()
        # Other types are skipped (§2).

    def _fail_all(self, error: RPCError) -> None:
        with self._lock:
            self._closing = self._closing or error
            pending, self._pending = self._pending, {}
        for call in pending.values():
            call.answer = Answer(error.code, error.message)
            call.event.set()


class Client:
    """A blocking, thread-safe client of a filings server (docs/PROTOCOL.md).

    Calls from any number of threads share one connection per endpoint and go round-robin over the endpoints;
    a lost connection is opened again on the next call.

        with Client("127.0.0.1:7878") as client:
            for hit in client.query_all("merger agreement", form_types=["8-K"]):
                print(hit.document_date, hit.title)
    """

    def __init__(
        self,
        addresses: "str | Sequence[str]" = "127.0.0.1:7878",
        *,
        token: Optional[str] = None,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: RetryPolicy = RetryPolicy(),
        connect_timeout: float = 5.0,
        max_frame_size: int = _wire.DEFAULT_MAX_FRAME,
        keepalive: Optional[float] = 30.0,
        keepalive_timeout: float = 10.0,
    ) -> None:
        """A client of the servers at `addresses` (``"host:port"``, ``"a:1,b:2"`` or a list).

        `token` is sent as ``authorization: Bearer TOKEN``; `timeout` (seconds) is the deadline of calls that
        give none; `metadata` goes with every call; `retry` says which failures are sent again.
        """
        self._endpoints = _wire.parse_endpoints(addresses)
        self._metadata: List[Tuple[str, str]] = list(metadata)
        if token is not None:
            self._metadata.append(("authorization", f"Bearer {token}"))
        self._timeout = timeout
        self._retry = retry
        self._connect_timeout = connect_timeout
        self._max_frame = max_frame_size
        self._keepalive = keepalive
        self._keepalive_timeout = keepalive_timeout
        self._lock = threading.Lock()
        self._connections: Dict[Endpoint, _Connection] = {}
        self._turn = itertools.count()
        self._closed = False

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes every connection; calls in flight fail UNAVAILABLE."""
        with self._lock:
            self._closed = True
            connections, self._connections = list(self._connections.values()), {}
        for connection in connections:
            connection.close()

    # The methods of the service.

    def parse(
        self,
        content: bytes,
        filename: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.ParseResponse:
        """Parses one input file on the server and returns its facts; stores nothing."""
        return self.call(
            "Parse",
            filings_pb2.ParseRequest(content=content, filename=filename),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    def store(
        self,
        documents: Iterable[DocumentLike],
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.StoreResponse:
        """Stores documents (bytes, ``(filename, bytes)`` or ``StoreDocument``); one result each, in order."""
        return self.call("Store", store_request(documents), timeout=timeout, metadata=metadata, retry=retry)

    def query(
        self,
        text: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
        **filters: Any,
    ) -> filings_pb2.QueryResponse:
        """One page of filings matching `text` and the filters of ``QueryRequest`` given as keywords.

        `timeout`, `metadata` and `retry` are the call's options, as for every method."""
        return self.call("Query", query_request(text, **filters), timeout=timeout, metadata=metadata, retry=retry)

    def query_all(self, text: str = "", **filters: Any) -> Iterator[filings_pb2.QueryHit]:
        """Every hit of a query, page after page (pages of ``limit``, default 100)."""
        filters.setdefault("limit", 100)
        while True:
            page = self.query(text, **filters)
            yield from page.hits
            if not page.next_page_token:
                return
            filters["page_token"] = page.next_page_token

    def get(
        self,
        id: str,
        include_raw: bool = False,
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.GetResponse:
        """One stored filing by id or SHA-256; NOT_FOUND when there is none."""
        return self.call(
            "Get",
            filings_pb2.GetRequest(id=id, include_raw=include_raw),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    def delete(
        self, id: str, *, timeout: Optional[float] = None, metadata: Metadata = (), retry: Optional[RetryPolicy] = None
    ) -> filings_pb2.DeleteResponse:
        """Removes a stored filing; ``deleted`` is False when there was none."""
        return self.call("Delete", filings_pb2.DeleteRequest(id=id), timeout=timeout, metadata=metadata, retry=retry)

    def reparse(
        self,
        older_than: str = "",
        limit: int = 0,
        after_id: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.ReparseResponse:
        """Re-parses one batch of stored filings whose facts came from a parser older than ``older_than`` (default:
        the server's); call again with ``after_id=response.next_after_id`` until that is empty."""
        return self.call(
            "Reparse",
            filings_pb2.ReparseRequest(older_than=older_than, limit=limit, after_id=after_id),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    def stats(
        self, *, timeout: Optional[float] = None, metadata: Metadata = (), retry: Optional[RetryPolicy] = None
    ) -> filings_pb2.StatsResponse:
        """Server and store statistics."""
        return self.call("Stats", filings_pb2.StatsRequest(), timeout=timeout, metadata=metadata, retry=retry)

    def health(
        self,
        service: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.HealthResponse:
        """Whether the server is serving."""
        return self.call(
            "Health", filings_pb2.HealthRequest(service=service), timeout=timeout, metadata=metadata, retry=retry
        )

    def store_paths(
        self,
        paths: Iterable[Union[str, "os.PathLike[str]"]],
        *,
        batch_documents: int = 100,
        batch_bytes: int = 16 << 20,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> Iterator[StoredPath]:
        """Stores files and folders (recursively) in batches; one ``StoredPath`` per file, as each batch lands.

        A file that cannot be read, or a batch the server refuses as a whole, gives failed results for its
        files and the rest go on."""
        for batch, failures in batches(walk_paths(paths), batch_documents, batch_bytes):
            yield from failures
            if not batch:
                continue
            try:
                response = self.store(batch, timeout=timeout, metadata=metadata, retry=retry)
            except RPCError as error:
                yield from batch_failed(batch, int(error.code), error.message)
                continue
            yield from batch_results(batch, response)

    # The call path.

    def call(
        self,
        method: str,
        request: Message,
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> Message:
        """Calls `method` (``"Health"``, ...) with `request` and returns its response or raises ``RPCError``.

        `timeout` is in seconds and covers every attempt; on it the call is cancelled on the server (CANCEL) and
        DEADLINE_EXCEEDED is raised. An interrupt (Ctrl-C) while waiting cancels the call on the server too."""
        described = _wire.METHODS.get(method)
        if described is None:
            raise RPCError(StatusCode.UNIMPLEMENTED, f"unknown method '{method}'")
        timeout = self._timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        policy = retry or self._retry
        all_metadata = self._metadata + list(metadata)
        attempt, transparent = 1, 0
        while True:
            try:
                return self._attempt(described, request, deadline, all_metadata)
            except NotTaken as refused:
                transparent += 1
                if transparent > _wire.TRANSPARENT_RETRIES:
                    raise refused.error from None
            except RPCError as error:
                pause = policy.pause(described, error, attempt, deadline)
                if pause is None:
                    raise
                time.sleep(pause)
                attempt += 1

    def _attempt(
        self, method: Method, request: Message, deadline: Optional[float], metadata: List[Tuple[str, str]]
    ) -> Message:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, "the deadline passed before the call was sent")
        payload = _wire.request_payload(method, request, remaining, metadata)
        connection = self._connection()
        call_id, pending = connection.start(method, payload)
        try:
            if not pending.event.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
                connection.cancel(call_id)
                raise RPCError(StatusCode.DEADLINE_EXCEEDED, f"no answer within {remaining:.3f} s")
        except BaseException:
            connection.cancel(call_id)
            raise
        if pending.not_taken is not None:
            raise NotTaken(pending.not_taken)
        assert pending.answer is not None
        return pending.answer.result()

    def _connection(self) -> _Connection:
        """The next endpoint's connection, opened if it has none that takes calls."""
        with self._lock:
            if self._closed:
                raise RPCError(StatusCode.UNAVAILABLE, "the client is closed")
            endpoint = self._endpoints[next(self._turn) % len(self._endpoints)]
            connection = self._connections.get(endpoint)
            if connection is not None and connection.usable:
                return connection
            # Connecting under the lock: the calls that come meanwhile wait for this one attempt (at most
            # connect_timeout) rather than each opening a connection of its own.
            connection = _Connection(
                endpoint, self._connect_timeout, self._max_frame, self._keepalive, self._keepalive_timeout
            )
            self._connections[endpoint] = connection
            return connection
