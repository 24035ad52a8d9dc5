"""The thin layer over the generated stubs: one channel with credentials, TLS, a default
deadline, request ids and retries as ``sdk/README.md`` says, and errors that expose the
server's details.

    with homevisit.Client("127.0.0.1:50051", insecure=True, token=token) as client:
        order = client.service_orders.GetServiceOrder(
            service_order_service_pb2.GetServiceOrderRequest(name=name))

The stubs are the generated ones (``client.service_orders`` is a
``ServiceOrderServiceStub``), so every request and response is the generated message.
"""

from __future__ import annotations

import collections
import time
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

import grpc

from homevisit.errors import ApiError
from homevisit.pages import iterate_pages
from homevisit.retry import DEFAULT_RETRY_POLICY, RetryPolicy, pause_before_retry, with_request_id
from homevisit.v1 import (
    credential_pb2,
    credential_pb2_grpc,
    event_pb2,
    event_pb2_grpc,
    reporting_service_pb2_grpc,
    scheduling_service_pb2,
    scheduling_service_pb2_grpc,
    service_order_pb2,
    service_order_service_pb2,
    service_order_service_pb2_grpc,
    technician_pb2,
    technician_pb2_grpc,
    visit_report_pb2,
    visit_report_pb2_grpc,
    visit_service_pb2_grpc,
)

DEFAULT_TIMEOUT = 10.0  # seconds, for unary calls made without a timeout


def channel_credentials(
    insecure: bool,
    root_certificates: Optional[bytes],
    private_key: Optional[bytes],
    certificate_chain: Optional[bytes],
    server_name: Optional[str],
    channel_options: List[Tuple[str, Any]],
) -> Optional[grpc.ChannelCredentials]:
    """Checks the TLS arguments both clients take; None for an insecure channel. A
    ``server_name`` override is appended to ``channel_options``."""
    if insecure:
        if root_certificates or private_key or certificate_chain or server_name:
            raise ValueError("insecure=True excludes the TLS options")
        return None
    if (private_key is None) != (certificate_chain is None):
        raise ValueError("private_key and certificate_chain go together")
    if server_name:
        channel_options.append(("grpc.ssl_target_name_override", server_name))
    return grpc.ssl_channel_credentials(root_certificates, private_key, certificate_chain)


def attach_stubs(client: Any, channel: Any) -> None:
    """One stub per service, under the names both clients expose."""
    client.service_orders = service_order_service_pb2_grpc.ServiceOrderServiceStub(channel)
    client.technicians = technician_pb2_grpc.TechnicianServiceStub(channel)
    client.scheduling = scheduling_service_pb2_grpc.SchedulingServiceStub(channel)
    client.events = event_pb2_grpc.EventServiceStub(channel)
    client.visits = visit_service_pb2_grpc.VisitServiceStub(channel)
    client.visit_reports = visit_report_pb2_grpc.VisitReportServiceStub(channel)
    client.credentials = credential_pb2_grpc.CredentialServiceStub(channel)
    client.reporting = reporting_service_pb2_grpc.ReportingServiceStub(channel)


class Client:
    """A connection to homevisitd and a stub of every service on it.

    Args:
        target: ``"host:port"``.
        token: sent as ``authorization: Bearer <token>`` with every call. The server requires
            it: without one a call fails UNAUTHENTICATED (reason ``NO_CREDENTIALS``), and with
            a role that may not call the method, PERMISSION_DENIED (``ROLE_NOT_ALLOWED``).
        insecure: plaintext instead of TLS (loopback and tests only).
        root_certificates: PEM bytes of the CAs that sign the server's certificate (TLS);
            None means the system roots.
        private_key, certificate_chain: PEM bytes of a client certificate (mutual TLS).
        server_name: overrides the name checked against the server's certificate.
        timeout: default deadline in seconds of unary calls made without one (None: no default).
            It covers the call with all its attempts and pauses.
        retry: the ``RetryPolicy``; ``homevisit.NO_RETRY`` turns retries off (an empty
            ``request_id`` is still filled).
        options: extra channel arguments, e.g. ``[("grpc.max_receive_message_length", n)]``.
    """

    def __init__(
        self,
        target: str,
        *,
        token: Optional[str] = None,
        insecure: bool = False,
        root_certificates: Optional[bytes] = None,
        private_key: Optional[bytes] = None,
        certificate_chain: Optional[bytes] = None,
        server_name: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY_POLICY,
        options: Sequence[Tuple[str, Any]] = (),
    ) -> None:
        channel_options = list(options)
        credentials = channel_credentials(
            insecure, root_certificates, private_key, certificate_chain, server_name, channel_options
        )
        if credentials is None:
            base = grpc.insecure_channel(target, options=channel_options)
        else:
            base = grpc.secure_channel(target, credentials, options=channel_options)
        self._base_channel = base
        self.channel: grpc.Channel = grpc.intercept_channel(base, PolicyInterceptor(token, timeout, retry))
        attach_stubs(self, self.channel)

    # Every item of a List call, across its pages (``homevisit.pages``). ``timeout`` and
    # ``metadata`` apply to each page's call; None for the request means the defaults.

    def iter_service_orders(
        self, request: Optional[service_order_service_pb2.ListServiceOrdersRequest] = None, **call_options: Any
    ) -> Iterator[service_order_pb2.ServiceOrder]:
        request = request or service_order_service_pb2.ListServiceOrdersRequest()
        return iterate_pages(self.service_orders.ListServiceOrders, request, "service_orders", **call_options)

    def iter_technicians(
        self, request: Optional[technician_pb2.ListTechniciansRequest] = None, **call_options: Any
    ) -> Iterator[technician_pb2.Technician]:
        request = request or technician_pb2.ListTechniciansRequest()
        return iterate_pages(self.technicians.ListTechnicians, request, "technicians", **call_options)

    def iter_events(
        self, request: Optional[event_pb2.ListEventsRequest] = None, **call_options: Any
    ) -> Iterator[event_pb2.Event]:
        request = request or event_pb2.ListEventsRequest()
        return iterate_pages(self.events.ListEvents, request, "events", **call_options)

    def iter_credentials(
        self, request: Optional[credential_pb2.ListCredentialsRequest] = None, **call_options: Any
    ) -> Iterator[credential_pb2.Credential]:
        request = request or credential_pb2.ListCredentialsRequest()
        return iterate_pages(self.credentials.ListCredentials, request, "credentials", **call_options)

    def iter_visit_reports(
        self, request: Optional[visit_report_pb2.ListVisitReportsRequest] = None, **call_options: Any
    ) -> Iterator[visit_report_pb2.VisitReport]:
        request = request or visit_report_pb2.ListVisitReportsRequest()
        return iterate_pages(self.visit_reports.ListVisitReports, request, "visit_reports", **call_options)

    def iter_holds(
        self, request: Optional[scheduling_service_pb2.ListHoldsRequest] = None, **call_options: Any
    ) -> Iterator[scheduling_service_pb2.Hold]:
        request = request or scheduling_service_pb2.ListHoldsRequest()
        return iterate_pages(self.scheduling.ListHolds, request, "holds", **call_options)

    def close(self) -> None:
        self._base_channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class _CallDetails(
    collections.namedtuple(
        "_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")
    ),
    grpc.ClientCallDetails,
):
    pass


class PolicyInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds the bearer token; gives unary calls the default deadline; fills an empty
    ``request_id`` with a fresh UUID4 (on a copy: the caller's message is left alone) and sends
    that same request on every attempt; retries unary calls as ``should_retry`` says, with the
    policy's backoff, all within the one deadline; turns failures of unary calls into ``ApiError``.

    Server streams (WatchEvents) get the token only: no default deadline (a watch is meant to
    last) and plain ``grpc.RpcError`` (convert with ``ApiError.from_rpc_error``).
    """

    def __init__(
        self,
        token: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token = token
        self._timeout = timeout
        self._retry = retry
        self._sleep = sleep
        self._clock = clock

    def _details(self, details: grpc.ClientCallDetails, timeout: Optional[float]) -> _CallDetails:
        metadata = list(details.metadata or ())
        if self._token:
            metadata.append(("authorization", f"Bearer {self._token}"))
        return _CallDetails(
            details.method,
            timeout,
            metadata,
            details.credentials,
            getattr(details, "wait_for_ready", None),
            getattr(details, "compression", None),
        )

    def intercept_unary_unary(self, continuation, client_call_details, request):
        timeout = client_call_details.timeout if client_call_details.timeout is not None else self._timeout
        deadline = None if timeout is None else self._clock() + timeout
        request = with_request_id(request)  # before the first attempt; every attempt sends it
        attempt = 1
        while True:
            remaining = None if deadline is None else max(0.0, deadline - self._clock())
            outcome = continuation(self._details(client_call_details, remaining), request)
            if outcome.code() == grpc.StatusCode.OK:
                return outcome
            exception = outcome.exception()
            if exception is not None and not isinstance(exception, grpc.RpcError):
                return outcome  # raised in the client itself (e.g. a bad request type): keep it
            error = ApiError.from_call(outcome)
            pause = pause_before_retry(
                self._retry, attempt, client_call_details.method, request, error.code, error.reason,
                self._clock(), deadline,
            )
            if pause is None:
                return _FailedCall(error)
            self._sleep(pause)
            attempt += 1

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._details(client_call_details, client_call_details.timeout), request)


class _FailedCall(grpc.RpcError, grpc.Future, grpc.Call):
    """What the interceptor hands back for a failed unary call: ``result()`` raises the
    ApiError, so ``stub.Method(request)`` and ``.with_call`` raise it and ``.future()``
    carries it."""

    def __init__(self, error: ApiError) -> None:
        self._error = error

    # grpc.Future
    def cancel(self) -> bool:
        return False

    def cancelled(self) -> bool:
        return False

    def running(self) -> bool:
        return False

    def done(self) -> bool:
        return True

    def result(self, timeout: Optional[float] = None) -> Any:
        raise self._error

    def exception(self, timeout: Optional[float] = None) -> Optional[BaseException]:
        return self._error

    def traceback(self, timeout: Optional[float] = None) -> Any:
        return self._error.__traceback__

    def add_done_callback(self, fn: Callable[[Any], None]) -> None:
        fn(self)

    # grpc.Call
    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> Optional[float]:
        return None

    def add_callback(self, callback: Callable[[], None]) -> bool:
        return False

    def initial_metadata(self) -> Any:
        return None

    def trailing_metadata(self) -> Any:
        return self._error.trailing_metadata

    def code(self) -> grpc.StatusCode:
        return self._error.code

    def details(self) -> str:
        return self._error.message
