"""The walkthrough example against a stand-in server that serves only intake and events, as
homevisitd did before scheduling and reports: the unserved steps must be called, reported as
not served, and not fail the run. (scripts/test-sdks.sh also runs it against homevisitd.)"""

from __future__ import annotations

import pathlib
import subprocess
import sys
from concurrent import futures

import grpc

from homevisit.v1 import (
    event_pb2,
    event_pb2_grpc,
    service_order_pb2,
    service_order_service_pb2_grpc,
)

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "walkthrough.py"


class Orders(service_order_service_pb2_grpc.ServiceOrderServiceServicer):
    def CreateServiceOrder(self, request, context):
        order = service_order_pb2.ServiceOrder()
        order.CopyFrom(request.service_order)
        order.name = "serviceOrders/stand-in"
        order.state = service_order_pb2.ServiceOrder.STATE_REQUESTED
        return order


class Events(event_pb2_grpc.EventServiceServicer):
    def ListEvents(self, request, context):
        return event_pb2.ListEventsResponse(
            events=[event_pb2.Event(type=event_pb2.Event.TYPE_ORDER_CREATED, actor="unauthenticated")]
        )


def test_example_reports_unserved_steps_and_succeeds():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    service_order_service_pb2_grpc.add_ServiceOrderServiceServicer_to_server(Orders(), server)
    event_pb2_grpc.add_EventServiceServicer_to_server(Events(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        run = subprocess.run(
            [sys.executable, str(EXAMPLE), "--target", f"127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        server.stop(grace=None)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "1. intake: serviceOrders/stand-in" in out
    for step in ("2. availability", "3. book", "4. report"):
        assert f"{step}: not served yet by this server (UNIMPLEMENTED)" in out
    assert "event TYPE_ORDER_CREATED" in out
    assert "walkthrough: done" in out
