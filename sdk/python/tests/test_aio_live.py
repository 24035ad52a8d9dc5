"""The asyncio client against the live homevisitd (see conftest.py); asyncio.run, no plugin."""

from __future__ import annotations

import asyncio

import grpc
import pytest

import homevisit
import homevisit.aio
from homevisit.v1 import service_order_service_pb2 as sos

from test_live import valid_order


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
