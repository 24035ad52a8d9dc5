import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from homevisit.v1 import service_order_pb2 as _service_order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateServiceOrderRequest(_message.Message):
    __slots__ = ("service_order", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: _service_order_pb2.ServiceOrder
    request_id: str
    def __init__(self, service_order: _Optional[_Union[_service_order_pb2.ServiceOrder, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetServiceOrderRequest(_message.Message):
    __slots__ = ("name", "view")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    name: str
    view: _service_order_pb2.ServiceOrderView
    def __init__(self, name: _Optional[str] = ..., view: _Optional[_Union[_service_order_pb2.ServiceOrderView, str]] = ...) -> None: ...

class ListServiceOrdersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "file_number", "states", "window_start_after", "window_start_before", "technician", "view")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_AFTER_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_BEFORE_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    file_number: str
    states: _containers.RepeatedScalarFieldContainer[_service_order_pb2.ServiceOrder.State]
    window_start_after: _timestamp_pb2.Timestamp
    window_start_before: _timestamp_pb2.Timestamp
    technician: str
    view: _service_order_pb2.ServiceOrderView
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., file_number: _Optional[str] = ..., states: _Optional[_Iterable[_Union[_service_order_pb2.ServiceOrder.State, str]]] = ..., window_start_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_start_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., technician: _Optional[str] = ..., view: _Optional[_Union[_service_order_pb2.ServiceOrderView, str]] = ...) -> None: ...

class ListServiceOrdersResponse(_message.Message):
    __slots__ = ("service_orders", "next_page_token")
    SERVICE_ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    service_orders: _containers.RepeatedCompositeFieldContainer[_service_order_pb2.ServiceOrder]
    next_page_token: str
    def __init__(self, service_orders: _Optional[_Iterable[_Union[_service_order_pb2.ServiceOrder, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateServiceOrderRequest(_message.Message):
    __slots__ = ("service_order", "update_mask", "request_id")
    SERVICE_ORDER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    service_order: _service_order_pb2.ServiceOrder
    update_mask: _field_mask_pb2.FieldMask
    request_id: str
    def __init__(self, service_order: _Optional[_Union[_service_order_pb2.ServiceOrder, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CancelServiceOrderRequest(_message.Message):
    __slots__ = ("name", "reason", "etag", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    reason: str
    etag: str
    request_id: str
    def __init__(self, name: _Optional[str] = ..., reason: _Optional[str] = ..., etag: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...
