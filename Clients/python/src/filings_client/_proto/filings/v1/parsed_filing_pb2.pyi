from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ANNUAL_REPORT: Kind
CURRENT_REPORT: Kind
DESCRIPTOR: _descriptor.FileDescriptor
FORMAT_UNSPECIFIED: Format
HTML: Format
KIND_UNSPECIFIED: Kind
LATE_FILING_NOTICE: Kind
OTHER: Kind
PLAIN_TEXT: Format
PRESS_RELEASE: Kind
QUARTERLY_REPORT: Kind
SGML_SUBMISSION: Format

class Address(_message.Message):
    __slots__ = ["city", "phone", "state", "street1", "street2", "zip"]
    CITY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STREET1_FIELD_NUMBER: _ClassVar[int]
    STREET2_FIELD_NUMBER: _ClassVar[int]
    ZIP_FIELD_NUMBER: _ClassVar[int]
    city: str
    phone: str
    state: str
    street1: str
    street2: str
    zip: str
    def __init__(self, street1: _Optional[str] = ..., street2: _Optional[str] = ..., city: _Optional[str] = ..., state: _Optional[str] = ..., zip: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ["email", "extension", "name", "organization", "phone", "role", "span"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    email: str
    extension: str
    name: str
    organization: str
    phone: str
    role: str
    span: Span
    def __init__(self, role: _Optional[str] = ..., name: _Optional[str] = ..., organization: _Optional[str] = ..., phone: _Optional[str] = ..., extension: _Optional[str] = ..., email: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class DateMention(_message.Message):
    __slots__ = ["date", "span", "text"]
    DATE_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    date: str
    span: Span
    text: str
    def __init__(self, text: _Optional[str] = ..., date: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class Dateline(_message.Message):
    __slots__ = ["city", "date", "state"]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    city: str
    date: str
    state: str
    def __init__(self, city: _Optional[str] = ..., state: _Optional[str] = ..., date: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ["binary", "contacts", "dateline", "dates", "description", "filename", "forward_looking", "issuer", "items", "kind", "late_filing", "money", "people", "percentages", "quotes", "securities", "sequence", "text", "title", "type", "urls"]
    BINARY_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    DATELINE_FIELD_NUMBER: _ClassVar[int]
    DATES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    FORWARD_LOOKING_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LATE_FILING_FIELD_NUMBER: _ClassVar[int]
    MONEY_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_FIELD_NUMBER: _ClassVar[int]
    PERCENTAGES_FIELD_NUMBER: _ClassVar[int]
    QUOTES_FIELD_NUMBER: _ClassVar[int]
    SECURITIES_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    URLS_FIELD_NUMBER: _ClassVar[int]
    binary: bool
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    dateline: Dateline
    dates: _containers.RepeatedCompositeFieldContainer[DateMention]
    description: str
    filename: str
    forward_looking: bool
    issuer: Security
    items: _containers.RepeatedCompositeFieldContainer[Item]
    kind: Kind
    late_filing: LateFiling
    money: _containers.RepeatedCompositeFieldContainer[Money]
    people: _containers.RepeatedCompositeFieldContainer[Person]
    percentages: _containers.RepeatedCompositeFieldContainer[Percentage]
    quotes: _containers.RepeatedCompositeFieldContainer[Quote]
    securities: _containers.RepeatedCompositeFieldContainer[Security]
    sequence: int
    text: str
    title: str
    type: str
    urls: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, type: _Optional[str] = ..., sequence: _Optional[int] = ..., filename: _Optional[str] = ..., description: _Optional[str] = ..., kind: _Optional[_Union[Kind, str]] = ..., title: _Optional[str] = ..., text: _Optional[str] = ..., dateline: _Optional[_Union[Dateline, _Mapping]] = ..., issuer: _Optional[_Union[Security, _Mapping]] = ..., securities: _Optional[_Iterable[_Union[Security, _Mapping]]] = ..., contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ..., people: _Optional[_Iterable[_Union[Person, _Mapping]]] = ..., quotes: _Optional[_Iterable[_Union[Quote, _Mapping]]] = ..., money: _Optional[_Iterable[_Union[Money, _Mapping]]] = ..., percentages: _Optional[_Iterable[_Union[Percentage, _Mapping]]] = ..., dates: _Optional[_Iterable[_Union[DateMention, _Mapping]]] = ..., urls: _Optional[_Iterable[str]] = ..., forward_looking: bool = ..., late_filing: _Optional[_Union[LateFiling, _Mapping]] = ..., items: _Optional[_Iterable[_Union[Item, _Mapping]]] = ..., binary: bool = ...) -> None: ...

class Filer(_message.Message):
    __slots__ = ["business_address", "cik", "company_name", "file_number", "fiscal_year_end", "former_names", "irs_number", "sic", "state_of_incorporation"]
    BUSINESS_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CIK_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_END_FIELD_NUMBER: _ClassVar[int]
    FORMER_NAMES_FIELD_NUMBER: _ClassVar[int]
    IRS_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SIC_FIELD_NUMBER: _ClassVar[int]
    STATE_OF_INCORPORATION_FIELD_NUMBER: _ClassVar[int]
    business_address: Address
    cik: str
    company_name: str
    file_number: str
    fiscal_year_end: str
    former_names: _containers.RepeatedCompositeFieldContainer[FormerName]
    irs_number: str
    sic: str
    state_of_incorporation: str
    def __init__(self, company_name: _Optional[str] = ..., cik: _Optional[str] = ..., sic: _Optional[str] = ..., irs_number: _Optional[str] = ..., state_of_incorporation: _Optional[str] = ..., fiscal_year_end: _Optional[str] = ..., file_number: _Optional[str] = ..., business_address: _Optional[_Union[Address, _Mapping]] = ..., former_names: _Optional[_Iterable[_Union[FormerName, _Mapping]]] = ...) -> None: ...

class FormerName(_message.Message):
    __slots__ = ["changed_at", "name"]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    changed_at: str
    name: str
    def __init__(self, name: _Optional[str] = ..., changed_at: _Optional[str] = ...) -> None: ...

class Item(_message.Message):
    __slots__ = ["number", "span", "title"]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    number: str
    span: Span
    title: str
    def __init__(self, number: _Optional[str] = ..., title: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class LateFiling(_message.Message):
    __slots__ = ["address", "change_explanation", "city_state_zip", "contact", "former_name", "forms", "narrative", "other_reports_filed", "period_ended", "registrant_name", "rule12b25b", "sec_file_number", "signature_date", "signer_name", "signer_title", "significant_change_expected", "transition_period_ended", "transition_reports"]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CHANGE_EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    CITY_STATE_ZIP_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    FORMER_NAME_FIELD_NUMBER: _ClassVar[int]
    FORMS_FIELD_NUMBER: _ClassVar[int]
    NARRATIVE_FIELD_NUMBER: _ClassVar[int]
    OTHER_REPORTS_FILED_FIELD_NUMBER: _ClassVar[int]
    PERIOD_ENDED_FIELD_NUMBER: _ClassVar[int]
    REGISTRANT_NAME_FIELD_NUMBER: _ClassVar[int]
    RULE12B25B_FIELD_NUMBER: _ClassVar[int]
    SEC_FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_DATE_FIELD_NUMBER: _ClassVar[int]
    SIGNER_NAME_FIELD_NUMBER: _ClassVar[int]
    SIGNER_TITLE_FIELD_NUMBER: _ClassVar[int]
    SIGNIFICANT_CHANGE_EXPECTED_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_PERIOD_ENDED_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_REPORTS_FIELD_NUMBER: _ClassVar[int]
    address: str
    change_explanation: str
    city_state_zip: str
    contact: LateFilingContact
    former_name: str
    forms: _containers.RepeatedScalarFieldContainer[str]
    narrative: str
    other_reports_filed: bool
    period_ended: str
    registrant_name: str
    rule12b25b: Rule12b25b
    sec_file_number: str
    signature_date: str
    signer_name: str
    signer_title: str
    significant_change_expected: bool
    transition_period_ended: str
    transition_reports: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, sec_file_number: _Optional[str] = ..., forms: _Optional[_Iterable[str]] = ..., period_ended: _Optional[str] = ..., transition_reports: _Optional[_Iterable[str]] = ..., transition_period_ended: _Optional[str] = ..., registrant_name: _Optional[str] = ..., former_name: _Optional[str] = ..., address: _Optional[str] = ..., city_state_zip: _Optional[str] = ..., rule12b25b: _Optional[_Union[Rule12b25b, _Mapping]] = ..., narrative: _Optional[str] = ..., contact: _Optional[_Union[LateFilingContact, _Mapping]] = ..., other_reports_filed: bool = ..., significant_change_expected: bool = ..., change_explanation: _Optional[str] = ..., signature_date: _Optional[str] = ..., signer_name: _Optional[str] = ..., signer_title: _Optional[str] = ...) -> None: ...

class LateFilingContact(_message.Message):
    __slots__ = ["area_code", "name", "phone"]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    area_code: str
    name: str
    phone: str
    def __init__(self, name: _Optional[str] = ..., area_code: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class Money(_message.Message):
    __slots__ = ["currency", "span", "text", "value"]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    currency: str
    span: Span
    text: str
    value: float
    def __init__(self, text: _Optional[str] = ..., value: _Optional[float] = ..., currency: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class ParsedFiling(_message.Message):
    __slots__ = ["byte_length", "documents", "format", "parser_version", "sha256", "submission", "warnings"]
    BYTE_LENGTH_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    PARSER_VERSION_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    byte_length: int
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    format: Format
    parser_version: str
    sha256: str
    submission: Submission
    warnings: _containers.RepeatedCompositeFieldContainer[Warning]
    def __init__(self, sha256: _Optional[str] = ..., byte_length: _Optional[int] = ..., parser_version: _Optional[str] = ..., format: _Optional[_Union[Format, str]] = ..., submission: _Optional[_Union[Submission, _Mapping]] = ..., documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ..., warnings: _Optional[_Iterable[_Union[Warning, _Mapping]]] = ...) -> None: ...

class Percentage(_message.Message):
    __slots__ = ["span", "text", "value"]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    span: Span
    text: str
    value: float
    def __init__(self, text: _Optional[str] = ..., value: _Optional[float] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class Person(_message.Message):
    __slots__ = ["name", "organization", "span", "title"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    organization: str
    span: Span
    title: str
    def __init__(self, name: _Optional[str] = ..., title: _Optional[str] = ..., organization: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class Quote(_message.Message):
    __slots__ = ["span", "speaker", "text"]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    span: Span
    speaker: str
    text: str
    def __init__(self, speaker: _Optional[str] = ..., text: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class Rule12b25b(_message.Message):
    __slots__ = ["a", "b", "c"]
    A_FIELD_NUMBER: _ClassVar[int]
    B_FIELD_NUMBER: _ClassVar[int]
    C_FIELD_NUMBER: _ClassVar[int]
    a: bool
    b: bool
    c: bool
    def __init__(self, a: bool = ..., b: bool = ..., c: bool = ...) -> None: ...

class Security(_message.Message):
    __slots__ = ["exchange", "name", "span", "symbol"]
    EXCHANGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    SYMBOL_FIELD_NUMBER: _ClassVar[int]
    exchange: str
    name: str
    span: Span
    symbol: str
    def __init__(self, name: _Optional[str] = ..., exchange: _Optional[str] = ..., symbol: _Optional[str] = ..., span: _Optional[_Union[Span, _Mapping]] = ...) -> None: ...

class Span(_message.Message):
    __slots__ = ["end", "start"]
    END_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    end: int
    start: int
    def __init__(self, start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class Submission(_message.Message):
    __slots__ = ["accession_number", "filed_at", "filers", "items", "period_of_report", "public_document_count", "submission_type"]
    ACCESSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    FILERS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_OF_REPORT_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_DOCUMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_TYPE_FIELD_NUMBER: _ClassVar[int]
    accession_number: str
    filed_at: str
    filers: _containers.RepeatedCompositeFieldContainer[Filer]
    items: _containers.RepeatedScalarFieldContainer[str]
    period_of_report: str
    public_document_count: int
    submission_type: str
    def __init__(self, accession_number: _Optional[str] = ..., submission_type: _Optional[str] = ..., public_document_count: _Optional[int] = ..., period_of_report: _Optional[str] = ..., filed_at: _Optional[str] = ..., items: _Optional[_Iterable[str]] = ..., filers: _Optional[_Iterable[_Union[Filer, _Mapping]]] = ...) -> None: ...

class Warning(_message.Message):
    __slots__ = ["code", "message"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Format(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
