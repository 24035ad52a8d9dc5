import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import common_pb2 as _common_pb2
from homevisit.v1 import visit_pb2 as _visit_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceOrderView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_ORDER_VIEW_UNSPECIFIED: _ClassVar[ServiceOrderView]
    SERVICE_ORDER_VIEW_BASIC: _ClassVar[ServiceOrderView]
    SERVICE_ORDER_VIEW_FULL: _ClassVar[ServiceOrderView]
SERVICE_ORDER_VIEW_UNSPECIFIED: ServiceOrderView
SERVICE_ORDER_VIEW_BASIC: ServiceOrderView
SERVICE_ORDER_VIEW_FULL: ServiceOrderView

class ServiceOrder(_message.Message):
    __slots__ = ("name", "file_number", "subscriber", "address", "requested_window", "receiver", "problem_description", "charge", "state", "appointment", "visit", "cancellation", "create_time", "update_time", "etag")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[ServiceOrder.State]
        STATE_REQUESTED: _ClassVar[ServiceOrder.State]
        STATE_SCHEDULED: _ClassVar[ServiceOrder.State]
        STATE_CONFIRMED: _ClassVar[ServiceOrder.State]
        STATE_ON_SITE: _ClassVar[ServiceOrder.State]
        STATE_ESCALATING: _ClassVar[ServiceOrder.State]
        STATE_OUTCOME_RECORDED: _ClassVar[ServiceOrder.State]
        STATE_SIGNED: _ClassVar[ServiceOrder.State]
        STATE_COMPLETED: _ClassVar[ServiceOrder.State]
        STATE_CANCELLED: _ClassVar[ServiceOrder.State]
    STATE_UNSPECIFIED: ServiceOrder.State
    STATE_REQUESTED: ServiceOrder.State
    STATE_SCHEDULED: ServiceOrder.State
    STATE_CONFIRMED: ServiceOrder.State
    STATE_ON_SITE: ServiceOrder.State
    STATE_ESCALATING: ServiceOrder.State
    STATE_OUTCOME_RECORDED: ServiceOrder.State
    STATE_SIGNED: ServiceOrder.State
    STATE_COMPLETED: ServiceOrder.State
    STATE_CANCELLED: ServiceOrder.State
    class Charge(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        CHARGE_UNSPECIFIED: _ClassVar[ServiceOrder.Charge]
        CHARGE_FREE: _ClassVar[ServiceOrder.Charge]
        CHARGE_CHARGED: _ClassVar[ServiceOrder.Charge]
    CHARGE_UNSPECIFIED: ServiceOrder.Charge
    CHARGE_FREE: ServiceOrder.Charge
    CHARGE_CHARGED: ServiceOrder.Charge
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_WINDOW_FIELD_NUMBER: _ClassVar[int]
    RECEIVER_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHARGE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_FIELD_NUMBER: _ClassVar[int]
    VISIT_FIELD_NUMBER: _ClassVar[int]
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    file_number: str
    subscriber: Subscriber
    address: Address
    requested_window: _common_pb2.TimeWindow
    receiver: Receiver
    problem_description: str
    charge: ServiceOrder.Charge
    state: ServiceOrder.State
    appointment: Appointment
    visit: _visit_pb2.Visit
    cancellation: Cancellation
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    etag: str
    def __init__(self, name: _Optional[str] = ..., file_number: _Optional[str] = ..., subscriber: _Optional[_Union[Subscriber, _Mapping]] = ..., address: _Optional[_Union[Address, _Mapping]] = ..., requested_window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ..., receiver: _Optional[_Union[Receiver, _Mapping]] = ..., problem_description: _Optional[str] = ..., charge: _Optional[_Union[ServiceOrder.Charge, str]] = ..., state: _Optional[_Union[ServiceOrder.State, str]] = ..., appointment: _Optional[_Union[Appointment, _Mapping]] = ..., visit: _Optional[_Union[_visit_pb2.Visit, _Mapping]] = ..., cancellation: _Optional[_Union[Cancellation, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class Subscriber(_message.Message):
    __slots__ = ("given_name", "family_name", "email")
    GIVEN_NAME_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    given_name: str
    family_name: str
    email: str
    def __init__(self, given_name: _Optional[str] = ..., family_name: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class Address(_message.Message):
    __slots__ = ("street", "exterior_number", "interior_number", "colonia", "delegacion", "postal_code", "references")
    STREET_FIELD_NUMBER: _ClassVar[int]
    EXTERIOR_NUMBER_FIELD_NUMBER: _ClassVar[int]
    INTERIOR_NUMBER_FIELD_NUMBER: _ClassVar[int]
    COLONIA_FIELD_NUMBER: _ClassVar[int]
    DELEGACION_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    street: str
    exterior_number: str
    interior_number: str
    colonia: str
    delegacion: str
    postal_code: str
    references: str
    def __init__(self, street: _Optional[str] = ..., exterior_number: _Optional[str] = ..., interior_number: _Optional[str] = ..., colonia: _Optional[str] = ..., delegacion: _Optional[str] = ..., postal_code: _Optional[str] = ..., references: _Optional[str] = ...) -> None: ...

class Receiver(_message.Message):
    __slots__ = ("name", "phone")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class Appointment(_message.Message):
    __slots__ = ("window", "technician", "technician_display_name", "book_time")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    BOOK_TIME_FIELD_NUMBER: _ClassVar[int]
    window: _common_pb2.TimeWindow
    technician: str
    technician_display_name: str
    book_time: _timestamp_pb2.Timestamp
    def __init__(self, window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ..., technician: _Optional[str] = ..., technician_display_name: _Optional[str] = ..., book_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Cancellation(_message.Message):
    __slots__ = ("reason", "cancel_time", "actor")
    REASON_FIELD_NUMBER: _ClassVar[int]
    CANCEL_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    reason: str
    cancel_time: _timestamp_pb2.Timestamp
    actor: str
    def __init__(self, reason: _Optional[str] = ..., cancel_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...
