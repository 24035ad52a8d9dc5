import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import event_pb2 as _event_pb2
from homevisit.v1 import service_order_pb2 as _service_order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class VisitReport(_message.Message):
    __slots__ = ("name", "service_order", "file_time", "steps")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    FILE_TIME_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    name: str
    service_order: _service_order_pb2.ServiceOrder
    file_time: _timestamp_pb2.Timestamp
    steps: _containers.RepeatedCompositeFieldContainer[RecordedStep]
    def __init__(self, name: _Optional[str] = ..., service_order: _Optional[_Union[_service_order_pb2.ServiceOrder, _Mapping]] = ..., file_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[RecordedStep, _Mapping]]] = ...) -> None: ...

class RecordedStep(_message.Message):
    __slots__ = ("type", "observe_time", "record_time", "actor")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    type: _event_pb2.Event.Type
    observe_time: _timestamp_pb2.Timestamp
    record_time: _timestamp_pb2.Timestamp
    actor: str
    def __init__(self, type: _Optional[_Union[_event_pb2.Event.Type, str]] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class GetVisitReportRequest(_message.Message):
    __slots__ = ("name", "view")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    name: str
    view: _service_order_pb2.ServiceOrderView
    def __init__(self, name: _Optional[str] = ..., view: _Optional[_Union[_service_order_pb2.ServiceOrderView, str]] = ...) -> None: ...

class ListVisitReportsRequest(_message.Message):
    __slots__ = ("file_number", "page_size", "page_token", "view")
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    file_number: str
    page_size: int
    page_token: str
    view: _service_order_pb2.ServiceOrderView
    def __init__(self, file_number: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., view: _Optional[_Union[_service_order_pb2.ServiceOrderView, str]] = ...) -> None: ...

class ListVisitReportsResponse(_message.Message):
    __slots__ = ("visit_reports", "next_page_token")
    VISIT_REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    visit_reports: _containers.RepeatedCompositeFieldContainer[VisitReport]
    next_page_token: str
    def __init__(self, visit_reports: _Optional[_Iterable[_Union[VisitReport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VisitReportDocument(_message.Message):
    __slots__ = ("name", "pdf", "document_sha256", "report_sha256", "current_report_sha256", "issue_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PDF_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    REPORT_SHA256_FIELD_NUMBER: _ClassVar[int]
    CURRENT_REPORT_SHA256_FIELD_NUMBER: _ClassVar[int]
    ISSUE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    pdf: bytes
    document_sha256: str
    report_sha256: str
    current_report_sha256: str
    issue_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., pdf: _Optional[bytes] = ..., document_sha256: _Optional[str] = ..., report_sha256: _Optional[str] = ..., current_report_sha256: _Optional[str] = ..., issue_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetVisitReportDocumentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...
