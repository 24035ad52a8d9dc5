"""Which calls may be sent again, on which errors, and how long to wait in between."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import grpc

# Calls that change nothing, besides every Get* and List*.
_READ_METHODS = frozenset({"CheckAvailability"})

# ABORTED reasons a retry would only repeat: the caller must read again or choose again.
NON_TRANSIENT_ABORTED_REASONS = frozenset({"ETAG_MISMATCH", "SLOT_TAKEN"})


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently idempotent calls are retried.

    The pause before retry ``n`` is a random time up to
    ``min(max_backoff, initial_backoff * multiplier ** (n - 1))`` seconds ("full jitter").
    ``max_attempts`` counts the first try; 1 turns retries off.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.1
    max_backoff: float = 2.0
    multiplier: float = 2.0

    def backoff(self, retry_number: int) -> float:
        ceiling = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry_number - 1))
        return random.uniform(0, ceiling) if ceiling > 0 else 0.0


DEFAULT_RETRY_POLICY = RetryPolicy()
NO_RETRY = RetryPolicy(max_attempts=1)


def method_name(method: str | bytes) -> str:
    """``"/homevisit.v1.ServiceOrderService/GetServiceOrder"`` -> ``"GetServiceOrder"``."""
    if isinstance(method, bytes):
        method = method.decode()
    return method.rsplit("/", 1)[-1]


def is_idempotent(method: str | bytes, request: Any) -> bool:
    """Whether a call may be sent again safely.

    Reads (``Get*``, ``List*``, ``CheckAvailability``) and requests carrying a non-empty
    ``request_id`` (CreateServiceOrder, CreateTechnician, BookAppointment), which the server
    deduplicates. ``method`` is the full gRPC method name or just the method.
    """
    name = method_name(method)
    if name.startswith(("Get", "List")) or name in _READ_METHODS:
        return True
    descriptor = getattr(request, "DESCRIPTOR", None)
    if descriptor is None or "request_id" not in descriptor.fields_by_name:
        return False
    return bool(getattr(request, "request_id"))


def should_retry(method: str | bytes, request: Any, code: grpc.StatusCode, reason: str = "") -> bool:
    """Whether an error is worth another attempt.

    Only idempotent calls, and only on UNAVAILABLE or a transient ABORTED (a serialization or
    concurrency conflict; not ``ETAG_MISMATCH`` or ``SLOT_TAKEN``). A non-idempotent call is
    never retried: the server may have applied it before the error.
    """
    if not is_idempotent(method, request):
        return False
    if code == grpc.StatusCode.UNAVAILABLE:
        return True
    if code == grpc.StatusCode.ABORTED:
        return reason not in NON_TRANSIENT_ABORTED_REASONS
    return False
