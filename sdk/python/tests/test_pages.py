"""Page iterators without a server: a fake List call hands out canned pages."""

from __future__ import annotations

import grpc
import pytest

import homevisit
from homevisit.pages import iterate_pages
from homevisit.v1 import service_order_pb2, service_order_service_pb2 as sos


def order(n: int) -> service_order_pb2.ServiceOrder:
    return service_order_pb2.ServiceOrder(name=f"serviceOrders/{n}")


class FakeList:
    """Answers page i with ``pages[i]``, or raises it when it is an exception; records requests."""

    def __init__(self, pages):
        self.pages = pages
        self.requests = []
        self.options = []

    def __call__(self, request, **options):
        self.requests.append(sos.ListServiceOrdersRequest.FromString(request.SerializeToString()))
        self.options.append(options)
        page = self.pages[len(self.requests) - 1]
        if isinstance(page, BaseException):
            raise page
        return page


def page(numbers, token=""):
    return sos.ListServiceOrdersResponse(service_orders=[order(n) for n in numbers], next_page_token=token)


def test_follows_next_page_token_until_empty():
    fake = FakeList([page([1, 2], "t2"), page([3], "t3"), page([4, 5])])
    request = sos.ListServiceOrdersRequest(page_size=2)
    names = [o.name for o in iterate_pages(fake, request, "service_orders", timeout=5, metadata=[("k", "v")])]
    assert names == [f"serviceOrders/{n}" for n in (1, 2, 3, 4, 5)]
    assert [r.page_token for r in fake.requests] == ["", "t2", "t3"]
    assert all(r.page_size == 2 for r in fake.requests)
    assert fake.options == [{"timeout": 5, "metadata": [("k", "v")]}] * 3
    assert request.page_token == ""  # the caller's request is left alone


def test_empty_pages_yield_nothing_but_are_followed():
    assert list(iterate_pages(FakeList([page([])]), sos.ListServiceOrdersRequest(), "service_orders")) == []
    fake = FakeList([page([], "t2"), page([7])])
    assert [o.name for o in iterate_pages(fake, sos.ListServiceOrdersRequest(), "service_orders")] == ["serviceOrders/7"]


def test_error_mid_way_raises_after_the_items_already_seen():
    error = homevisit.ApiError(grpc.StatusCode.INTERNAL, "boom")
    fake = FakeList([page([1, 2], "t2"), error])
    seen = []
    with pytest.raises(homevisit.ApiError) as raised:
        for item in iterate_pages(fake, sos.ListServiceOrdersRequest(), "service_orders"):
            seen.append(item.name)
    assert raised.value is error
    assert seen == ["serviceOrders/1", "serviceOrders/2"]


def test_iterating_is_lazy():
    fake = FakeList([page([1], "t2"), page([2])])
    items = iterate_pages(fake, sos.ListServiceOrdersRequest(), "service_orders")
    assert fake.requests == []
    assert next(items).name == "serviceOrders/1"
    assert len(fake.requests) == 1


def test_client_helpers_call_the_list_stubs():
    client = homevisit.Client("127.0.0.1:1", insecure=True)
    try:
        fake = FakeList([page([1], "t2"), page([2])])
        client.service_orders.ListServiceOrders = fake
        assert [o.name for o in client.iter_service_orders(timeout=3)] == ["serviceOrders/1", "serviceOrders/2"]
        assert fake.options == [{"timeout": 3}] * 2
    finally:
        client.close()
