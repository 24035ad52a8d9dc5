"""Which calls may be sent again, on which errors, and how long to wait in between.

This is the policy of ``sdk/README.md``, shared by every homevisit SDK:

- an empty ``request_id`` is filled with a fresh UUID4 before the first attempt
  (``with_request_id``), so every write that has the field can be repeated safely;
- only reads (``Get*``, ``List*``, ``CheckAvailability``, ``RenderScript``) and requests carrying
  a non-empty ``request_id`` are retried (``is_idempotent``); ``CreateCredential`` never is;
- only on ``UNAVAILABLE``, ``ABORTED`` (unless ``ETAG_MISMATCH`` or ``SLOT_TAKEN``) and
  ``RESOURCE_EXHAUSTED`` with reason ``SERVER_BUSY`` (``should_retry``);
- 4 attempts, full-jitter backoff up to ``min(2 s, 100 ms * 2^(n-1))`` before retry ``n``
  (``RetryPolicy``), all within one deadline (the client's interceptor).
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from typing import Any, TypeVar

import grpc

# Calls that change nothing, besides every Get* and List*.
READ_METHODS = frozenset({"CheckAvailability", "RenderScript"})
_READ_PREFIXES = ("Get", "List")

# Never retried, whatever the request carries: its token is shown once and never stored.
NEVER_RETRIED_METHODS = frozenset({"CreateCredential"})

# ABORTED reasons a retry would only repeat: the caller must read again or choose again.
NON_TRANSIENT_ABORTED_REASONS = frozenset({"ETAG_MISMATCH", "SLOT_TAKEN"})

# RESOURCE_EXHAUSTED reasons that mean the server refused the call before running it.
RETRYABLE_EXHAUSTED_REASONS = frozenset({"SERVER_BUSY"})

REQUEST_ID_FIELD = "request_id"


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently idempotent calls are retried.

    The pause before retry ``n`` (1, 2, ...) is a uniformly random time in
    ``[0, min(max_backoff, initial_backoff * multiplier ** (n - 1))]`` seconds ("full jitter").
    ``max_attempts`` counts the first try; 1 turns retries off.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.1
    max_backoff: float = 2.0
    multiplier: float = 2.0

    def backoff_ceiling(self, retry_number: int) -> float:
        return min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry_number - 1))

    def backoff(self, retry_number: int) -> float:
        ceiling = self.backoff_ceiling(retry_number)
        return random.uniform(0, ceiling) if ceiling > 0 else 0.0


DEFAULT_RETRY_POLICY = RetryPolicy()
NO_RETRY = RetryPolicy(max_attempts=1)


def method_name(method: str | bytes) -> str:
    """``"/homevisit.v1.ServiceOrderService/GetServiceOrder"`` -> ``"GetServiceOrder"``."""
    if isinstance(method, bytes):
        method = method.decode()
    return method.rsplit("/", 1)[-1]


def is_read(method: str | bytes) -> bool:
    """``Get*``, ``List*``, ``CheckAvailability`` and ``RenderScript``: calls that change nothing."""
    name = method_name(method)
    return name.startswith(_READ_PREFIXES) or name in READ_METHODS


def _has_request_id_field(request: Any) -> bool:
    descriptor = getattr(request, "DESCRIPTOR", None)
    fields = getattr(descriptor, "fields_by_name", None)
    return fields is not None and REQUEST_ID_FIELD in fields


_Request = TypeVar("_Request")


def with_request_id(request: _Request) -> _Request:
    """The request to send: ``request`` itself when it has no ``request_id`` field or the field
    is set, otherwise a copy with a fresh random UUID (version 4) as ``request_id``. The
    caller's message is never changed."""
    if not _has_request_id_field(request) or getattr(request, REQUEST_ID_FIELD):
        return request
    filled = type(request)()
    filled.CopyFrom(request)  # type: ignore[attr-defined]
    setattr(filled, REQUEST_ID_FIELD, str(uuid.uuid4()))
    return filled


def is_idempotent(method: str | bytes, request: Any) -> bool:
    """Whether a call may be sent again safely.

    Reads (``is_read``) and requests carrying a non-empty ``request_id``, which the server
    deduplicates (the client fills an empty one first, so every write that has the field);
    never ``CreateCredential``. ``method`` is the full gRPC method name or just the method.
    """
    name = method_name(method)
    if name in NEVER_RETRIED_METHODS:
        return False
    if is_read(name):
        return True
    return _has_request_id_field(request) and bool(getattr(request, REQUEST_ID_FIELD))


def is_retryable_error(code: grpc.StatusCode, reason: str = "") -> bool:
    """Whether an error says the work may be retried as is: ``UNAVAILABLE``; ``ABORTED``
    unless the reason is ``ETAG_MISMATCH`` or ``SLOT_TAKEN``; ``RESOURCE_EXHAUSTED`` with
    reason ``SERVER_BUSY``. Nothing else."""
    if code == grpc.StatusCode.UNAVAILABLE:
        return True
    if code == grpc.StatusCode.ABORTED:
        return reason not in NON_TRANSIENT_ABORTED_REASONS
    if code == grpc.StatusCode.RESOURCE_EXHAUSTED:
        return reason in RETRYABLE_EXHAUSTED_REASONS
    return False


def should_retry(method: str | bytes, request: Any, code: grpc.StatusCode, reason: str = "") -> bool:
    """Whether an error is worth another attempt: an idempotent call (``is_idempotent``, on the
    request as sent, i.e. after ``with_request_id``) and a retryable error
    (``is_retryable_error``)."""
    return is_idempotent(method, request) and is_retryable_error(code, reason)


def pause_before_retry(
    policy: RetryPolicy,
    attempt: int,
    method: str | bytes,
    request: Any,
    code: grpc.StatusCode,
    reason: str,
    now: float,
    deadline: float | None,
) -> float | None:
    """The pause before the next attempt after ``attempt`` failed with ``code``/``reason``, or
    None when the call must fail now: attempts spent, ``should_retry`` says no, or the pause
    would end at or past ``deadline``. Shared by the sync and the asyncio clients."""
    if attempt >= policy.max_attempts or not should_retry(method, request, code, reason):
        return None
    pause = policy.backoff(attempt)
    if deadline is not None and now + pause >= deadline:
        return None
    return pause
