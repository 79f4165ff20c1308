"""The message and enum classes of the schema (``Protos/filings/v1``): ``QueryRequest``, ``ParsedFiling``,
``Kind``, ``PRESS_RELEASE``, ``SERVING``, ..."""

from ._proto.filings.v1.filings_pb2 import *  # noqa: F401,F403
from ._proto.filings.v1.parsed_filing_pb2 import *  # noqa: F401,F403
