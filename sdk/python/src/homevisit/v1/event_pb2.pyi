import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Event(_message.Message):
    __slots__ = ("name", "type", "service_order", "file_number", "actor", "actor_role", "event_time", "attributes", "cursor")
    class Type(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        TYPE_UNSPECIFIED: _ClassVar[Event.Type]
        TYPE_ORDER_CREATED: _ClassVar[Event.Type]
        TYPE_ORDER_UPDATED: _ClassVar[Event.Type]
        TYPE_SLOT_HELD: _ClassVar[Event.Type]
        TYPE_HOLD_RELEASED: _ClassVar[Event.Type]
        TYPE_BOOKED: _ClassVar[Event.Type]
        TYPE_TECHNICIAN_ASSIGNED: _ClassVar[Event.Type]
        TYPE_RESCHEDULED: _ClassVar[Event.Type]
        TYPE_CALL_RECORDED: _ClassVar[Event.Type]
        TYPE_TECHNICIAN_LATE: _ClassVar[Event.Type]
        TYPE_CHECKED_IN: _ClassVar[Event.Type]
        TYPE_DIAGNOSIS_RECORDED: _ClassVar[Event.Type]
        TYPE_ESCALATION_REQUESTED: _ClassVar[Event.Type]
        TYPE_CONFERENCE_SET_UP: _ClassVar[Event.Type]
        TYPE_HANDED_OVER: _ClassVar[Event.Type]
        TYPE_OUTCOME_RECORDED: _ClassVar[Event.Type]
        TYPE_SIGNED: _ClassVar[Event.Type]
        TYPE_COMPLETED: _ClassVar[Event.Type]
        TYPE_CANCELLED: _ClassVar[Event.Type]
    TYPE_UNSPECIFIED: Event.Type
    TYPE_ORDER_CREATED: Event.Type
    TYPE_ORDER_UPDATED: Event.Type
    TYPE_SLOT_HELD: Event.Type
    TYPE_HOLD_RELEASED: Event.Type
    TYPE_BOOKED: Event.Type
    TYPE_TECHNICIAN_ASSIGNED: Event.Type
    TYPE_RESCHEDULED: Event.Type
    TYPE_CALL_RECORDED: Event.Type
    TYPE_TECHNICIAN_LATE: Event.Type
    TYPE_CHECKED_IN: Event.Type
    TYPE_DIAGNOSIS_RECORDED: Event.Type
    TYPE_ESCALATION_REQUESTED: Event.Type
    TYPE_CONFERENCE_SET_UP: Event.Type
    TYPE_HANDED_OVER: Event.Type
    TYPE_OUTCOME_RECORDED: Event.Type
    TYPE_SIGNED: Event.Type
    TYPE_COMPLETED: Event.Type
    TYPE_CANCELLED: Event.Type
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ROLE_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: Event.Type
    service_order: str
    file_number: str
    actor: str
    actor_role: _common_pb2.Role
    event_time: _timestamp_pb2.Timestamp
    attributes: _containers.ScalarMap[str, str]
    cursor: str
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[Event.Type, str]] = ..., service_order: _Optional[str] = ..., file_number: _Optional[str] = ..., actor: _Optional[str] = ..., actor_role: _Optional[_Union[_common_pb2.Role, str]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attributes: _Optional[_Mapping[str, str]] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "service_order", "file_number", "types")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    service_order: str
    file_number: str
    types: _containers.RepeatedScalarFieldContainer[Event.Type]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., service_order: _Optional[str] = ..., file_number: _Optional[str] = ..., types: _Optional[_Iterable[_Union[Event.Type, str]]] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[Event]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[Event, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ("service_order", "file_number", "types", "after_cursor", "from_beginning")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    AFTER_CURSOR_FIELD_NUMBER: _ClassVar[int]
    FROM_BEGINNING_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    file_number: str
    types: _containers.RepeatedScalarFieldContainer[Event.Type]
    after_cursor: str
    from_beginning: bool
    def __init__(self, service_order: _Optional[str] = ..., file_number: _Optional[str] = ..., types: _Optional[_Iterable[_Union[Event.Type, str]]] = ..., after_cursor: _Optional[str] = ..., from_beginning: _Optional[bool] = ...) -> None: ...

class WatchEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: Event
    def __init__(self, event: _Optional[_Union[Event, _Mapping]] = ...) -> None: ...
