"""Client SDK of homevisit, the izzi Dr. Wifi home-visit service.

``homevisit.v1`` holds the generated messages and stubs; this package adds the thin layer:
``Client`` (credentials, TLS, default deadline, request ids and retries as ``sdk/README.md``
says) and ``ApiError`` (status code, ``reason`` and ``field_violations`` of a failed call).
"""

from homevisit.client import DEFAULT_TIMEOUT, Client, PolicyInterceptor
from homevisit import aio
from homevisit.errors import ApiError, FieldViolation, decode_status
from homevisit.pages import iterate_pages
from homevisit.retry import (
    DEFAULT_RETRY_POLICY,
    NO_RETRY,
    RetryPolicy,
    is_idempotent,
    is_read,
    is_retryable_error,
    pause_before_retry,
    should_retry,
    with_request_id,
)

__all__ = [
    "ApiError",
    "Client",
    "DEFAULT_RETRY_POLICY",
    "DEFAULT_TIMEOUT",
    "FieldViolation",
    "NO_RETRY",
    "PolicyInterceptor",
    "RetryPolicy",
    "decode_status",
    "aio",
    "is_idempotent",
    "iterate_pages",
    "is_read",
    "is_retryable_error",
    "pause_before_retry",
    "should_retry",
    "with_request_id",
]
