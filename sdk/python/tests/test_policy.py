"""The thin layer's policies without a server: a fake continuation stands in for the wire."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

import homevisit
from homevisit.client import PolicyInterceptor, _CallDetails
from homevisit.v1 import (
    scheduling_service_pb2 as sched,
    service_order_service_pb2 as sos,
)

GET = "/homevisit.v1.ServiceOrderService/GetServiceOrder"
CREATE = "/homevisit.v1.ServiceOrderService/CreateServiceOrder"
CANCEL = "/homevisit.v1.ServiceOrderService/CancelServiceOrder"
BOOK = "/homevisit.v1.SchedulingService/BookAppointment"
FAST = homevisit.RetryPolicy(max_attempts=4, initial_backoff=0.001, max_backoff=0.002)


def status_trailer(code: grpc.StatusCode, reason: str = "", fields=()):
    status = status_pb2.Status(code=code.value[0], message="x")
    if reason:
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason=reason, domain="homevisit.izzi.mx"))
    if fields:
        bad = error_details_pb2.BadRequest(
            field_violations=[error_details_pb2.BadRequest.FieldViolation(field=f, description="bad") for f in fields]
        )
        status.details.add().Pack(bad)
    return (("grpc-status-details-bin", status.SerializeToString()),)


class FakeOutcome(grpc.RpcError):
    """Quacks like what grpc's continuation returns: a finished call."""

    def __init__(self, code=grpc.StatusCode.OK, reason=""):
        self._code, self._reason = code, reason

    def code(self):
        return self._code

    def details(self):
        return "fake"

    def trailing_metadata(self):
        return status_trailer(self._code, self._reason) if self._code != grpc.StatusCode.OK else ()

    def exception(self):
        return None if self._code == grpc.StatusCode.OK else self

    def result(self):
        return "response"


class Wire:
    """A continuation answering the given codes in turn (then OK) and recording each call."""

    def __init__(self, *codes):
        self.answers = list(codes)
        self.calls = []

    def __call__(self, details, request):
        self.calls.append(details)
        answer = self.answers.pop(0) if self.answers else grpc.StatusCode.OK
        code, reason = answer if isinstance(answer, tuple) else (answer, "")
        return FakeOutcome(code, reason)


def call(method, request, wire, timeout=None, interceptor=None):
    interceptor = interceptor or PolicyInterceptor(token="tok", retry=FAST, sleep=lambda s: None)
    details = _CallDetails(method, timeout, None, None, None, None)
    return interceptor.intercept_unary_unary(wire, details, request)


def test_is_idempotent():
    assert homevisit.is_idempotent(GET, sos.GetServiceOrderRequest())
    assert homevisit.is_idempotent("/homevisit.v1.ServiceOrderService/ListServiceOrders", sos.ListServiceOrdersRequest())
    assert homevisit.is_idempotent("/homevisit.v1.SchedulingService/CheckAvailability", sched.CheckAvailabilityRequest())
    assert homevisit.is_idempotent(CREATE, sos.CreateServiceOrderRequest(request_id="r-1"))
    assert not homevisit.is_idempotent(CREATE, sos.CreateServiceOrderRequest())
    assert homevisit.is_idempotent(BOOK, sched.BookAppointmentRequest(request_id="b-1"))
    assert not homevisit.is_idempotent(BOOK, sched.BookAppointmentRequest())
    assert not homevisit.is_idempotent(CANCEL, sos.CancelServiceOrderRequest(name="serviceOrders/1"))
    assert not homevisit.is_idempotent("/homevisit.v1.ServiceOrderService/UpdateServiceOrder", sos.UpdateServiceOrderRequest())


def test_retries_unavailable_for_idempotent_calls():
    wire = Wire(grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNAVAILABLE)
    assert call(GET, sos.GetServiceOrderRequest(), wire).result() == "response"
    assert len(wire.calls) == 3
    wire = Wire(grpc.StatusCode.UNAVAILABLE)
    assert call(CREATE, sos.CreateServiceOrderRequest(request_id="r-1"), wire).result() == "response"
    assert len(wire.calls) == 2


@pytest.mark.parametrize(
    "method,request_",
    [
        (CREATE, sos.CreateServiceOrderRequest()),
        (CANCEL, sos.CancelServiceOrderRequest()),
        (BOOK, sched.BookAppointmentRequest()),
    ],
)
@pytest.mark.parametrize(
    "answer", [grpc.StatusCode.UNAVAILABLE, (grpc.StatusCode.ABORTED, "CONCURRENT_UPDATE")]
)
def test_never_retries_non_idempotent_calls(method, request_, answer):
    wire = Wire(answer)
    outcome = call(method, request_, wire)
    assert len(wire.calls) == 1
    with pytest.raises(homevisit.ApiError) as caught:
        outcome.result()
    assert caught.value.code == (answer[0] if isinstance(answer, tuple) else answer)


