from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from audit.context import RequestContext, current_request


def client_ip(request: HttpRequest) -> str | None:
    """The client address, trusting X-Forwarded-For only for the configured proxy count."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = current_request.set(
            RequestContext(request_id=request_id, ip_address=client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateResponseHeadersMiddleware:
    """Headers the other security middleware does not set.

    Pages and API answers for a signed-in user carry case data: no browser or proxy may keep
    a copy (ASVS 8.2.1). Browser features the application never uses are switched off.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Static files are public and versioned; everything else may carry case data.
        self.static_prefix = "/" + str(settings.STATIC_URL).lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store"
        return response
