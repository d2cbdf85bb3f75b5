"""Per-request context (request id, client address) for audit entries."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


# RequestContext is frozen, so sharing one default instance is safe.
_NO_REQUEST = RequestContext()
current_request: ContextVar[RequestContext] = ContextVar("reintegra_request", default=_NO_REQUEST)