def test_aborted_is_retried_only_when_transient_and_idempotent():
    wire = Wire((grpc.StatusCode.ABORTED, "SERIALIZATION_FAILURE"))
    assert call(GET, sos.GetServiceOrderRequest(), wire).result() == "response"
    assert len(wire.calls) == 2
    wire = Wire((grpc.StatusCode.ABORTED, "SLOT_TAKEN"))
    outcome = call(BOOK, sched.BookAppointmentRequest(request_id="b-1"), wire)
    assert len(wire.calls) == 1
    with pytest.raises(homevisit.ApiError) as caught:
        outcome.result()
    assert caught.value.reason == "SLOT_TAKEN"


def test_other_codes_and_attempt_limit():
    wire = Wire(grpc.StatusCode.NOT_FOUND)
    assert call(GET, sos.GetServiceOrderRequest(), wire).code() == grpc.StatusCode.NOT_FOUND
    assert len(wire.calls) == 1
    wire = Wire(*[grpc.StatusCode.UNAVAILABLE] * 10)
    assert call(GET, sos.GetServiceOrderRequest(), wire).code() == grpc.StatusCode.UNAVAILABLE
    assert len(wire.calls) == FAST.max_attempts


def test_default_deadline_token_and_callers_timeout():
    wire = Wire()
    call(GET, sos.GetServiceOrderRequest(), wire, interceptor=PolicyInterceptor(token="tok", timeout=7.0))
    sent = wire.calls[0]
    assert 6.0 < sent.timeout <= 7.0
    assert ("authorization", "Bearer tok") in sent.metadata
    wire = Wire()
    call(GET, sos.GetServiceOrderRequest(), wire, timeout=30.0, interceptor=PolicyInterceptor(timeout=7.0))
    assert 29.0 < wire.calls[0].timeout <= 30.0
    assert not any(key == "authorization" for key, _ in wire.calls[0].metadata)


def test_retries_share_one_deadline():
    now = [0.0]
    interceptor = PolicyInterceptor(
        timeout=1.0,
        retry=homevisit.RetryPolicy(max_attempts=10, initial_backoff=0.4, max_backoff=0.4, multiplier=1),
        sleep=lambda s: now.__setitem__(0, now[0] + s),
        clock=lambda: now[0],
    )
    wire = Wire(*[grpc.StatusCode.UNAVAILABLE] * 10)
    call(GET, sos.GetServiceOrderRequest(), wire, interceptor=interceptor)
    assert 1 <= len(wire.calls) < 10
    assert all(d.timeout <= 1.0 for d in wire.calls)
    assert wire.calls[-1].timeout < wire.calls[0].timeout or len(wire.calls) == 1


def test_backoff_is_capped():
    policy = homevisit.RetryPolicy(initial_backoff=0.1, max_backoff=1.0, multiplier=2)
    for n in range(1, 12):
        assert all(0 <= policy.backoff(n) <= 1.0 for _ in range(50))
    assert all(policy.backoff(1) <= 0.1 for _ in range(50))


def test_api_error_decodes_status_details():
    class Raised(grpc.RpcError):
        def code(self):
            return grpc.StatusCode.INVALID_ARGUMENT

        def details(self):
            return "2 fields"

        def trailing_metadata(self):
            return status_trailer(
                grpc.StatusCode.INVALID_ARGUMENT, "INVALID_FIELDS", ["service_order.subscriber.email"]
            )

    error = homevisit.ApiError.from_rpc_error(Raised())
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_FIELDS"
    assert error.field_violations == [homevisit.FieldViolation("service_order.subscriber.email", "bad")]
    assert error.status is not None and error.status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "INVALID_FIELDS" in str(error)
    bare = homevisit.ApiError(grpc.StatusCode.UNAVAILABLE, "down")
    assert (bare.reason, bare.field_violations, bare.status) == ("", [], None)


def test_tls_options_are_checked():
    with pytest.raises(ValueError):
        homevisit.Client("127.0.0.1:1", insecure=True, root_certificates=b"pem")
    with pytest.raises(ValueError):
        homevisit.Client("127.0.0.1:1", private_key=b"key")
    homevisit.Client("127.0.0.1:1").close()  # TLS with the system roots: no connection until a call


def test_generated_code_and_type_stubs_are_installed():
    import pathlib

    from homevisit.v1 import service_order_pb2

    module = pathlib.Path(service_order_pb2.__file__)
    assert module.with_suffix(".pyi").is_file()
    assert (pathlib.Path(homevisit.__file__).parent / "py.typed").is_file()
