"""The thin layer's policies without a server: a fake continuation stands in for the wire.

The rules are those of sdk/README.md: request ids, which calls and errors are retried, attempts,
backoff and the one deadline.
"""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import message_factory
from google.rpc import error_details_pb2, status_pb2

import homevisit
from homevisit import retry as retry_module
from homevisit.client import PolicyInterceptor, _CallDetails
from homevisit.v1 import (
    credential_pb2,
    event_pb2,
    scheduling_service_pb2 as sched,
    service_order_pb2,
    service_order_service_pb2 as sos,
    technician_pb2,
    visit_report_pb2,
    visit_service_pb2,
)

GET = "/homevisit.v1.ServiceOrderService/GetServiceOrder"
CREATE = "/homevisit.v1.ServiceOrderService/CreateServiceOrder"
CANCEL = "/homevisit.v1.ServiceOrderService/CancelServiceOrder"
BOOK = "/homevisit.v1.SchedulingService/BookAppointment"
CREATE_CREDENTIAL = "/homevisit.v1.CredentialService/CreateCredential"
FAST = homevisit.RetryPolicy(max_attempts=4, initial_backoff=0.001, max_backoff=0.002)

# The writes that take a request_id (sdk/README.md): every write but CreateCredential.
WRITES_WITH_REQUEST_ID = {
    "CreateServiceOrder", "UpdateServiceOrder", "CancelServiceOrder",
    "CreateTechnician", "UpdateTechnician", "DeactivateTechnician",
    "CreateHold", "ReleaseHold", "BookAppointment", "RescheduleAppointment", "ReassignAppointment",
    "RecordConfirmationCall", "RecordFollowUpCall", "CheckIn", "RecordDiagnosis", "RequestEscalation",
    "RecordConference", "RecordHandOver", "RecordOutcome", "CaptureSignature", "CompleteVisit",
    "RevokeCredential",
}


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
    """A continuation answering the given codes in turn (then OK) and recording each call and
    the request it carried."""

    def __init__(self, *codes):
        self.answers = list(codes)
        self.calls = []
        self.requests = []

    def __call__(self, details, request):
        self.calls.append(details)
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else grpc.StatusCode.OK
        code, reason = answer if isinstance(answer, tuple) else (answer, "")
        return FakeOutcome(code, reason)


def call(method, request, wire, timeout=None, interceptor=None):
    interceptor = interceptor or PolicyInterceptor(token="tok", retry=FAST, sleep=lambda s: None)
    details = _CallDetails(method, timeout, None, None, None, None)
    return interceptor.intercept_unary_unary(wire, details, request)


def unary_methods():
    """(full method path, request class) of every unary method of every service."""
    out = []
    for module in (credential_pb2, event_pb2, sched, sos, technician_pb2, visit_report_pb2, visit_service_pb2):
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                if method.client_streaming or method.server_streaming:
                    continue
                out.append((f"/{service.full_name}/{method.name}", message_factory.GetMessageClass(method.input_type)))
    return out


# --- which calls ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,read",
    [
        ("GetServiceOrder", True), ("ListServiceOrders", True), ("GetTechnician", True),
        ("ListTechnicians", True), ("ListEvents", True), ("GetVisitReport", True),
        ("ListVisitReports", True), ("ListCredentials", True), ("CheckAvailability", True),
        ("RenderScript", True), ("ListHolds", True),
        ("CheckIn", False), ("CreateServiceOrder", False), ("CancelServiceOrder", False),
        ("BookAppointment", False), ("CreateHold", False), ("RecordConfirmationCall", False),
        ("CreateCredential", False), ("RevokeCredential", False), ("WatchEvents", False),
    ],
)
def test_the_read_list(name, read):
    assert homevisit.is_read(name) is read
    assert homevisit.is_read(f"/homevisit.v1.AnyService/{name}".encode()) is read


def test_every_method_is_a_read_or_a_write_with_a_request_id_except_create_credential():
    methods = unary_methods()
    writes = set()
    for method, request_class in methods:
        name = retry_module.method_name(method)
        empty = request_class()
        if homevisit.is_read(method):
            assert homevisit.is_idempotent(method, empty), name
            continue
        writes.add(name)
        filled = homevisit.with_request_id(empty)
        if name == "CreateCredential":
            assert "request_id" not in request_class.DESCRIPTOR.fields_by_name
            assert filled is empty
            assert not homevisit.is_idempotent(method, filled)
            continue
        assert not homevisit.is_idempotent(method, empty), name  # no id yet: not safe to repeat
        assert filled.request_id and homevisit.is_idempotent(method, filled), name
    assert writes == WRITES_WITH_REQUEST_ID | {"CreateCredential"}


