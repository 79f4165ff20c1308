"""The asyncio client: calls multiplexed on one connection per endpoint; cancelling a task sends CANCEL."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from typing import Any, AsyncIterator, Dict, Iterable, List, Optional, Sequence, Tuple, Union

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
    __slots__ = ("future", "method")

    def __init__(self, method: Method, future: "asyncio.Future[Answer]") -> None:
        self.future = future
        self.method = method


class _Connection:
    """One TCP connection on the event loop and the calls in flight on it."""

    def __init__(
        self,
        endpoint: Endpoint,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        max_frame: int,
        keepalive: Optional[float],
        ping_timeout: float,
    ) -> None:
        self.endpoint = endpoint
        self._reader = reader
        self._writer = writer
        self._max_frame = max_frame
        self._keepalive = keepalive
        self._ping_timeout = ping_timeout
        self._pending: Dict[int, _Pending] = {}
        self._next_id = 1
        self._closing: Optional[RPCError] = None
        writer.write(_wire.PREFACE)
        self._task = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(
        cls, endpoint: Endpoint, timeout: float, max_frame: int, keepalive: Optional[float], ping_timeout: float
    ) -> _Connection:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(endpoint.host, endpoint.port), timeout)
        except (OSError, asyncio.TimeoutError) as error:
            reason = getattr(error, "strerror", None) or str(error) or "timed out"
            raise RPCError(StatusCode.UNAVAILABLE, f"cannot connect to {endpoint}: {reason}") from None
        return cls(endpoint, reader, writer, max_frame, keepalive, ping_timeout)

    @property
    def usable(self) -> bool:
        return self._closing is None

    def start(self, method: Method, payload: bytes) -> Tuple[int, "asyncio.Future[Answer]"]:
        """Queues a call's frame (frames are written in call-id order: the loop runs one task at a time)."""
        if self._closing is not None:
            raise NotTaken(self._closing)
        if self._next_id > _wire.MAX_CALL_ID:
            self._closing = RPCError(StatusCode.UNAVAILABLE, "the connection used every call id")
            raise NotTaken(self._closing)
        call_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = _Pending(method, future)
        self._writer.write(_wire.frame(_wire.REQUEST, call_id, payload))
        return call_id, future

    async def drain(self) -> None:
        """Waits while the socket's buffer is full (the server's back-pressure)."""
        try:
            await self._writer.drain()
        except (OSError, RuntimeError):
            pass  # the reader fails the calls

    def cancel(self, call_id: int) -> None:
        """Sends CANCEL and forgets the call (§7)."""
        if self._pending.pop(call_id, None) is not None and not self._writer.is_closing():
            self._writer.write(_wire.frame(_wire.CANCEL, call_id))

    async def close(self) -> None:
        self._fail_all(RPCError(StatusCode.UNAVAILABLE, "the client closed the connection"))
        self._task.cancel()
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except (OSError, asyncio.CancelledError):
            pass

    async def _read(self) -> None:
        decoder = _wire.FrameDecoder(self._max_frame)
        error = RPCError(StatusCode.UNAVAILABLE, f"the server {self.endpoint} closed the connection")
        try:
            preface = await self._reader.read(len(_wire.PREFACE))
            while len(preface) < len(_wire.PREFACE) and preface == _wire.PREFACE[: len(preface)]:
                more = await self._reader.read(len(_wire.PREFACE) - len(preface))
                if not more:
                    break
                preface += more
            if preface != _wire.PREFACE:
                if preface:
                    error = _wire.preface_error(preface)
                return
            ping_sent = False
            while True:
                wait = self._keepalive if not ping_sent else self._ping_timeout
                try:
                    data = await asyncio.wait_for(self._reader.read(1 << 16), wait)
                except asyncio.TimeoutError:
                    if ping_sent:
                        error = RPCError(StatusCode.UNAVAILABLE, f"the server {self.endpoint} stopped answering")
                        return
                    if self._pending:
                        ping_sent = True
                        self._writer.write(_wire.frame(_wire.PING, 0, os.urandom(8)))
                    continue
                if not data:
                    return
                ping_sent = False
                for frame in decoder.feed(data):
                    self._handle(frame)
        except _wire.FrameTooLarge as too_large:
            error = RPCError(StatusCode.RESOURCE_EXHAUSTED, str(too_large))
        except OSError as failure:
            error = RPCError(StatusCode.UNAVAILABLE, f"connection to {self.endpoint} failed: {failure}")
        finally:
            self._fail_all(error)
            self._writer.close()

    def _handle(self, frame: _wire.Frame) -> None:
        if frame.type == _wire.RESPONSE:
            pending = self._pending.pop(frame.call_id, None)
            if pending is not None and not pending.future.done():
                pending.future.set_result(_wire.decode_response(pending.method, frame.payload))
        elif frame.type == _wire.PING:
            if not frame.flags & _wire.ACK:
                self._writer.write(_wire.frame(_wire.PING, 0, frame.payload, _wire.ACK))
        elif frame.type == _wire.GOAWAY:
            goaway = _wire.decode_goaway(frame.payload)
            reason = _wire.goaway_error(self.endpoint, goaway)
            self._closing = self._closing or reason
            for call_id in [call_id for call_id in self._pending if call_id > goaway.last_call_id]:
                pending = self._pending.pop(call_id)
                if pending.future.done():
                    continue
                if goaway.code == 0:
                    pending.future.set_exception(NotTaken(reason))
                else:
                    pending.future.set_result(Answer(StatusCode.UNAVAILABLE, reason.message))

    def _fail_all(self, error: RPCError) -> None:
        self._closing = self._closing or error
        pending, self._pending = self._pending, {}
        for call in pending.values():
            if not call.future.done():
                call.future.set_result(Answer(error.code, error.message))


