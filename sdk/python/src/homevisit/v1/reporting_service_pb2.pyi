import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import date_pb2 as _date_pb2
from homevisit.v1 import service_order_pb2 as _service_order_pb2
from homevisit.v1 import visit_pb2 as _visit_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MetricsGrouping(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METRICS_GROUPING_UNSPECIFIED: _ClassVar[MetricsGrouping]
    METRICS_GROUPING_TECHNICIAN: _ClassVar[MetricsGrouping]
    METRICS_GROUPING_DELEGACION: _ClassVar[MetricsGrouping]
    METRICS_GROUPING_DAY: _ClassVar[MetricsGrouping]
METRICS_GROUPING_UNSPECIFIED: MetricsGrouping
METRICS_GROUPING_TECHNICIAN: MetricsGrouping
METRICS_GROUPING_DELEGACION: MetricsGrouping
METRICS_GROUPING_DAY: MetricsGrouping

class GetProgramMetricsRequest(_message.Message):
    __slots__ = ("start_date", "end_date", "grouping", "charge", "first_visit_window_days")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUPING_FIELD_NUMBER: _ClassVar[int]
    CHARGE_FIELD_NUMBER: _ClassVar[int]
    FIRST_VISIT_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    grouping: MetricsGrouping
    charge: _service_order_pb2.ServiceOrder.Charge
    first_visit_window_days: int
    def __init__(self, start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., grouping: _Optional[_Union[MetricsGrouping, str]] = ..., charge: _Optional[_Union[_service_order_pb2.ServiceOrder.Charge, str]] = ..., first_visit_window_days: _Optional[int] = ...) -> None: ...

class ProgramMetrics(_message.Message):
    __slots__ = ("start_date", "end_date", "time_zone", "grouping", "charge", "first_visit_window_days", "compute_time", "total", "groups")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    GROUPING_FIELD_NUMBER: _ClassVar[int]
    CHARGE_FIELD_NUMBER: _ClassVar[int]
    FIRST_VISIT_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_TIME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    time_zone: str
    grouping: MetricsGrouping
    charge: _service_order_pb2.ServiceOrder.Charge
    first_visit_window_days: int
    compute_time: _timestamp_pb2.Timestamp
    total: MetricFigures
    groups: _containers.RepeatedCompositeFieldContainer[MetricGroup]
    def __init__(self, start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., time_zone: _Optional[str] = ..., grouping: _Optional[_Union[MetricsGrouping, str]] = ..., charge: _Optional[_Union[_service_order_pb2.ServiceOrder.Charge, str]] = ..., first_visit_window_days: _Optional[int] = ..., compute_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., total: _Optional[_Union[MetricFigures, _Mapping]] = ..., groups: _Optional[_Iterable[_Union[MetricGroup, _Mapping]]] = ...) -> None: ...

class MetricGroup(_message.Message):
    __slots__ = ("key", "display_name", "figures")
    KEY_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    key: str
    display_name: str
    figures: MetricFigures
    def __init__(self, key: _Optional[str] = ..., display_name: _Optional[str] = ..., figures: _Optional[_Union[MetricFigures, _Mapping]] = ...) -> None: ...

class MetricFigures(_message.Message):
    __slots__ = ("orders_requested", "orders_booked", "orders_cancelled", "cancellations_by_reason", "orders_completed", "requested_window_granted", "alternative_window_taken", "lead_time_p50", "lead_time_p90", "confirmation_calls_made", "confirmation_calls_reached", "arrivals", "arrivals_on_time", "arrivals_late", "average_lateness", "late_alerts", "time_on_site_p50", "time_on_site_p90", "visits_resolved", "visits_not_resolved", "not_resolved_by_reason", "visits_escalated", "first_visit_resolved", "resolved_with_repeat_order", "signatures_recorded", "signature_refusals", "orders_charged", "orders_free")
    class CancellationReason(_message.Message):
        __slots__ = ("reason", "count")
        REASON_FIELD_NUMBER: _ClassVar[int]
        COUNT_FIELD_NUMBER: _ClassVar[int]
        reason: str
        count: int
        def __init__(self, reason: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...
    class NotResolvedReason(_message.Message):
        __slots__ = ("category", "count")
        CATEGORY_FIELD_NUMBER: _ClassVar[int]
        COUNT_FIELD_NUMBER: _ClassVar[int]
        category: _visit_pb2.Outcome.ReasonCategory
        count: int
        def __init__(self, category: _Optional[_Union[_visit_pb2.Outcome.ReasonCategory, str]] = ..., count: _Optional[int] = ...) -> None: ...
    ORDERS_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    ORDERS_BOOKED_FIELD_NUMBER: _ClassVar[int]
    ORDERS_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    CANCELLATIONS_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    ORDERS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_WINDOW_GRANTED_FIELD_NUMBER: _ClassVar[int]
    ALTERNATIVE_WINDOW_TAKEN_FIELD_NUMBER: _ClassVar[int]
    LEAD_TIME_P50_FIELD_NUMBER: _ClassVar[int]
    LEAD_TIME_P90_FIELD_NUMBER: _ClassVar[int]
    CONFIRMATION_CALLS_MADE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMATION_CALLS_REACHED_FIELD_NUMBER: _ClassVar[int]
    ARRIVALS_FIELD_NUMBER: _ClassVar[int]
    ARRIVALS_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    ARRIVALS_LATE_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_LATENESS_FIELD_NUMBER: _ClassVar[int]
    LATE_ALERTS_FIELD_NUMBER: _ClassVar[int]
    TIME_ON_SITE_P50_FIELD_NUMBER: _ClassVar[int]
    TIME_ON_SITE_P90_FIELD_NUMBER: _ClassVar[int]
    VISITS_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    VISITS_NOT_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    NOT_RESOLVED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    VISITS_ESCALATED_FIELD_NUMBER: _ClassVar[int]
    FIRST_VISIT_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_WITH_REPEAT_ORDER_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_RECORDED_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_REFUSALS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_CHARGED_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FREE_FIELD_NUMBER: _ClassVar[int]
    orders_requested: int
    orders_booked: int
    orders_cancelled: int
    cancellations_by_reason: _containers.RepeatedCompositeFieldContainer[MetricFigures.CancellationReason]
    orders_completed: int
    requested_window_granted: int
    alternative_window_taken: int
    lead_time_p50: _duration_pb2.Duration
    lead_time_p90: _duration_pb2.Duration
    confirmation_calls_made: int
    confirmation_calls_reached: int
    arrivals: int
    arrivals_on_time: int
    arrivals_late: int
    average_lateness: _duration_pb2.Duration
    late_alerts: int
    time_on_site_p50: _duration_pb2.Duration
    time_on_site_p90: _duration_pb2.Duration
    visits_resolved: int
    visits_not_resolved: int
    not_resolved_by_reason: _containers.RepeatedCompositeFieldContainer[MetricFigures.NotResolvedReason]
    visits_escalated: int
    first_visit_resolved: int
    resolved_with_repeat_order: int
    signatures_recorded: int
    signature_refusals: int
    orders_charged: int
    orders_free: int
    def __init__(self, orders_requested: _Optional[int] = ..., orders_booked: _Optional[int] = ..., orders_cancelled: _Optional[int] = ..., cancellations_by_reason: _Optional[_Iterable[_Union[MetricFigures.CancellationReason, _Mapping]]] = ..., orders_completed: _Optional[int] = ..., requested_window_granted: _Optional[int] = ..., alternative_window_taken: _Optional[int] = ..., lead_time_p50: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., lead_time_p90: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., confirmation_calls_made: _Optional[int] = ..., confirmation_calls_reached: _Optional[int] = ..., arrivals: _Optional[int] = ..., arrivals_on_time: _Optional[int] = ..., arrivals_late: _Optional[int] = ..., average_lateness: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., late_alerts: _Optional[int] = ..., time_on_site_p50: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., time_on_site_p90: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., visits_resolved: _Optional[int] = ..., visits_not_resolved: _Optional[int] = ..., not_resolved_by_reason: _Optional[_Iterable[_Union[MetricFigures.NotResolvedReason, _Mapping]]] = ..., visits_escalated: _Optional[int] = ..., first_visit_resolved: _Optional[int] = ..., resolved_with_repeat_order: _Optional[int] = ..., signatures_recorded: _Optional[int] = ..., signature_refusals: _Optional[int] = ..., orders_charged: _Optional[int] = ..., orders_free: _Optional[int] = ...) -> None: ...
