"""The SDK against a live homevisitd (see conftest.py)."""

from __future__ import annotations

import datetime
import hashlib
import socket

import grpc
import pytest
from google.protobuf import timestamp_pb2

import homevisit
from homevisit.v1 import (
    common_pb2,
    credential_pb2,
    event_pb2,
    scheduling_service_pb2 as sched,
    service_order_pb2,
    service_order_service_pb2 as sos,
    technician_pb2,
    visit_pb2,
    visit_report_pb2,
    visit_service_pb2 as vs,
)

ServiceOrder = service_order_pb2.ServiceOrder


def ts(moment: datetime.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def valid_order(file_number: str) -> ServiceOrder:
    start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=3)
    return ServiceOrder(
        file_number=file_number,
        subscriber=service_order_pb2.Subscriber(
            given_name="Laura", family_name="Méndez", email="laura.mendez@example.com"
        ),
        address=service_order_pb2.Address(
            street="Calle Durango", exterior_number="245", colonia="Roma Norte",
            delegacion="Cuauhtémoc", postal_code="06700",
        ),
        requested_window=common_pb2.TimeWindow(
            start_time=ts(start), end_time=ts(start + datetime.timedelta(hours=2))
        ),
        receiver=service_order_pb2.Receiver(name="Laura Méndez", phone="5512345678"),
        problem_description="La señal de Wi-Fi no llega a las recámaras.",
        charge=ServiceOrder.CHARGE_FREE,
    )


def create(client: homevisit.Client, unique, file_number: str) -> ServiceOrder:
    return client.service_orders.CreateServiceOrder(
        sos.CreateServiceOrderRequest(request_id=unique("req"), service_order=valid_order(file_number))
    )


def test_intake_happy_path(client, unique):
    file_number = unique("EXP")
    order = create(client, unique, file_number)
    assert order.name.startswith("serviceOrders/")
    assert order.state == ServiceOrder.STATE_REQUESTED
    assert order.etag
    assert order.file_number == file_number
    assert order.subscriber.email == "laura.mendez@example.com"


def test_invalid_intake_raises_api_error_with_field_violations(client, unique):
    bad = valid_order(unique("EXP"))
    bad.subscriber.email = "laura@"
    bad.address.postal_code = "ABC"
    with pytest.raises(homevisit.ApiError) as caught:
        client.service_orders.CreateServiceOrder(
            sos.CreateServiceOrderRequest(request_id=unique("req"), service_order=bad)
        )
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {"service_order.subscriber.email", "service_order.address.postal_code"} <= set(error.fields)
    assert all(v.description for v in error.field_violations)
    assert error.reason == "INVALID_FIELDS"
    assert error.domain == "homevisit.izzi.mx"
    assert isinstance(error, grpc.RpcError)  # generic handlers still catch it


def test_retry_with_same_request_id_returns_the_same_order(client, unique):
    file_number = unique("EXP")
    request = sos.CreateServiceOrderRequest(request_id=unique("req"), service_order=valid_order(file_number))
    first = client.service_orders.CreateServiceOrder(request)
    again = client.service_orders.CreateServiceOrder(request)
    assert again.name == first.name
    listed = client.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(file_number=file_number))
    assert [o.name for o in listed.service_orders] == [first.name]


def test_get_and_list_with_pagination(client, unique):
    file_number = unique("EXP")
    created = [create(client, unique, file_number).name for _ in range(3)]
    got = client.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name=created[0]))
    assert (got.name, got.file_number) == (created[0], file_number)

    listed, pages, token = [], 0, ""
    while True:
        page = client.service_orders.ListServiceOrders(
            sos.ListServiceOrdersRequest(file_number=file_number, page_size=2, page_token=token)
        )
        pages += 1
        assert len(page.service_orders) <= 2
        listed += [o.name for o in page.service_orders]
        token = page.next_page_token
        if not token:
            break
        assert pages < 5, "pagination does not end"
    assert pages == 2
    assert listed == list(reversed(created))  # newest first

    with pytest.raises(homevisit.ApiError) as caught:
        client.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name="serviceOrders/does-not-exist"))
    assert caught.value.code == grpc.StatusCode.NOT_FOUND


