"""Request messages from keyword arguments, shared by the blocking and the asyncio client."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._proto.filings.v1 import filings_pb2, parsed_filing_pb2

DocumentLike = Union[filings_pb2.StoreDocument, bytes, Tuple[str, bytes]]
"""A document to store: a ``StoreDocument``, its bytes, or ``(filename, bytes)``."""

DateLike = Union[str, datetime.date]

_ORDERS = {
    "relevance": filings_pb2.RELEVANCE,
    "newest": filings_pb2.DATE_DESCENDING,
    "date_descending": filings_pb2.DATE_DESCENDING,
    "oldest": filings_pb2.DATE_ASCENDING,
    "date_ascending": filings_pb2.DATE_ASCENDING,
}


def store_request(documents: Iterable[DocumentLike]) -> filings_pb2.StoreRequest:
    """A StoreRequest of `documents`."""
    request = filings_pb2.StoreRequest()
    for document in documents:
        if isinstance(document, filings_pb2.StoreDocument):
            request.documents.append(document)
        elif isinstance(document, (bytes, bytearray, memoryview)):
            request.documents.add(content=bytes(document))
        else:
            filename, content = document
            request.documents.add(filename=filename, content=bytes(content))
    return request


def query_request(
    text: str = "",
    *,
    company: str = "",
    symbol: str = "",
    cik: str = "",
    form_types: Sequence[str] = (),
    kinds: Sequence[Union[str, int]] = (),
    date_from: Optional[DateLike] = None,
    date_to: Optional[DateLike] = None,
    person: str = "",
    order: Union[str, int, None] = None,
    limit: int = 0,
    page_token: str = "",
    exact_total: bool = False,
) -> filings_pb2.QueryRequest:
    """A QueryRequest; `kinds` are names (``"PRESS_RELEASE"``) or numbers, `order` is ``"relevance"``,
    ``"newest"``, ``"oldest"`` or a ``QueryOrder`` number, dates are ISO strings or ``datetime.date``;
    `exact_total` counts every match (else ``total_count_is_lower_bound`` may say the total is "at least")."""
    request = filings_pb2.QueryRequest(
        text=text,
        company=company,
        symbol=symbol,
        cik=cik,
        form_types=list(form_types),
        person=person,
        limit=limit,
        page_token=page_token,
        exact_total=exact_total,
    )
    for kind in kinds:
        request.kinds.append(parsed_filing_pb2.Kind.Value(kind.upper()) if isinstance(kind, str) else kind)
    if date_from is not None:
        request.date_from = date_from if isinstance(date_from, str) else date_from.isoformat()
    if date_to is not None:
        request.date_to = date_to if isinstance(date_to, str) else date_to.isoformat()
    if isinstance(order, str):
        key = order.lower()
        if key not in _ORDERS:
            raise ValueError(f"order '{order}' is not one of {', '.join(sorted(_ORDERS))}")
        request.order = _ORDERS[key]
    elif order is not None:
        request.order = order  # type: ignore[assignment]  # a QueryOrder number
    return request


@dataclass(frozen=True)
class StoredPath:
    """What happened to one file given to ``store_paths``: stored (``id``, ``created``) or not (``error_code``,
    ``error_message``; the code is a ``StatusCode`` number)."""

    path: str
    id: str = ""
    sha256: str = ""
    created: bool = False
    error_code: int = 0
    error_message: str = ""

    @property
    def ok(self) -> bool:
        """Whether the file is stored (now or before)."""
        return self.error_code == 0 and bool(self.id)


def batch_results(batch: List[Tuple[str, bytes]], response: filings_pb2.StoreResponse) -> List[StoredPath]:
    """What happened to each file of a stored batch, from the Store response's results (in request order)."""
    return [
        StoredPath(path, result.id, result.sha256, result.created, result.error_code, result.error_message)
        for (path, _), result in zip(batch, response.results)
    ]


def batch_failed(batch: List[Tuple[str, bytes]], code: int, message: str) -> List[StoredPath]:
    """Each file of a batch the server refused as a whole, with the call's status."""
    return [StoredPath(path, error_code=code, error_message=message) for path, _ in batch]


def walk_paths(paths: Iterable[Union[str, os.PathLike]]) -> Iterator[str]:
    """Every regular file under `paths`: files as given, folders recursively in name order, hidden files skipped."""
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for root, directories, files in os.walk(path):
                directories[:] = sorted(d for d in directories if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def batches(
    paths: Iterable[str], max_documents: int, max_bytes: int
) -> Iterator[Tuple[List[Tuple[str, bytes]], List[StoredPath]]]:
    """Files read into batches of at most `max_documents` and about `max_bytes`; files that cannot be read come
    out beside the batch as failures (NOT_FOUND, PERMISSION_DENIED or INVALID_ARGUMENT, the OS's reason)."""
    batch: List[Tuple[str, bytes]] = []
    failures: List[StoredPath] = []
    size = 0
    for path in paths:
        try:
            with open(path, "rb") as file:
                content = file.read()
        except OSError as error:
            code = 5 if isinstance(error, FileNotFoundError) else 7 if isinstance(error, PermissionError) else 3
            failures.append(StoredPath(path, error_code=code, error_message=error.strerror or str(error)))
            continue
        if batch and (len(batch) >= max_documents or size + len(content) > max_bytes):
            yield batch, failures
            batch, failures, size = [], [], 0
        batch.append((path, content))
        size += len(content)
    if batch or failures:
        yield batch, failures
