"""The asyncio client (grpc.aio): the same options, stubs, request ids, retries, one deadline
and ``ApiError`` as ``homevisit.Client``; the decisions come from ``homevisit.retry``.

    async with homevisit.aio.Client("127.0.0.1:50051", insecure=True, token=token) as client:
        order = await client.service_orders.GetServiceOrder(request)
        async for order in client.iter_service_orders(list_request):
            ...
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Optional, Sequence, Tuple

import grpc
import grpc.aio

from homevisit.client import DEFAULT_TIMEOUT, attach_stubs, channel_credentials
from homevisit.errors import ApiError
from homevisit.retry import DEFAULT_RETRY_POLICY, RetryPolicy, pause_before_retry, with_request_id
from homevisit.v1 import (
    credential_pb2,
    event_pb2,
    scheduling_service_pb2,
    service_order_pb2,
    service_order_service_pb2,
    technician_pb2,
    visit_report_pb2,
)


async def iterate_pages(
    call: Callable[..., Awaitable[Any]], request: Any, items_field: str, **call_options: Any
) -> AsyncIterator[Any]:
    """``homevisit.iterate_pages`` for awaitable List methods: ``async for`` over every item."""
    page_request = type(request)()
    page_request.CopyFrom(request)
    while True:
        page = await call(page_request, **call_options)
        for item in getattr(page, items_field):
            yield item
        if not page.next_page_token:
            return
        page_request.page_token = page.next_page_token


class PolicyInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """The asyncio twin of ``homevisit.client.PolicyInterceptor`` for unary calls: token,
    default deadline, ``request_id`` filled once, retries as ``pause_before_retry`` says within
    the one deadline, failures raised as ``ApiError``."""

    def __init__(
        self,
        token: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY_POLICY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token = token
        self._timeout = timeout
        self._retry = retry
        self._sleep = sleep
        self._clock = clock

    def _details(self, details: Any, timeout: Optional[float]) -> grpc.aio.ClientCallDetails:
        metadata = grpc.aio.Metadata(*(tuple(details.metadata) if details.metadata else ()))
        if self._token:
            metadata.add("authorization", f"Bearer {self._token}")
        return grpc.aio.ClientCallDetails(
            details.method, timeout, metadata, details.credentials, details.wait_for_ready
        )

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        timeout = client_call_details.timeout if client_call_details.timeout is not None else self._timeout
        deadline = None if timeout is None else self._clock() + timeout
        request = with_request_id(request)  # before the first attempt; every attempt sends it
        attempt = 1
        while True:
            remaining = None if deadline is None else max(0.0, deadline - self._clock())
            call = await continuation(self._details(client_call_details, remaining), request)
            try:
                return await call
            except grpc.RpcError as rpc_error:
                error = ApiError.from_rpc_error(rpc_error)
            pause = pause_before_retry(
                self._retry, attempt, client_call_details.method, request, error.code, error.reason,
                self._clock(), deadline,
            )
            if pause is None:
                raise error
            await self._sleep(pause)
            attempt += 1


class _StreamTokenInterceptor(grpc.aio.UnaryStreamClientInterceptor):
    """Server streams (WatchEvents) get the token only, as in the sync client."""

    def __init__(self, token: Optional[str]) -> None:
        self._token = token

    async def intercept_unary_stream(self, continuation, client_call_details, request):
        metadata = grpc.aio.Metadata(*(tuple(client_call_details.metadata) if client_call_details.metadata else ()))
        if self._token:
            metadata.add("authorization", f"Bearer {self._token}")
        details = grpc.aio.ClientCallDetails(
            client_call_details.method, client_call_details.timeout, metadata,
            client_call_details.credentials, client_call_details.wait_for_ready,
        )
        return await continuation(details, request)


class Client:
    """``homevisit.Client`` on grpc.aio: same arguments, same stubs (methods are awaited)."""

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
        interceptors = [PolicyInterceptor(token, timeout, retry), _StreamTokenInterceptor(token)]
        credentials = channel_credentials(
            insecure, root_certificates, private_key, certificate_chain, server_name, channel_options
        )
        if credentials is None:
            self.channel = grpc.aio.insecure_channel(target, options=channel_options, interceptors=interceptors)
        else:
            self.channel = grpc.aio.secure_channel(
                target, credentials, options=channel_options, interceptors=interceptors
            )
        attach_stubs(self, self.channel)

    def iter_service_orders(
        self, request: Optional[service_order_service_pb2.ListServiceOrdersRequest] = None, **call_options: Any
    ) -> AsyncIterator[service_order_pb2.ServiceOrder]:
        request = request or service_order_service_pb2.ListServiceOrdersRequest()
        return iterate_pages(self.service_orders.ListServiceOrders, request, "service_orders", **call_options)

    def iter_technicians(
        self, request: Optional[technician_pb2.ListTechniciansRequest] = None, **call_options: Any
    ) -> AsyncIterator[technician_pb2.Technician]:
        request = request or technician_pb2.ListTechniciansRequest()
        return iterate_pages(self.technicians.ListTechnicians, request, "technicians", **call_options)

    def iter_events(
        self, request: Optional[event_pb2.ListEventsRequest] = None, **call_options: Any
    ) -> AsyncIterator[event_pb2.Event]:
        request = request or event_pb2.ListEventsRequest()
        return iterate_pages(self.events.ListEvents, request, "events", **call_options)

    def iter_credentials(
        self, request: Optional[credential_pb2.ListCredentialsRequest] = None, **call_options: Any
    ) -> AsyncIterator[credential_pb2.Credential]:
        request = request or credential_pb2.ListCredentialsRequest()
        return iterate_pages(self.credentials.ListCredentials, request, "credentials", **call_options)

    def iter_visit_reports(
        self, request: Optional[visit_report_pb2.ListVisitReportsRequest] = None, **call_options: Any
    ) -> AsyncIterator[visit_report_pb2.VisitReport]:
        request = request or visit_report_pb2.ListVisitReportsRequest()
        return iterate_pages(self.visit_reports.ListVisitReports, request, "visit_reports", **call_options)

    def iter_holds(
        self, request: Optional[scheduling_service_pb2.ListHoldsRequest] = None, **call_options: Any
    ) -> AsyncIterator[scheduling_service_pb2.Hold]:
        request = request or scheduling_service_pb2.ListHoldsRequest()
        return iterate_pages(self.scheduling.ListHolds, request, "holds", **call_options)

    async def close(self) -> None:
        await self.channel.close()

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()
