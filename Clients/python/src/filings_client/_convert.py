"""Responses as plain Python data: dicts with proto3 JSON names, and pandas data frames."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Union

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from ._proto.filings.v1 import filings_pb2, parsed_filing_pb2


def to_dict(message: Message) -> Dict[str, Any]:
    """The message as its proto3 JSON mapping: lowerCamelCase names, enums by name, 64-bit integers as strings,
    bytes as base64, default values left out (the same JSON as the CLI's ``--json``)."""
    return MessageToDict(message)


def _hit_row(hit: filings_pb2.QueryHit) -> Dict[str, Any]:
    return {
        "id": hit.id,
        "sha256": hit.sha256,
        "form_type": hit.form_type,
        "kind": parsed_filing_pb2.Kind.Name(hit.kind),
        "title": hit.title,
        "issuer_name": hit.issuer_name,
        "symbol": hit.symbol,
        "cik": hit.cik,
        "document_date": hit.document_date,
        "snippet": hit.snippet,
        "score": hit.score,
    }


def to_dataframe(hits: Union[filings_pb2.QueryResponse, Iterable[filings_pb2.QueryHit]]) -> Any:
    """Query hits (a ``QueryResponse``, a list, or ``query_all``'s iterator) as a pandas ``DataFrame``, one row per
    hit, one column per ``QueryHit`` field (snake_case), ``document_date`` as a datetime. Needs pandas."""
    try:
        import pandas
    except ImportError as error:
        raise ImportError("to_dataframe needs pandas: pip install pandas") from error
    if isinstance(hits, filings_pb2.QueryResponse):
        hits = hits.hits
    rows: List[Dict[str, Any]] = [_hit_row(hit) for hit in hits]
    frame = pandas.DataFrame(rows, columns=[field.name for field in filings_pb2.QueryHit.DESCRIPTOR.fields])
    frame["document_date"] = pandas.to_datetime(frame["document_date"].replace("", None), format="%Y-%m-%d")
    return frame
