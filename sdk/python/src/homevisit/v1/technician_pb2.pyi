import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import dayofweek_pb2 as _dayofweek_pb2
from google.type import timeofday_pb2 as _timeofday_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Technician(_message.Message):
    __slots__ = ("name", "display_name", "employee_number", "official_id_type", "mobile_phone", "postal_codes", "delegaciones", "working_hours", "time_off", "active", "create_time", "update_time", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OFFICIAL_ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    MOBILE_PHONE_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODES_FIELD_NUMBER: _ClassVar[int]
    DELEGACIONES_FIELD_NUMBER: _ClassVar[int]
    WORKING_HOURS_FIELD_NUMBER: _ClassVar[int]
    TIME_OFF_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    employee_number: str
    official_id_type: _common_pb2.OfficialIdType
    mobile_phone: str
    postal_codes: _containers.RepeatedScalarFieldContainer[str]
    delegaciones: _containers.RepeatedScalarFieldContainer[str]
    working_hours: _containers.RepeatedCompositeFieldContainer[WorkingHours]
    time_off: _containers.RepeatedCompositeFieldContainer[TimeOff]
    active: bool
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    etag: str
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., employee_number: _Optional[str] = ..., official_id_type: _Optional[_Union[_common_pb2.OfficialIdType, str]] = ..., mobile_phone: _Optional[str] = ..., postal_codes: _Optional[_Iterable[str]] = ..., delegaciones: _Optional[_Iterable[str]] = ..., working_hours: _Optional[_Iterable[_Union[WorkingHours, _Mapping]]] = ..., time_off: _Optional[_Iterable[_Union[TimeOff, _Mapping]]] = ..., active: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class WorkingHours(_message.Message):
    __slots__ = ("day_of_week", "start_time", "end_time")
    DAY_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    day_of_week: _dayofweek_pb2.DayOfWeek
    start_time: _timeofday_pb2.TimeOfDay
    end_time: _timeofday_pb2.TimeOfDay
    def __init__(self, day_of_week: _Optional[_Union[_dayofweek_pb2.DayOfWeek, str]] = ..., start_time: _Optional[_Union[_timeofday_pb2.TimeOfDay, _Mapping]] = ..., end_time: _Optional[_Union[_timeofday_pb2.TimeOfDay, _Mapping]] = ...) -> None: ...

class TimeOff(_message.Message):
    __slots__ = ("start_time", "end_time", "reason")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class CreateTechnicianRequest(_message.Message):
    __slots__ = ("technician", "request_id")
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    technician: Technician
    request_id: str
    def __init__(self, technician: _Optional[_Union[Technician, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetTechnicianRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListTechniciansRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "show_inactive", "postal_code")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SHOW_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    show_inactive: bool
    postal_code: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., show_inactive: _Optional[bool] = ..., postal_code: _Optional[str] = ...) -> None: ...

class ListTechniciansResponse(_message.Message):
    __slots__ = ("technicians", "next_page_token")
    TECHNICIANS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    technicians: _containers.RepeatedCompositeFieldContainer[Technician]
    next_page_token: str
    def __init__(self, technicians: _Optional[_Iterable[_Union[Technician, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateTechnicianRequest(_message.Message):
    __slots__ = ("technician", "update_mask", "request_id")
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    technician: Technician
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    def __init__(self, technician: _Optional[_Union[Technician, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeactivateTechnicianRequest(_message.Message):
    __slots__ = ("name", "etag", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    etag: str
    request_id: str
    def __init__(self, name: _Optional[str] = ..., etag: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...
