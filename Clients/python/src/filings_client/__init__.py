"""A client of filings, the service that parses, stores and queries SEC EDGAR filings.

    from filings_client import Client

    with Client("127.0.0.1:7878") as client:
        stored = client.store([("press.txt", open("press.txt", "rb").read())])
        for hit in client.query_all("merger", kinds=["PRESS_RELEASE"]):
            print(hit.document_date, hit.issuer_name, hit.title)

``Client`` blocks and is thread-safe; ``AsyncClient`` has the same methods as coroutines. Failed calls raise
``RPCError`` with a ``StatusCode``. The message classes are in ``filings_client.messages``.
"""

from __future__ import annotations

from ._async import AsyncClient
from ._convert import to_dataframe, to_dict
from . import messages
from ._requests import StoredPath
from ._status import RPCError, StatusCode
from ._sync import Client
from ._wire import NO_RETRY, Endpoint, RetryPolicy

__version__ = "1.0.0"
PROTOCOL_VERSION = 1

__all__ = [
    "AsyncClient",
    "Client",
    "Endpoint",
    "NO_RETRY",
    "PROTOCOL_VERSION",
    "RPCError",
    "RetryPolicy",
    "StatusCode",
    "StoredPath",
    "messages",
    "to_dataframe",
    "to_dict",
]
