"""GetProgramMetrics through the SDK against the session's homevisitd (see conftest.py), whose
demo orders were taken in at its start."""

from __future__ import annotations

import datetime

import grpc
import pytest

import homevisit
from homevisit.v1 import reporting_service_pb2 as reporting
from google.type import date_pb2


def day(offset: int) -> date_pb2.Date:
    d = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=offset)
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def test_program_metrics_groups_add_up_and_operators_are_refused(server_address, tokens):
    request = reporting.GetProgramMetricsRequest(
        start_date=day(-1), end_date=day(1), grouping=reporting.METRICS_GROUPING_TECHNICIAN
    )
    with homevisit.Client(server_address, insecure=True, token=tokens["dispatcher"]) as dispatcher:
        metrics = dispatcher.reporting.GetProgramMetrics(request)
    assert metrics.total.orders_requested > 0  # the demo orders
    assert metrics.first_visit_window_days == 30
    assert sum(g.figures.orders_requested for g in metrics.groups) == metrics.total.orders_requested

    with homevisit.Client(server_address, insecure=True, token=tokens["dot_operator"]) as operator:
        with pytest.raises(homevisit.ApiError) as refused:
            operator.reporting.GetProgramMetrics(request)
    assert refused.value.code == grpc.StatusCode.PERMISSION_DENIED