def test_cancel_and_list_events(client, unique):
    order = create(client, unique, unique("EXP"))
    reason = "El suscriptor resolvió el problema"
    cancelled = client.service_orders.CancelServiceOrder(
        sos.CancelServiceOrderRequest(name=order.name, reason=reason, etag=order.etag)
    )
    assert cancelled.state == ServiceOrder.STATE_CANCELLED
    assert cancelled.cancellation.reason == reason

    # The old etag no longer matches: ETAG_MISMATCH is not retried (read again instead).
    with pytest.raises(homevisit.ApiError) as caught:
        client.service_orders.CancelServiceOrder(
            sos.CancelServiceOrderRequest(name=order.name, reason="otra vez", etag=order.etag)
        )
    assert caught.value.code in (grpc.StatusCode.ABORTED, grpc.StatusCode.FAILED_PRECONDITION)

    events = client.events.ListEvents(event_pb2.ListEventsRequest(service_order=order.name)).events
    types = [e.type for e in events]
    assert types[0] == event_pb2.Event.TYPE_ORDER_CREATED
    assert types[-1] == event_pb2.Event.TYPE_CANCELLED
    assert all(e.actor for e in events)


def test_default_deadline_is_applied(server_address, tokens):
    # A peer that accepts the TCP connection but never speaks HTTP/2: without a deadline the
    # call would wait (wait_for_ready) for about 20 s of connect timeout; the default ends it.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host, port = silent.getsockname()
        with homevisit.Client(f"{host}:{port}", insecure=True, timeout=0.3) as hurried:
            with pytest.raises(homevisit.ApiError) as caught:
                hurried.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(), wait_for_ready=True)
            assert caught.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    # Against the live server, the caller's own timeout wins over a tiny default.
    with homevisit.Client(server_address, insecure=True, token=tokens["dot_operator"], timeout=1e-9) as hurried:
        page = hurried.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(), timeout=10)
        assert page.service_orders


def test_future_and_with_call_carry_the_api_error(client):
    request = sos.GetServiceOrderRequest(name="serviceOrders/does-not-exist")
    future = client.service_orders.GetServiceOrder.future(request)
    assert isinstance(future.exception(), homevisit.ApiError)
    assert future.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(homevisit.ApiError):
        client.service_orders.GetServiceOrder.with_call(request)


def test_a_call_without_a_token_is_unauthenticated(server_address):
    with homevisit.Client(server_address, insecure=True) as anonymous:
        with pytest.raises(homevisit.ApiError) as caught:
            anonymous.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest())
    assert caught.value.code == grpc.StatusCode.UNAUTHENTICATED
    assert caught.value.reason == "NO_CREDENTIALS"
    assert caught.value.domain == "homevisit.izzi.mx"


def test_an_unknown_token_is_unauthenticated(server_address):
    with homevisit.Client(server_address, insecure=True, token="not-a-real-token") as stranger:
        with pytest.raises(homevisit.ApiError) as caught:
            stranger.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest())
    assert caught.value.code == grpc.StatusCode.UNAUTHENTICATED
    assert caught.value.reason == "INVALID_TOKEN"


def test_a_dot_operator_may_not_call_a_dispatcher_rpc(client):
    # CreateTechnician is the dispatcher's; the role is checked before the request is read.
    with pytest.raises(homevisit.ApiError) as caught:
        client.technicians.CreateTechnician(
            technician_pb2.CreateTechnicianRequest(technician=technician_pb2.Technician(display_name="Nadie"))
        )
    assert caught.value.code == grpc.StatusCode.PERMISSION_DENIED
    assert caught.value.reason == "ROLE_NOT_ALLOWED"


def test_the_dispatcher_reads_technicians(server_address, tokens):
    with homevisit.Client(server_address, insecure=True, token=tokens["dispatcher"]) as dispatcher:
        listed = dispatcher.technicians.ListTechnicians(technician_pb2.ListTechniciansRequest())
    assert "technicians/demo-tech-1" in [t.name for t in listed.technicians]


# --- Lost replies (sdk/README.md, "The shared test") ------------------------------------------
# The drop-reply proxy lets the server run each write once and answers UNAVAILABLE; the same
# bytes again pass. The requests below carry no request_id of their own: one effect and the
# server's first answer are possible only if the SDK filled an id and retried with it.


