"""The asyncio client's policy without a server (as test_policy.py for the sync one): a fake
continuation answers codes in turn; asyncio.run, no plugin."""

from __future__ import annotations

import asyncio

import grpc
import grpc.aio
import pytest

import homevisit
from homevisit.aio import PolicyInterceptor, iterate_pages
from homevisit.v1 import credential_pb2, service_order_service_pb2 as sos

from test_policy import CANCEL, CREATE_CREDENTIAL, FAST, GET, FakeOutcome


class AioWire:
    """A continuation whose calls, awaited, fail with the given codes in turn (then answer)."""

    def __init__(self, *codes):
        self.answers = list(codes)
        self.calls = []
        self.requests = []

    async def __call__(self, details, request):
        self.calls.append(details)
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else grpc.StatusCode.OK
        code, reason = answer if isinstance(answer, tuple) else (answer, "")

        async def outcome():
            if code != grpc.StatusCode.OK:
                raise FakeOutcome(code, reason)
            return "response"

        return outcome()


def call(method, request, wire, timeout=None, interceptor=None, pauses=None):
    async def sleep(seconds):
        if pauses is not None:
            pauses.append(seconds)

    interceptor = interceptor or PolicyInterceptor(token="tok", retry=FAST, sleep=sleep)
    details = grpc.aio.ClientCallDetails(method, timeout, None, None, None)
    return asyncio.run(interceptor.intercept_unary_unary(wire, details, request))


def test_reads_are_retried_on_unavailable_with_the_token():
    wire = AioWire(grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNAVAILABLE)
    assert call(GET, sos.GetServiceOrderRequest(name="x"), wire) == "response"
    assert len(wire.calls) == 3
    assert ("authorization", "Bearer tok") in list(wire.calls[0].metadata)


def test_four_attempts_then_the_last_error():
    wire = AioWire(*[grpc.StatusCode.UNAVAILABLE] * 5)
    with pytest.raises(homevisit.ApiError) as raised:
        call(GET, sos.GetServiceOrderRequest(name="x"), wire)
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert len(wire.calls) == 4


def test_an_empty_request_id_is_filled_once_and_sent_on_every_attempt():
    wire = AioWire(grpc.StatusCode.UNAVAILABLE)
    request = sos.CancelServiceOrderRequest(name="x")
    call(CANCEL, request, wire)
    assert request.request_id == ""
    assert wire.requests[0].request_id and wire.requests[0] is wire.requests[1]


@pytest.mark.parametrize(
    "answer",
    [
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.INVALID_ARGUMENT,
        (grpc.StatusCode.ABORTED, "ETAG_MISMATCH"),
        (grpc.StatusCode.ABORTED, "SLOT_TAKEN"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "QUOTA"),
    ],
)
def test_errors_that_are_not_retried(answer):
    wire = AioWire(answer)
    with pytest.raises(homevisit.ApiError):
        call(GET, sos.GetServiceOrderRequest(name="x"), wire)
    assert len(wire.calls) == 1


@pytest.mark.parametrize("answer", [(grpc.StatusCode.ABORTED, "CONFLICT"), (grpc.StatusCode.RESOURCE_EXHAUSTED, "SERVER_BUSY")])
def test_transient_errors_are_retried(answer):
    wire = AioWire(answer)
    assert call(CANCEL, sos.CancelServiceOrderRequest(name="x"), wire) == "response"
    assert len(wire.calls) == 2


def test_create_credential_is_never_retried():
    wire = AioWire(grpc.StatusCode.UNAVAILABLE)
    with pytest.raises(homevisit.ApiError):
        call(CREATE_CREDENTIAL, credential_pb2.CreateCredentialRequest(), wire)
    assert len(wire.calls) == 1


def test_backoff_is_full_jitter_within_the_ceiling():
    pauses = []
    wire = AioWire(*[grpc.StatusCode.UNAVAILABLE] * 3)
    call(GET, sos.GetServiceOrderRequest(name="x"), wire, pauses=pauses)
    assert len(pauses) == 3
    assert all(0 <= p <= FAST.backoff_ceiling(n) for n, p in enumerate(pauses, 1))


def test_one_deadline_covers_every_attempt():
    now = [0.0]

    async def sleep(seconds):
        now[0] += seconds

    policy = homevisit.RetryPolicy(max_attempts=4, initial_backoff=1.0, max_backoff=1.0)
    interceptor = PolicyInterceptor(retry=policy, sleep=sleep, clock=lambda: now[0], timeout=10.0)
    wire = AioWire(*[grpc.StatusCode.UNAVAILABLE] * 4)
    with pytest.raises(homevisit.ApiError):
        call(GET, sos.GetServiceOrderRequest(name="x"), wire, interceptor=interceptor)
    assert wire.calls[0].timeout == 10.0
    assert [c.timeout for c in wire.calls] == sorted((c.timeout for c in wire.calls), reverse=True)
    # a call with its own short deadline: no retry may start past it
    now[0] = 0.0
    wire = AioWire(*[grpc.StatusCode.UNAVAILABLE] * 4)
    policy_late = homevisit.RetryPolicy(max_attempts=4, initial_backoff=5.0, max_backoff=5.0)
    late = PolicyInterceptor(retry=policy_late, sleep=sleep, clock=lambda: now[0])
    with pytest.raises(homevisit.ApiError):
        call(GET, sos.GetServiceOrderRequest(name="x"), wire, timeout=0.001, interceptor=late)
    assert len(wire.calls) == 1


def test_async_pages_follow_next_page_token():
    pages = [
        sos.ListServiceOrdersResponse(service_orders=[{"name": "a"}, {"name": "b"}], next_page_token="t"),
        sos.ListServiceOrdersResponse(),
        ]
    pages[1].service_orders.add(name="c")
    tokens = []

    async def list_call(request, **options):
        tokens.append(request.page_token)
        return pages[len(tokens) - 1]

    async def run():
        return [o.name async for o in iterate_pages(list_call, sos.ListServiceOrdersRequest(), "service_orders")]

    assert asyncio.run(run()) == ["a", "b", "c"]
    assert tokens == ["", "t"]


def test_async_pages_raise_an_error_mid_way():
    error = homevisit.ApiError(grpc.StatusCode.INTERNAL, "boom")
    seen = []

    async def list_call(request, **options):
        if request.page_token:
            raise error
        return sos.ListServiceOrdersResponse(service_orders=[{"name": "a"}], next_page_token="t")

    async def run():
        async for o in iterate_pages(list_call, sos.ListServiceOrdersRequest(), "service_orders"):
            seen.append(o.name)

    with pytest.raises(homevisit.ApiError):
        asyncio.run(run())
    assert seen == ["a"]
