"""The asyncio client against the live homevisitd (see conftest.py); asyncio.run, no plugin."""

from __future__ import annotations

import asyncio

import grpc
import pytest

import homevisit
import homevisit.aio
from homevisit.v1 import event_pb2, service_order_pb2, service_order_service_pb2 as sos

from test_live import count_events, valid_order

ServiceOrder = service_order_pb2.ServiceOrder


def test_aio_create_get_iterate_and_errors(server_address, tokens, unique):
    async def run():
        async with homevisit.aio.Client(server_address, insecure=True, token=tokens["dot_operator"]) as client:
            file_number = unique("EXP")
            created = [
                (await client.service_orders.CreateServiceOrder(   # request_id filled by the SDK
                    sos.CreateServiceOrderRequest(service_order=valid_order(file_number)))).name
                for _ in range(3)
            ]
            got = await client.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name=created[0]))
            assert got.file_number == file_number
            listed = [o.name async for o in client.iter_service_orders(
                sos.ListServiceOrdersRequest(file_number=file_number, page_size=2))]
            assert listed == list(reversed(created))
            with pytest.raises(homevisit.ApiError) as caught:
                await client.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name="serviceOrders/nope"))
            assert caught.value.code == grpc.StatusCode.NOT_FOUND

    asyncio.run(run())


# --- Lost replies (sdk/README.md, "The shared test"), as test_live.py runs it for the sync client:
# the writes below carry no request_id of their own and go through the drop-reply proxy, which
# lets the server run each once and answers UNAVAILABLE; the sync ``client`` checks the server.


def test_aio_lost_replies_are_retried_with_the_generated_request_id(client, drop_reply_proxy, tokens, unique):
    file_number = unique("EXP")
    reason = "El suscriptor ya no necesita la visita"

    async def run():
        async with homevisit.aio.Client(drop_reply_proxy, insecure=True, token=tokens["dot_operator"]) as proxied:
            request = sos.CreateServiceOrderRequest(service_order=valid_order(file_number))
            order = await proxied.service_orders.CreateServiceOrder(request)
            assert request.request_id == ""  # the caller's message is not changed
            assert order.file_number == file_number and order.state == ServiceOrder.STATE_REQUESTED
            listed = client.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(file_number=file_number))
            assert [o.name for o in listed.service_orders] == [order.name]
            cancelled = await proxied.service_orders.CancelServiceOrder(
                sos.CancelServiceOrderRequest(name=order.name, reason=reason, etag=order.etag)
            )
            assert cancelled.state == ServiceOrder.STATE_CANCELLED
            assert cancelled.cancellation.reason == reason
            return order

    order = asyncio.run(run())
    assert count_events(client, order.name, event_pb2.Event.TYPE_ORDER_CREATED) == 1
    assert count_events(client, order.name, event_pb2.Event.TYPE_CANCELLED) == 1


def test_aio_without_retries_the_proxy_loses_the_reply(client, drop_reply_proxy, tokens, unique):
    # The negative control: with retries off the lost replies reach the caller, so the proxy did
    # drop them above (and the server still ran each write once).
    file_number = unique("EXP")

    async def run():
        async with homevisit.aio.Client(
            drop_reply_proxy, insecure=True, token=tokens["dot_operator"], retry=homevisit.NO_RETRY
        ) as proxied:
            with pytest.raises(homevisit.ApiError) as caught:
                await proxied.service_orders.CreateServiceOrder(
                    sos.CreateServiceOrderRequest(service_order=valid_order(file_number))
                )
            assert caught.value.code == grpc.StatusCode.UNAVAILABLE
            listed = client.service_orders.ListServiceOrders(sos.ListServiceOrdersRequest(file_number=file_number))
            assert len(listed.service_orders) == 1  # executed, answer lost
            order = listed.service_orders[0]
            with pytest.raises(homevisit.ApiError) as caught:
                await proxied.service_orders.CancelServiceOrder(
                    sos.CancelServiceOrderRequest(name=order.name, reason="Prueba sin reintentos", etag=order.etag)
                )
            assert caught.value.code == grpc.StatusCode.UNAVAILABLE
            # Reads pass the proxy untouched.
            return await proxied.service_orders.GetServiceOrder(sos.GetServiceOrderRequest(name=order.name))

    got = asyncio.run(run())
    assert got.state == ServiceOrder.STATE_CANCELLED
    assert count_events(client, got.name, event_pb2.Event.TYPE_CANCELLED) == 1