def count_events(client: homevisit.Client, order: str, event_type: int) -> int:
    events = client.events.ListEvents(event_pb2.ListEventsRequest(service_order=order)).events
    return sum(1 for e in events if e.type == event_type)


def test_lost_replies_are_retried_with_the_generated_request_id(client, drop_reply_proxy, tokens, unique):
    file_number = unique("EXP")
    with homevisit.Client(drop_reply_proxy, insecure=True, token=tokens["dot_operator"]) as proxied:
        request = sos.CreateServiceOrderRequest(service_order=valid_order(file_number))
        order = proxied.service_orders.CreateServiceOrder(request)
        assert request.request_id == ""  # the caller's message is not changed
        assert order.file_number == file_number and order.state == ServiceOrder.STATE_REQUESTED

        # Directly against the server: one order, the one the SDK returned.
        listed = client.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(file_number=file_number))
        assert [o.name for o in listed.service_orders] == [order.name]
        assert count_events(client, order.name, event_pb2.Event.TYPE_ORDER_CREATED) == 1

        reason = "El suscriptor ya no necesita la visita"
        cancelled = proxied.service_orders.CancelServiceOrder(
            sos.CancelServiceOrderRequest(name=order.name, reason=reason, etag=order.etag)
        )
        assert cancelled.state == ServiceOrder.STATE_CANCELLED
        assert cancelled.cancellation.reason == reason

    assert count_events(client, order.name, event_pb2.Event.TYPE_CANCELLED) == 1
    got = client.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name=order.name))
    assert got.state == ServiceOrder.STATE_CANCELLED


def test_without_retries_the_proxy_loses_the_reply(client, drop_reply_proxy, tokens, unique):
    # The negative control: the same flow with retries off fails, so the proxy really drops
    # replies (and the server still ran each write once).
    file_number = unique("EXP")
    with homevisit.Client(
        drop_reply_proxy, insecure=True, token=tokens["dot_operator"], retry=homevisit.NO_RETRY
    ) as proxied:
        with pytest.raises(homevisit.ApiError) as caught:
            proxied.service_orders.CreateServiceOrder(
                sos.CreateServiceOrderRequest(service_order=valid_order(file_number))
            )
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE

        listed = client.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(file_number=file_number))
        assert len(listed.service_orders) == 1  # executed, answer lost
        order = listed.service_orders[0]

        with pytest.raises(homevisit.ApiError) as caught:
            proxied.service_orders.CancelServiceOrder(
                sos.CancelServiceOrderRequest(name=order.name, reason="Prueba sin reintentos", etag=order.etag)
            )
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE

        # Reads pass the proxy untouched.
        got = proxied.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name=order.name))
    assert got.state == ServiceOrder.STATE_CANCELLED
    assert count_events(client, order.name, event_pb2.Event.TYPE_CANCELLED) == 1


# --- Page iterators -----------------------------------------------------------------------------


def test_iter_service_orders_follows_every_page(client, unique):
    file_number = unique("EXP")
    created = [create(client, unique, file_number).name for _ in range(5)]
    listed = [o.name for o in client.iter_service_orders(
        sos.ListServiceOrdersRequest(file_number=file_number, page_size=2), timeout=5)]
    assert listed == list(reversed(created))  # 3 pages, newest first
    assert list(client.iter_service_orders(sos.ListServiceOrdersRequest(file_number=unique("NONE")))) == []


def test_iter_technicians_events_credentials_and_reports(client, server, tokens, unique):
    server_address, admin_token = server
    with homevisit.Client(server_address, insecure=True, token=tokens["dispatcher"]) as dispatcher:
        names = [t.name for t in dispatcher.iter_technicians(technician_pb2.ListTechniciansRequest(page_size=1))]
    assert "technicians/demo-tech-1" in names
    file_number = unique("EXP")
    order = create(client, unique, file_number).name
    events = list(client.iter_events(event_pb2.ListEventsRequest(service_order=order, page_size=1)))
    assert events and all(e.service_order == order for e in events)
    with homevisit.Client(server_address, insecure=True, token=admin_token) as admin:
        assert len(list(admin.iter_credentials(credential_pb2.ListCredentialsRequest(page_size=1)))) >= 2
    reports = client.iter_visit_reports(visit_report_pb2.ListVisitReportsRequest(file_number=file_number, page_size=1))
    assert list(reports) == []  # no visit yet


