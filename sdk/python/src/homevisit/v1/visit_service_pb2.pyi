import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from homevisit.v1 import service_order_pb2 as _service_order_pb2
from homevisit.v1 import visit_pb2 as _visit_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecordConfirmationCallRequest(_message.Message):
    __slots__ = ("service_order", "result", "note", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    result: _visit_pb2.ConfirmationCall.Result
    note: str
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., result: _Optional[_Union[_visit_pb2.ConfirmationCall.Result, str]] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordFollowUpCallRequest(_message.Message):
    __slots__ = ("service_order", "technician_present", "note", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_PRESENT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    technician_present: bool
    note: str
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., technician_present: _Optional[bool] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("service_order", "greeting_given", "vest_worn", "official_id_type", "reason_explained", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    GREETING_GIVEN_FIELD_NUMBER: _ClassVar[int]
    VEST_WORN_FIELD_NUMBER: _ClassVar[int]
    OFFICIAL_ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_EXPLAINED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    greeting_given: bool
    vest_worn: bool
    official_id_type: _common_pb2.OfficialIdType
    reason_explained: bool
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., greeting_given: _Optional[bool] = ..., vest_worn: _Optional[bool] = ..., official_id_type: _Optional[_Union[_common_pb2.OfficialIdType, str]] = ..., reason_explained: _Optional[bool] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordDiagnosisRequest(_message.Message):
    __slots__ = ("service_order", "diagnosis", "checklist", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSIS_FIELD_NUMBER: _ClassVar[int]
    CHECKLIST_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    diagnosis: _visit_pb2.Diagnosis
    checklist: _containers.RepeatedCompositeFieldContainer[_visit_pb2.ChecklistAnswer]
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., diagnosis: _Optional[_Union[_visit_pb2.Diagnosis, _Mapping]] = ..., checklist: _Optional[_Iterable[_Union[_visit_pb2.ChecklistAnswer, _Mapping]]] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RequestEscalationRequest(_message.Message):
    __slots__ = ("service_order", "phone_used", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    PHONE_USED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    phone_used: _visit_pb2.Escalation.PhoneUsed
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., phone_used: _Optional[_Union[_visit_pb2.Escalation.PhoneUsed, str]] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordConferenceRequest(_message.Message):
    __slots__ = ("service_order", "support_agent", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_AGENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    support_agent: str
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., support_agent: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordHandOverRequest(_message.Message):
    __slots__ = ("service_order", "note", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    note: str
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordOutcomeRequest(_message.Message):
    __slots__ = ("service_order", "outcome", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    outcome: _visit_pb2.Outcome
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., outcome: _Optional[_Union[_visit_pb2.Outcome, _Mapping]] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CaptureSignatureRequest(_message.Message):
    __slots__ = ("service_order", "signature", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    signature: _visit_pb2.Signature
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., signature: _Optional[_Union[_visit_pb2.Signature, _Mapping]] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CompleteVisitRequest(_message.Message):
    __slots__ = ("service_order", "note", "request_id", "etag", "observe_time")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVE_TIME_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    note: str
    request_id: str
    etag: str
    observe_time: _timestamp_pb2.Timestamp
    def __init__(self, service_order: _Optional[str] = ..., note: _Optional[str] = ..., request_id: _Optional[str] = ..., etag: _Optional[str] = ..., observe_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RenderScriptRequest(_message.Message):
    __slots__ = ("service_order", "script")
    class Script(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SCRIPT_UNSPECIFIED: _ClassVar[RenderScriptRequest.Script]
        SCRIPT_GREETING: _ClassVar[RenderScriptRequest.Script]
        SCRIPT_ESCALATION_ANNOUNCEMENT: _ClassVar[RenderScriptRequest.Script]
        SCRIPT_FAREWELL_ESCALATED: _ClassVar[RenderScriptRequest.Script]
        SCRIPT_FAREWELL_RESOLVED: _ClassVar[RenderScriptRequest.Script]
    SCRIPT_UNSPECIFIED: RenderScriptRequest.Script
    SCRIPT_GREETING: RenderScriptRequest.Script
    SCRIPT_ESCALATION_ANNOUNCEMENT: RenderScriptRequest.Script
    SCRIPT_FAREWELL_ESCALATED: RenderScriptRequest.Script
    SCRIPT_FAREWELL_RESOLVED: RenderScriptRequest.Script
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    script: RenderScriptRequest.Script
    def __init__(self, service_order: _Optional[str] = ..., script: _Optional[_Union[RenderScriptRequest.Script, str]] = ...) -> None: ...

class GetChecklistTemplateRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ChecklistTemplate(_message.Message):
    __slots__ = ("items",)
    class Item(_message.Message):
        __slots__ = ("item_id", "label", "service_item")
        ITEM_ID_FIELD_NUMBER: _ClassVar[int]
        LABEL_FIELD_NUMBER: _ClassVar[int]
        SERVICE_ITEM_FIELD_NUMBER: _ClassVar[int]
        item_id: str
        label: str
        service_item: bool
        def __init__(self, item_id: _Optional[str] = ..., label: _Optional[str] = ..., service_item: _Optional[bool] = ...) -> None: ...
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ChecklistTemplate.Item]
    def __init__(self, items: _Optional[_Iterable[_Union[ChecklistTemplate.Item, _Mapping]]] = ...) -> None: ...

class RenderScriptResponse(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...
