from filings_client._proto.filings.v1 import parsed_filing_pb2 as _parsed_filing_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DATE_ASCENDING: QueryOrder
DATE_DESCENDING: QueryOrder
DESCRIPTOR: _descriptor.FileDescriptor
NOT_SERVING: ServingStatus
QUERY_ORDER_UNSPECIFIED: QueryOrder
RELEVANCE: QueryOrder
SERVICE_UNKNOWN: ServingStatus
SERVING: ServingStatus
SERVING_STATUS_UNKNOWN: ServingStatus

class DeleteRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ["deleted"]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: bool
    def __init__(self, deleted: bool = ...) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ["id", "include_raw"]
    ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RAW_FIELD_NUMBER: _ClassVar[int]
    id: str
    include_raw: bool
    def __init__(self, id: _Optional[str] = ..., include_raw: bool = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ["filing", "id", "raw", "stored_at"]
    FILING_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    STORED_AT_FIELD_NUMBER: _ClassVar[int]
    filing: _parsed_filing_pb2.ParsedFiling
    id: str
    raw: bytes
    stored_at: str
    def __init__(self, id: _Optional[str] = ..., filing: _Optional[_Union[_parsed_filing_pb2.ParsedFiling, _Mapping]] = ..., raw: _Optional[bytes] = ..., stored_at: _Optional[str] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = ["service"]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    service: str
    def __init__(self, service: _Optional[str] = ...) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ["status"]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: ServingStatus
    def __init__(self, status: _Optional[_Union[ServingStatus, str]] = ...) -> None: ...

class KeyCount(_message.Message):
    __slots__ = ["count", "key"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    count: int
    key: str
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class MethodStats(_message.Message):
    __slots__ = ["calls", "max_ms", "method", "p50_ms", "p90_ms", "p99_ms", "statuses"]
    CALLS_FIELD_NUMBER: _ClassVar[int]
    MAX_MS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    P50_MS_FIELD_NUMBER: _ClassVar[int]
    P90_MS_FIELD_NUMBER: _ClassVar[int]
    P99_MS_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    calls: int
    max_ms: float
    method: str
    p50_ms: float
    p90_ms: float
    p99_ms: float
    statuses: _containers.RepeatedCompositeFieldContainer[StatusCount]
    def __init__(self, method: _Optional[str] = ..., calls: _Optional[int] = ..., statuses: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ..., p50_ms: _Optional[float] = ..., p90_ms: _Optional[float] = ..., p99_ms: _Optional[float] = ..., max_ms: _Optional[float] = ...) -> None: ...

class ParseRequest(_message.Message):
    __slots__ = ["content", "filename"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...

class ParseResponse(_message.Message):
    __slots__ = ["filing"]
    FILING_FIELD_NUMBER: _ClassVar[int]
    filing: _parsed_filing_pb2.ParsedFiling
    def __init__(self, filing: _Optional[_Union[_parsed_filing_pb2.ParsedFiling, _Mapping]] = ...) -> None: ...

class QueryHit(_message.Message):
    __slots__ = ["cik", "document_date", "form_type", "id", "issuer_name", "kind", "score", "sha256", "snippet", "symbol", "title"]
    CIK_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_DATE_FIELD_NUMBER: _ClassVar[int]
    FORM_TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SNIPPET_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    cik: str
    document_date: str
    form_type: str
    id: str
    issuer_name: str
    kind: _parsed_filing_pb2.Kind
    score: float
    sha256: str
    snippet: str
    symbol: str
    title: str
    def __init__(self, id: _Optional[str] = ..., sha256: _Optional[str] = ..., form_type: _Optional[str] = ..., kind: _Optional[_Union[_parsed_filing_pb2.Kind, str]] = ..., title: _Optional[str] = ..., issuer_name: _Optional[str] = ..., symbol: _Optional[str] = ..., cik: _Optional[str] = ..., document_date: _Optional[str] = ..., snippet: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class QueryRequest(_message.Message):
    __slots__ = ["cik", "company", "date_from", "date_to", "exact_total", "form_types", "kinds", "limit", "order", "page_token", "person", "symbol", "text"]
    CIK_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DATE_TO_FIELD_NUMBER: _ClassVar[int]
    EXACT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    FORM_TYPES_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    cik: str
    company: str
    date_from: str
    date_to: str
    exact_total: bool
    form_types: _containers.RepeatedScalarFieldContainer[str]
    kinds: _containers.RepeatedScalarFieldContainer[_parsed_filing_pb2.Kind]
    limit: int
    order: QueryOrder
    page_token: str
    person: str
    symbol: str
    text: str
    def __init__(self, text: _Optional[str] = ..., company: _Optional[str] = ..., symbol: _Optional[str] = ..., cik: _Optional[str] = ..., form_types: _Optional[_Iterable[str]] = ..., kinds: _Optional[_Iterable[_Union[_parsed_filing_pb2.Kind, str]]] = ..., date_from: _Optional[str] = ..., date_to: _Optional[str] = ..., person: _Optional[str] = ..., order: _Optional[_Union[QueryOrder, str]] = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ..., exact_total: bool = ...) -> None: ...

class QueryResponse(_message.Message):
    __slots__ = ["hits", "next_page_token", "total_count", "total_count_is_lower_bound"]
    HITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_IS_LOWER_BOUND_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[QueryHit]
    next_page_token: str
    total_count: int
    total_count_is_lower_bound: bool
    def __init__(self, hits: _Optional[_Iterable[_Union[QueryHit, _Mapping]]] = ..., total_count: _Optional[int] = ..., next_page_token: _Optional[str] = ..., total_count_is_lower_bound: bool = ...) -> None: ...

class ReparseFailure(_message.Message):
    __slots__ = ["error_code", "error_message", "id"]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    error_code: int
    error_message: str
    id: str
    def __init__(self, id: _Optional[str] = ..., error_code: _Optional[int] = ..., error_message: _Optional[str] = ...) -> None: ...

class ReparseRequest(_message.Message):
    __slots__ = ["after_id", "limit", "older_than"]
    AFTER_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OLDER_THAN_FIELD_NUMBER: _ClassVar[int]
    after_id: str
    limit: int
    older_than: str
    def __init__(self, older_than: _Optional[str] = ..., limit: _Optional[int] = ..., after_id: _Optional[str] = ...) -> None: ...

class ReparseResponse(_message.Message):
    __slots__ = ["failures", "next_after_id", "parser_version", "remaining", "reparsed"]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    NEXT_AFTER_ID_FIELD_NUMBER: _ClassVar[int]
    PARSER_VERSION_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    REPARSED_FIELD_NUMBER: _ClassVar[int]
    failures: _containers.RepeatedCompositeFieldContainer[ReparseFailure]
    next_after_id: str
    parser_version: str
    remaining: int
    reparsed: int
    def __init__(self, reparsed: _Optional[int] = ..., failures: _Optional[_Iterable[_Union[ReparseFailure, _Mapping]]] = ..., remaining: _Optional[int] = ..., next_after_id: _Optional[str] = ..., parser_version: _Optional[str] = ...) -> None: ...

class ServerStats(_message.Message):
    __slots__ = ["calls_in_flight", "methods", "open_connections", "total_connections", "uptime_seconds", "version"]
    CALLS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    OPEN_CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    calls_in_flight: int
    methods: _containers.RepeatedCompositeFieldContainer[MethodStats]
    open_connections: int
    total_connections: int
    uptime_seconds: float
    version: str
    def __init__(self, version: _Optional[str] = ..., uptime_seconds: _Optional[float] = ..., open_connections: _Optional[int] = ..., total_connections: _Optional[int] = ..., calls_in_flight: _Optional[int] = ..., methods: _Optional[_Iterable[_Union[MethodStats, _Mapping]]] = ...) -> None: ...

class StatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StatsResponse(_message.Message):
    __slots__ = ["server", "store"]
    SERVER_FIELD_NUMBER: _ClassVar[int]
    STORE_FIELD_NUMBER: _ClassVar[int]
    server: ServerStats
    store: StoreStats
    def __init__(self, server: _Optional[_Union[ServerStats, _Mapping]] = ..., store: _Optional[_Union[StoreStats, _Mapping]] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ["code", "count"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    code: str
    count: int
    def __init__(self, code: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class StoreDocument(_message.Message):
    __slots__ = ["content", "filename"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...

class StoreRequest(_message.Message):
    __slots__ = ["documents"]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[StoreDocument]
    def __init__(self, documents: _Optional[_Iterable[_Union[StoreDocument, _Mapping]]] = ...) -> None: ...

class StoreResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[StoreResult]
    def __init__(self, results: _Optional[_Iterable[_Union[StoreResult, _Mapping]]] = ...) -> None: ...

class StoreResult(_message.Message):
    __slots__ = ["created", "error_code", "error_message", "filename", "id", "sha256"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    created: bool
    error_code: int
    error_message: str
    filename: str
    id: str
    sha256: str
    def __init__(self, id: _Optional[str] = ..., sha256: _Optional[str] = ..., created: bool = ..., filename: _Optional[str] = ..., error_code: _Optional[int] = ..., error_message: _Optional[str] = ...) -> None: ...

class StoreStats(_message.Message):
    __slots__ = ["backend", "by_form_type", "by_kind", "by_parser_version", "bytes_on_disk", "documents"]
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    BYTES_ON_DISK_FIELD_NUMBER: _ClassVar[int]
    BY_FORM_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_KIND_FIELD_NUMBER: _ClassVar[int]
    BY_PARSER_VERSION_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    backend: str
    by_form_type: _containers.RepeatedCompositeFieldContainer[KeyCount]
    by_kind: _containers.RepeatedCompositeFieldContainer[KeyCount]
    by_parser_version: _containers.RepeatedCompositeFieldContainer[KeyCount]
    bytes_on_disk: int
    documents: int
    def __init__(self, backend: _Optional[str] = ..., documents: _Optional[int] = ..., by_kind: _Optional[_Iterable[_Union[KeyCount, _Mapping]]] = ..., by_form_type: _Optional[_Iterable[_Union[KeyCount, _Mapping]]] = ..., bytes_on_disk: _Optional[int] = ..., by_parser_version: _Optional[_Iterable[_Union[KeyCount, _Mapping]]] = ...) -> None: ...

class QueryOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ServingStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
