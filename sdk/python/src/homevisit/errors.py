"""Errors with the details the server sends.

Every error of homevisitd carries a ``google.rpc.Status`` in the ``grpc-status-details-bin``
trailer: an ``ErrorInfo`` with a stable UPPER_SNAKE reason and, for bad input, a
``BadRequest`` naming every bad field (paths like ``service_order.address.postal_code``).
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple, Optional, Sequence, Tuple

import grpc
from google.protobuf import message as _message
from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"

_DETAIL_TYPES = (
    error_details_pb2.ErrorInfo,
    error_details_pb2.BadRequest,
    error_details_pb2.PreconditionFailure,
    error_details_pb2.ResourceInfo,
    error_details_pb2.RetryInfo,
    error_details_pb2.QuotaFailure,
    error_details_pb2.LocalizedMessage,
    error_details_pb2.DebugInfo,
    error_details_pb2.Help,
)


class FieldViolation(NamedTuple):
    """One bad field of a request: its path and what is wrong with it."""

    field: str
    description: str


class ApiError(grpc.RpcError):
    """A failed call, with its status decoded.

    Attributes:
        code: the ``grpc.StatusCode`` (an attribute here, not a method as on ``grpc.Call``).
        message: the status message.
        reason: ``ErrorInfo.reason`` (e.g. ``"INVALID_FIELDS"``, ``"ETAG_MISMATCH"``), or ``""``.
        domain: ``ErrorInfo.domain``, or ``""``.
        error_metadata: ``ErrorInfo.metadata`` as a dict.
        field_violations: the ``BadRequest`` violations, as ``FieldViolation(field, description)``.
        details: every detail message that could be decoded.
        status: the ``google.rpc.Status`` itself, or None when the trailer was absent.
        trailing_metadata: the call's trailing metadata.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str = "",
        *,
        status: Optional[status_pb2.Status] = None,
        trailing_metadata: Sequence[Tuple[str, Any]] = (),
    ) -> None:
        self.code = code
        self.message = message
        self.status = status
        self.trailing_metadata = tuple(trailing_metadata)
        self.details: list[_message.Message] = _unpack(status.details) if status is not None else []
        info = next((d for d in self.details if isinstance(d, error_details_pb2.ErrorInfo)), None)
        self.reason = info.reason if info else ""
        self.domain = info.domain if info else ""
        self.error_metadata = dict(info.metadata) if info else {}
        self.field_violations = [
            FieldViolation(v.field, v.description)
            for d in self.details
            if isinstance(d, error_details_pb2.BadRequest)
            for v in d.field_violations
        ]
        super().__init__(f"{code.name}: {message}" + (f" [{self.reason}]" if self.reason else ""))

    @property
    def fields(self) -> list[str]:
        """Just the paths of ``field_violations``."""
        return [v.field for v in self.field_violations]

    @classmethod
    def from_call(cls, call: Any) -> "ApiError":
        """From anything with ``code()``, ``details()`` and ``trailing_metadata()``: a
        ``grpc.RpcError`` raised by a plain stub, or a finished ``grpc.Call``."""
        code = call.code() or grpc.StatusCode.UNKNOWN
        trailing = tuple(call.trailing_metadata() or ())
        return cls(code, call.details() or "", status=decode_status(trailing), trailing_metadata=trailing)

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "ApiError":
        """Converts what a plain stub raised (e.g. while iterating a server stream)."""
        if isinstance(error, ApiError):
            return error
        return cls.from_call(error)


def decode_status(trailing_metadata: Iterable[Tuple[str, Any]]) -> Optional[status_pb2.Status]:
    """The ``google.rpc.Status`` in the ``grpc-status-details-bin`` trailer, or None."""
    for key, value in trailing_metadata:
        if key == STATUS_DETAILS_KEY:
            return status_pb2.Status.FromString(value)
    return None


def _unpack(details: Iterable[Any]) -> list[_message.Message]:
    out: list[_message.Message] = []
    for any_detail in details:
        for detail_type in _DETAIL_TYPES:
            if any_detail.Is(detail_type.DESCRIPTOR):
                detail = detail_type()
                any_detail.Unpack(detail)
                out.append(detail)
                break
    return out
