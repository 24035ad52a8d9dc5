import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from homevisit.v1 import service_order_pb2 as _service_order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UnavailableReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNAVAILABLE_REASON_UNSPECIFIED: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_NO_COVERAGE: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_ALL_BOOKED: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_OUTSIDE_WORKING_HOURS: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_IN_THE_PAST: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_BEYOND_HORIZON: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_TIME_OFF: _ClassVar[UnavailableReason]
UNAVAILABLE_REASON_UNSPECIFIED: UnavailableReason
UNAVAILABLE_REASON_NO_COVERAGE: UnavailableReason
UNAVAILABLE_REASON_ALL_BOOKED: UnavailableReason
UNAVAILABLE_REASON_OUTSIDE_WORKING_HOURS: UnavailableReason
UNAVAILABLE_REASON_IN_THE_PAST: UnavailableReason
UNAVAILABLE_REASON_BEYOND_HORIZON: UnavailableReason
UNAVAILABLE_REASON_TIME_OFF: UnavailableReason

class SlotOption(_message.Message):
    __slots__ = ("window", "technician", "technician_display_name")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    window: _common_pb2.TimeWindow
    technician: str
    technician_display_name: str
    def __init__(self, window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ..., technician: _Optional[str] = ..., technician_display_name: _Optional[str] = ...) -> None: ...

class Hold(_message.Message):
    __slots__ = ("name", "service_order", "option", "expire_time", "released", "state")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[Hold.State]
        STATE_LIVE: _ClassVar[Hold.State]
        STATE_RELEASED: _ClassVar[Hold.State]
        STATE_BOOKED: _ClassVar[Hold.State]
        STATE_EXPIRED: _ClassVar[Hold.State]
    STATE_UNSPECIFIED: Hold.State
    STATE_LIVE: Hold.State
    STATE_RELEASED: Hold.State
    STATE_BOOKED: Hold.State
    STATE_EXPIRED: Hold.State
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    service_order: str
    option: SlotOption
    expire_time: _timestamp_pb2.Timestamp
    released: bool
    state: Hold.State
    def __init__(self, name: _Optional[str] = ..., service_order: _Optional[str] = ..., option: _Optional[_Union[SlotOption, _Mapping]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., released: _Optional[bool] = ..., state: _Optional[_Union[Hold.State, str]] = ...) -> None: ...

class CheckAvailabilityRequest(_message.Message):
    __slots__ = ("service_order", "window")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    window: _common_pb2.TimeWindow
    def __init__(self, service_order: _Optional[str] = ..., window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ...) -> None: ...

class CheckAvailabilityResponse(_message.Message):
    __slots__ = ("requested_available", "requested", "unavailable_reason", "same_day", "other_days")
    REQUESTED_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELD_NUMBER: _ClassVar[int]
    UNAVAILABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    SAME_DAY_FIELD_NUMBER: _ClassVar[int]
    OTHER_DAYS_FIELD_NUMBER: _ClassVar[int]
    requested_available: bool
    requested: SlotOption
    unavailable_reason: UnavailableReason
    same_day: _containers.RepeatedCompositeFieldContainer[SlotOption]
    other_days: _containers.RepeatedCompositeFieldContainer[SlotOption]
    def __init__(self, requested_available: _Optional[bool] = ..., requested: _Optional[_Union[SlotOption, _Mapping]] = ..., unavailable_reason: _Optional[_Union[UnavailableReason, str]] = ..., same_day: _Optional[_Iterable[_Union[SlotOption, _Mapping]]] = ..., other_days: _Optional[_Iterable[_Union[SlotOption, _Mapping]]] = ...) -> None: ...

class CreateHoldRequest(_message.Message):
    __slots__ = ("service_order", "option", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    option: SlotOption
    request_id: str
    def __init__(self, service_order: _Optional[str] = ..., option: _Optional[_Union[SlotOption, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetHoldRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListHoldsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "technician", "window_start_time", "window_end_time", "live_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_TIME_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_TIME_FIELD_NUMBER: _ClassVar[int]
    LIVE_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    technician: str
    window_start_time: _timestamp_pb2.Timestamp
    window_end_time: _timestamp_pb2.Timestamp
    live_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., technician: _Optional[str] = ..., window_start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., live_only: _Optional[bool] = ...) -> None: ...

class ListHoldsResponse(_message.Message):
    __slots__ = ("holds", "next_page_token")
    HOLDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    holds: _containers.RepeatedCompositeFieldContainer[Hold]
    next_page_token: str
    def __init__(self, holds: _Optional[_Iterable[_Union[Hold, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReleaseHoldRequest(_message.Message):
    __slots__ = ("name", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    request_id: str
    def __init__(self, name: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class BookAppointmentRequest(_message.Message):
    __slots__ = ("service_order", "hold", "option", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    HOLD_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    hold: str
    option: SlotOption
    request_id: str
    def __init__(self, service_order: _Optional[str] = ..., hold: _Optional[str] = ..., option: _Optional[_Union[SlotOption, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class RescheduleAppointmentRequest(_message.Message):
    __slots__ = ("service_order", "hold", "option", "etag", "reason", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    HOLD_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    hold: str
    option: SlotOption
    etag: str
    reason: str
    request_id: str
    def __init__(self, service_order: _Optional[str] = ..., hold: _Optional[str] = ..., option: _Optional[_Union[SlotOption, _Mapping]] = ..., etag: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ReassignAppointmentRequest(_message.Message):
    __slots__ = ("service_order", "technician", "etag", "reason", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: str
    technician: str
    etag: str
    reason: str
    request_id: str
    def __init__(self, service_order: _Optional[str] = ..., technician: _Optional[str] = ..., etag: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...
