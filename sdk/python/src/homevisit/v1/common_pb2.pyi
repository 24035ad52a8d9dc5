import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_DOT_OPERATOR: _ClassVar[Role]
    ROLE_DOT_SUPERVISOR: _ClassVar[Role]
    ROLE_DISPATCHER: _ClassVar[Role]
    ROLE_TECHNICIAN: _ClassVar[Role]
    ROLE_ADMIN: _ClassVar[Role]

class OfficialIdType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OFFICIAL_ID_TYPE_UNSPECIFIED: _ClassVar[OfficialIdType]
    OFFICIAL_ID_TYPE_INE: _ClassVar[OfficialIdType]
    OFFICIAL_ID_TYPE_PASSPORT: _ClassVar[OfficialIdType]
    OFFICIAL_ID_TYPE_PROFESSIONAL_LICENSE: _ClassVar[OfficialIdType]
    OFFICIAL_ID_TYPE_DRIVING_LICENSE: _ClassVar[OfficialIdType]
    OFFICIAL_ID_TYPE_COMPANY_BADGE: _ClassVar[OfficialIdType]
ROLE_UNSPECIFIED: Role
ROLE_DOT_OPERATOR: Role
ROLE_DOT_SUPERVISOR: Role
ROLE_DISPATCHER: Role
ROLE_TECHNICIAN: Role
ROLE_ADMIN: Role
OFFICIAL_ID_TYPE_UNSPECIFIED: OfficialIdType
OFFICIAL_ID_TYPE_INE: OfficialIdType
OFFICIAL_ID_TYPE_PASSPORT: OfficialIdType
OFFICIAL_ID_TYPE_PROFESSIONAL_LICENSE: OfficialIdType
OFFICIAL_ID_TYPE_DRIVING_LICENSE: OfficialIdType
OFFICIAL_ID_TYPE_COMPANY_BADGE: OfficialIdType

class TimeWindow(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