class AsyncClient:
    """An asyncio client of a filings server (docs/PROTOCOL.md), with the methods of ``Client`` as coroutines.

    Cancelling the task awaiting a call sends CANCEL: the server stops the call's work.

        async with AsyncClient("127.0.0.1:7878") as client:
            hits = [hit async for hit in client.query_all("dividend", kinds=["PRESS_RELEASE"])]
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
        """Options as for ``Client``; connections open on the first call, on the running loop."""
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
        self._connections: Dict[Endpoint, _Connection] = {}
        self._connecting: Dict[Endpoint, "asyncio.Future[_Connection]"] = {}
        self._turn = itertools.count()
        self._closed = False

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes every connection; calls in flight fail UNAVAILABLE."""
        self._closed = True
        connections, self._connections = list(self._connections.values()), {}
        for connection in connections:
            await connection.close()

    async def parse(
        self,
        content: bytes,
        filename: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.ParseResponse:
        """Parses one input file on the server and returns its facts; stores nothing."""
        return await self.call(
            "Parse",
            filings_pb2.ParseRequest(content=content, filename=filename),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    async def store(
        self,
        documents: Iterable[DocumentLike],
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.StoreResponse:
        """Stores documents (bytes, ``(filename, bytes)`` or ``StoreDocument``); one result each, in order."""
        return await self.call("Store", store_request(documents), timeout=timeout, metadata=metadata, retry=retry)

    async def query(
        self,
        text: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
        **filters: Any,
    ) -> filings_pb2.QueryResponse:
        """One page of filings matching `text` and the filters of ``QueryRequest`` given as keywords."""
        return await self.call("Query", query_request(text, **filters), timeout=timeout, metadata=metadata, retry=retry)

    async def query_all(self, text: str = "", **filters: Any) -> AsyncIterator[filings_pb2.QueryHit]:
        """Every hit of a query, page after page (pages of ``limit``, default 100)."""
        filters.setdefault("limit", 100)
        while True:
            page = await self.query(text, **filters)
            for hit in page.hits:
                yield hit
            if not page.next_page_token:
                return
            filters["page_token"] = page.next_page_token

    async def get(
        self,
        id: str,
        include_raw: bool = False,
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.GetResponse:
        """One stored filing by id or SHA-256; NOT_FOUND when there is none."""
        return await self.call(
            "Get",
            filings_pb2.GetRequest(id=id, include_raw=include_raw),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    async def delete(
        self, id: str, *, timeout: Optional[float] = None, metadata: Metadata = (), retry: Optional[RetryPolicy] = None
    ) -> filings_pb2.DeleteResponse:
        """Removes a stored filing; ``deleted`` is False when there was none."""
        return await self.call(
            "Delete", filings_pb2.DeleteRequest(id=id), timeout=timeout, metadata=metadata, retry=retry
        )

    async def reparse(
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
        return await self.call(
            "Reparse",
            filings_pb2.ReparseRequest(older_than=older_than, limit=limit, after_id=after_id),
            timeout=timeout,
            metadata=metadata,
            retry=retry,
        )

    async def stats(
        self, *, timeout: Optional[float] = None, metadata: Metadata = (), retry: Optional[RetryPolicy] = None
    ) -> filings_pb2.StatsResponse:
        """Server and store statistics."""
        return await self.call("Stats", filings_pb2.StatsRequest(), timeout=timeout, metadata=metadata, retry=retry)

    async def health(
        self,
        service: str = "",
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> filings_pb2.HealthResponse:
        """Whether the server is serving."""
        return await self.call(
            "Health", filings_pb2.HealthRequest(service=service), timeout=timeout, metadata=metadata, retry=retry
        )

    async def store_paths(
        self,
        paths: Iterable[Union[str, "os.PathLike[str]"]],
        *,
        batch_documents: int = 100,
        batch_bytes: int = 16 << 20,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> AsyncIterator[StoredPath]:
        """Stores files and folders (recursively) in batches; one ``StoredPath`` per file, as each batch lands."""
        for batch, failures in batches(walk_paths(paths), batch_documents, batch_bytes):
            for failure in failures:
                yield failure
            if not batch:
                continue
            try:
                response = await self.store(batch, timeout=timeout, metadata=metadata, retry=retry)
            except RPCError as error:
                results = batch_failed(batch, int(error.code), error.message)
            else:
                results = batch_results(batch, response)
            for stored in results:
                yield stored

    async def call(
        self,
        method: str,
        request: Message,
        *,
        timeout: Optional[float] = None,
        metadata: Metadata = (),
        retry: Optional[RetryPolicy] = None,
    ) -> Message:
        """Calls `method` with `request`; as ``Client.call``, and cancelling the awaiting task sends CANCEL."""
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
                return await self._attempt(described, request, deadline, all_metadata)
            except NotTaken as refused:
                transparent += 1
                if transparent > _wire.TRANSPARENT_RETRIES:
                    raise refused.error from None
            except RPCError as error:
                pause = policy.pause(described, error, attempt, deadline)
                if pause is None:
                    raise
                await asyncio.sleep(pause)
                attempt += 1

    async def _attempt(
        self, method: Method, request: Message, deadline: Optional[float], metadata: List[Tuple[str, str]]
    ) -> Message:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, "the deadline passed before the call was sent")
        payload = _wire.request_payload(method, request, remaining, metadata)
        connection = await self._connection()
        call_id, future = connection.start(method, payload)
        try:
            await connection.drain()
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            answer = await asyncio.wait_for(asyncio.shield(future), wait)
        except asyncio.TimeoutError:
            connection.cancel(call_id)
            raise RPCError(StatusCode.DEADLINE_EXCEEDED, f"no answer within {remaining:.3f} s") from None
        except BaseException:
            connection.cancel(call_id)
            raise
        return answer.result()

    async def _connection(self) -> _Connection:
        if self._closed:
            raise RPCError(StatusCode.UNAVAILABLE, "the client is closed")
        endpoint = self._endpoints[next(self._turn) % len(self._endpoints)]
        connection = self._connections.get(endpoint)
        if connection is not None and connection.usable:
            return connection
        # One connection attempt per endpoint at a time: the calls that come meanwhile wait for it.
        connecting = self._connecting.get(endpoint)
        if connecting is None:
            connecting = asyncio.ensure_future(
                _Connection.open(
                    endpoint, self._connect_timeout, self._max_frame, self._keepalive, self._keepalive_timeout
                )
            )
            self._connecting[endpoint] = connecting
            connecting.add_done_callback(lambda _: self._connecting.pop(endpoint, None))
        connection = await asyncio.shield(connecting)
        self._connections[endpoint] = connection
        return connection