def test_iter_holds_follows_every_page(client, unique):
    # Three orders each holding their first option (a hold takes its slot: the next is offered another).
    file_number = unique("EXP")
    held = []
    for _ in range(3):
        order = create(client, unique, file_number)
        offer = client.scheduling.CheckAvailability(sched.CheckAvailabilityRequest(service_order=order.name))
        option = offer.requested if offer.requested_available else (list(offer.same_day) + list(offer.other_days))[0]
        held.append(client.scheduling.CreateHold(sched.CreateHoldRequest(service_order=order.name, option=option)).name)
    # Other tests may hold too: the walk must equal one big page of the same filter.
    whole = [h.name for h in client.scheduling.ListHolds(sched.ListHoldsRequest(live_only=True, page_size=500)).holds]
    listed = [h.name for h in client.iter_holds(sched.ListHoldsRequest(live_only=True, page_size=2), timeout=5)]
    assert listed == whole
    assert set(held) <= set(listed)
    technician = sched.ListHoldsRequest(technician="technicians/nobody", live_only=True)
    assert list(client.iter_holds(technician)) == []


def complete_visit(client: homevisit.Client, server, unique, file_number: str) -> str:
    """Walks one visit of `file_number` to completion as the DOT operator `client` and the booked
    technician; returns the order's name."""
    order = create(client, unique, file_number).name
    offered = client.scheduling.CheckAvailability(sched.CheckAvailabilityRequest(service_order=order))
    options = ([offered.requested] if offered.requested_available else []) + list(offered.same_day) + list(
        offered.other_days)
    assert options, f"no availability for {order}"
    booked = client.scheduling.BookAppointment(sched.BookAppointmentRequest(service_order=order, option=options[0]))
    client.visits.RecordConfirmationCall(vs.RecordConfirmationCallRequest(
        service_order=order, result=visit_pb2.ConfirmationCall.RESULT_CONFIRMED))
    address, admin_token = server
    with homevisit.Client(address, insecure=True, token=admin_token) as admin:
        token = admin.credentials.CreateCredential(credential_pb2.CreateCredentialRequest(
            credential=credential_pb2.Credential(principal=unique("python-sdk-phone"), role=common_pb2.ROLE_TECHNICIAN,
                                                 technician=booked.appointment.technician))).token
    with homevisit.Client(address, insecure=True, token=token) as tech:
        tech.visits.CheckIn(vs.CheckInRequest(service_order=order, official_id_type=common_pb2.OFFICIAL_ID_TYPE_INE,
                                              greeting_given=True, vest_worn=True, reason_explained=True))
        tech.visits.RecordDiagnosis(vs.RecordDiagnosisRequest(
            service_order=order, diagnosis=visit_pb2.Diagnosis(internet_related=False, summary="Wi-Fi débil")))
        tech.visits.RecordOutcome(vs.RecordOutcomeRequest(service_order=order, outcome=visit_pb2.Outcome(
            result=visit_pb2.Outcome.RESULT_RESOLVED, problem="Wi-Fi débil", diagnosis="Canal saturado",
            actions_performed="Se cambió el canal del módem")))
        tech.visits.CaptureSignature(vs.CaptureSignatureRequest(service_order=order, signature=visit_pb2.Signature(
            refused=True, refusal_reason="No desea firmar")))
        completed = tech.visits.CompleteVisit(vs.CompleteVisitRequest(service_order=order))
    assert completed.state == ServiceOrder.STATE_COMPLETED
    return order


def test_get_visit_report_document(client, server, unique):
    order = complete_visit(client, server, unique, unique("EXP"))
    request = visit_report_pb2.GetVisitReportDocumentRequest(name=f"{order}/visitReport/document")
    document = client.visit_reports.GetVisitReportDocument(request)
    assert document.name == f"{order}/visitReport/document"
    assert document.pdf.startswith(b"%PDF-")
    assert hashlib.sha256(document.pdf).hexdigest() == document.document_sha256  # the file issued
    assert len(document.report_sha256) == 64
    assert document.current_report_sha256 == document.report_sha256  # the record still matches
    assert client.visit_reports.GetVisitReportDocument(request).pdf == document.pdf  # the same bytes again
