"""The home page and the error pages. Error pages reveal nothing about the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Capability
from lib.views import login_required_verified


@login_required_verified
def home_view(request: HttpRequest) -> HttpResponse:
    acting = getattr(request, "acting", None)
    shortcuts = []
    if acting is not None:
        if acting.can(Capability.ORGANISATION_USERS_MANAGE):
            shortcuts.append(("accounts:members", "users"))
        if acting.can(Capability.ORGANISATIONS_MANAGE):
            shortcuts.append(("accounts:organisations", "organisations"))
    return render(request, "home.html", {"shortcuts": shortcuts})


def error_400(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