def test_is_idempotent():
    assert homevisit.is_idempotent(GET, sos.GetServiceOrderRequest())
    assert homevisit.is_idempotent(CREATE, sos.CreateServiceOrderRequest(request_id="r-1"))
    assert not homevisit.is_idempotent(CREATE, sos.CreateServiceOrderRequest())
    assert homevisit.is_idempotent(CANCEL, sos.CancelServiceOrderRequest(name="serviceOrders/1", request_id="c-1"))
    assert not homevisit.is_idempotent(CANCEL, sos.CancelServiceOrderRequest(name="serviceOrders/1"))
    assert not homevisit.is_idempotent(CREATE_CREDENTIAL, credential_pb2.CreateCredentialRequest())


# --- request ids ------------------------------------------------------------------------------


def test_an_empty_request_id_is_filled_on_a_copy_and_kept_across_attempts():
    mine = sos.CreateServiceOrderRequest(service_order=service_order_pb2.ServiceOrder(file_number="EXP-1"))
    before = mine.SerializeToString()
    wire = Wire(grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.UNAVAILABLE)
    assert call(CREATE, mine, wire).result() == "response"
    assert mine.SerializeToString() == before and mine.request_id == ""  # the caller's is untouched
    assert len(wire.requests) == 3
    sent = wire.requests[0]
    assert sent is not mine
    assert uuid.UUID(sent.request_id).version == 4
    assert str(uuid.UUID(sent.request_id)) == sent.request_id
    assert sent.service_order.file_number == "EXP-1"
    assert len({r.SerializeToString() for r in wire.requests}) == 1  # every attempt: same bytes

    other = Wire()
    call(CREATE, mine, other)
    assert other.requests[0].request_id != sent.request_id  # a fresh id per call


def test_a_callers_request_id_is_sent_as_is():
    mine = sos.CancelServiceOrderRequest(name="serviceOrders/1", request_id="my-step-7")
    wire = Wire(grpc.StatusCode.UNAVAILABLE)
    assert call(CANCEL, mine, wire).result() == "response"
    assert [r.request_id for r in wire.requests] == ["my-step-7", "my-step-7"]
    assert mine.request_id == "my-step-7"


def test_request_id_is_filled_with_retries_off_and_left_alone_where_there_is_no_field():
    wire = Wire()
    no_retry = PolicyInterceptor(retry=homevisit.NO_RETRY, sleep=lambda s: None)
    call(BOOK, sched.BookAppointmentRequest(), wire, interceptor=no_retry)
    assert wire.requests[0].request_id
    read = sos.GetServiceOrderRequest(name="serviceOrders/1")
    assert homevisit.with_request_id(read) is read
    credential = credential_pb2.CreateCredentialRequest()
    assert homevisit.with_request_id(credential) is credential
    revoke = credential_pb2.RevokeCredentialRequest(name="credentials/1")
    filled = homevisit.with_request_id(revoke)
    assert filled.request_id and filled.name == "credentials/1" and revoke.request_id == ""


# --- which errors -----------------------------------------------------------------------------

