"""Iterating a List call across its pages.

Every List RPC takes ``page_size``/``page_token`` and answers with one repeated field and a
``next_page_token`` that is empty on the last page. ``iterate_pages`` follows it so callers see
one stream of items. Each page is its own unary call, so the client's interceptor gives it the
deadline and the retries of ``sdk/README.md``; an error on any page is raised where the
iteration stands (the items already yielded stay yielded).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, TypeVar

_Item = TypeVar("_Item")


def iterate_pages(call: Callable[..., Any], request: Any, items_field: str, **call_options: Any) -> Iterator[Any]:
    """Yields every item of ``items_field`` of each page that ``call(request, **call_options)``
    returns, asking for the next page with ``page_token`` until ``next_page_token`` is empty.
    ``request`` is copied: the caller's message is not changed."""
    page_request = type(request)()
    page_request.CopyFrom(request)
    while True:
        page = call(page_request, **call_options)
        yield from getattr(page, items_field)
        if not page.next_page_token:
            return
        page_request.page_token = page.next_page_token