S = grpc.StatusCode
ERROR_TABLE = [
    (S.UNAVAILABLE, "", True),
    (S.UNAVAILABLE, "ANYTHING", True),
    (S.ABORTED, "", True),
    (S.ABORTED, "CONCURRENT_UPDATE", True),
    (S.ABORTED, "SERIALIZATION_FAILURE", True),
    (S.ABORTED, "ETAG_MISMATCH", False),
    (S.ABORTED, "SLOT_TAKEN", False),
    (S.RESOURCE_EXHAUSTED, "SERVER_BUSY", True),
    (S.RESOURCE_EXHAUSTED, "", False),
    (S.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED", False),
    (S.DEADLINE_EXCEEDED, "", False),
    (S.INTERNAL, "", False),
    (S.UNKNOWN, "", False),
    (S.INVALID_ARGUMENT, "INVALID_FIELDS", False),
    (S.FAILED_PRECONDITION, "", False),
    (S.NOT_FOUND, "", False),
    (S.ALREADY_EXISTS, "REQUEST_ID_REUSED", False),
    (S.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", False),
    (S.UNAUTHENTICATED, "NO_CREDENTIALS", False),
    (S.CANCELLED, "", False),
    (S.UNIMPLEMENTED, "", False),
    (S.OUT_OF_RANGE, "", False),
    (S.DATA_LOSS, "", False),
]


@pytest.mark.parametrize("code,reason,retried", ERROR_TABLE)
@pytest.mark.parametrize(
    "method,request_",
    [
        (GET, sos.GetServiceOrderRequest()),  # a read
        (CANCEL, sos.CancelServiceOrderRequest(name="serviceOrders/1")),  # a write: the id is filled
        (BOOK, sched.BookAppointmentRequest(request_id="b-1")),  # a write with the caller's id
    ],
)
def test_each_code_and_reason(method, request_, code, reason, retried):
    assert homevisit.is_retryable_error(code, reason) is retried
    wire = Wire((code, reason))
    outcome = call(method, request_, wire)
    assert len(wire.calls) == (2 if retried else 1)
    if retried:
        assert outcome.result() == "response"
    else:
        with pytest.raises(homevisit.ApiError) as caught:
            outcome.result()
        assert (caught.value.code, caught.value.reason) == (code, reason)


@pytest.mark.parametrize("code,reason", [(c, r) for c, r, retried in ERROR_TABLE if retried])
def test_create_credential_is_never_retried(code, reason):
    assert not homevisit.should_retry(CREATE_CREDENTIAL, credential_pb2.CreateCredentialRequest(), code, reason)
    mine = credential_pb2.CreateCredentialRequest(credential=credential_pb2.Credential(principal="p"))
    wire = Wire((code, reason))
    outcome = call(CREATE_CREDENTIAL, mine, wire)
    assert len(wire.calls) == 1
    assert wire.requests[0] is mine
    with pytest.raises(homevisit.ApiError) as caught:
        outcome.result()
    assert caught.value.code == code


# --- how many times and how long --------------------------------------------------------------


def test_default_policy():
    policy = homevisit.DEFAULT_RETRY_POLICY
    assert (policy.max_attempts, policy.initial_backoff, policy.max_backoff, policy.multiplier) == (4, 0.1, 2.0, 2.0)
    assert homevisit.NO_RETRY.max_attempts == 1
    assert homevisit.DEFAULT_TIMEOUT == 10.0


def test_four_attempts_in_all_with_jittered_pauses():
    pauses = []
    interceptor = PolicyInterceptor(sleep=pauses.append)  # the default policy and deadline
    wire = Wire(*[grpc.StatusCode.UNAVAILABLE] * 10)
    outcome = call(CANCEL, sos.CancelServiceOrderRequest(name="serviceOrders/1"), wire, interceptor=interceptor)
    assert outcome.code() == grpc.StatusCode.UNAVAILABLE
    assert len(wire.calls) == 4
    assert len(pauses) == 3
    assert all(0 <= p <= bound for p, bound in zip(pauses, (0.1, 0.2, 0.4)))

    wire = Wire(*[grpc.StatusCode.UNAVAILABLE] * 10)
    call(GET, sos.GetServiceOrderRequest(), wire, interceptor=PolicyInterceptor(retry=homevisit.NO_RETRY))
    assert len(wire.calls) == 1


def test_backoff_bounds(monkeypatch):
    policy = homevisit.DEFAULT_RETRY_POLICY
    expected = {1: 0.1, 2: 0.2, 3: 0.4, 4: 0.8, 5: 1.6, 6: 2.0, 7: 2.0, 20: 2.0}
    for n, ceiling in expected.items():
        assert policy.backoff_ceiling(n) == pytest.approx(ceiling)
        samples = [policy.backoff(n) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling / 2  # uniform over the whole range, not a fixed fraction
    drawn = []
    monkeypatch.setattr(retry_module.random, "uniform", lambda a, b: drawn.append((a, b)) or b)
    assert [policy.backoff(n) for n in (1, 2, 3)] == pytest.approx([0.1, 0.2, 0.4])
    assert [low for low, _ in drawn] == [0, 0, 0]
    assert [high for _, high in drawn] == pytest.approx([0.1, 0.2, 0.4])


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


def test_retries_share_one_deadline_and_stop_when_the_pause_would_end_past_it(monkeypatch):
    monkeypatch.setattr(retry_module.random, "uniform", lambda a, b: b)  # every pause its maximum
    now = [0.0]
    interceptor = PolicyInterceptor(
        timeout=1.0,
        retry=homevisit.RetryPolicy(max_attempts=10, initial_backoff=0.4, max_backoff=0.4, multiplier=1),
        sleep=lambda s: now.__setitem__(0, now[0] + s),
        clock=lambda: now[0],
    )
    wire = Wire(*[grpc.StatusCode.UNAVAILABLE] * 10)
    outcome = call(GET, sos.GetServiceOrderRequest(), wire, interceptor=interceptor)
    # Attempts at 0.0, 0.4, 0.8; the next pause would end at 1.2, past the deadline at 1.0.
    assert len(wire.calls) == 3
    assert [d.timeout for d in wire.calls] == pytest.approx([1.0, 0.6, 0.2])
    assert outcome.code() == grpc.StatusCode.UNAVAILABLE
    assert now[0] == pytest.approx(0.8)


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
